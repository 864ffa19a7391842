"""Security headers on every response, and the production cookie settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/personvern/", "/finnes-ikke/"])
def test_pages_carry_a_strict_content_security_policy(client, path):
    response = client.get(path)

    header = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    directives = _directives(header)
    assert any(source.startswith("'nonce-") for source in directives["script-src"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_script_tags_carry_the_nonce_from_the_header(client):
    response = client.get(reverse("core:home"))

    header = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", _directives(header)["script-src"][-1] + " " + header).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts, "the page should load its scripts"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.django_db
def test_each_response_gets_a_fresh_nonce(client):
    first = client.get(reverse("core:home")).headers["Content-Security-Policy"]
    second = client.get(reverse("core:home")).headers["Content-Security-Policy"]

    assert re.search(r"'nonce-[^']+'", first).group(0) != re.search(r"'nonce-[^']+'", second).group(0)


@pytest.mark.django_db
def test_pages_may_not_be_framed(client):
    response = client.get(reverse("core:home"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def _production_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        SAMSPILL_ENV="production",
        SECRET_KEY="test-" + "k" * 60 + "-not-a-real-secret-but-long-and-random-enough-9f8e7d",
        ALLOWED_HOSTS="example.no",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = _production_env()
    env["SAMSPILL_VAR_DIR"] = str(tmp_path)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_host_only_and_secure(tmp_path):
    env = _production_env()
    env["SAMSPILL_VAR_DIR"] = str(tmp_path)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_NAME, s.LANGUAGE_COOKIE_SECURE, s.DEBUG, s.SECURE_HSTS_SECONDS > 0)"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    session_name, session_secure, csrf_name, csrf_secure, lang_name, lang_secure, debug, hsts = result.stdout.split()
    assert session_name.startswith("__Host-")
    assert csrf_name.startswith("__Host-")
    assert lang_name.startswith("__Host-")
    assert (session_secure, csrf_secure, lang_secure) == ("True", "True", "True")
    assert debug == "False"
    assert hsts == "True"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env()
    env["SAMSPILL_VAR_DIR"] = str(tmp_path)
    del env["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

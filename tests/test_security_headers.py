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


# --- Every page ------------------------------------------------------------------
#
# The URL resolver lists the pages, so a new view cannot be forgotten: every named
# pattern that takes no arguments, plus the page of one object of every model with a
# get_absolute_url (taken from the reference data or made with the app's factory).


def _named_patterns(resolver=None, namespace: str = "") -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    names: list[str] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


def _pages_without_arguments() -> list[str]:
    from django.urls import NoReverseMatch

    paths = set()
    for name in _named_patterns():
        try:
            path = reverse(name)
        except NoReverseMatch:
            continue  # takes arguments: covered through the object pages below
        if not path.startswith(("/api/", "/i18n/")):  # JSON, and the language switch (POST only)
            paths.add(path)
    return sorted(paths)


def _object_pages() -> tuple[list[str], list[str]]:
    """The page of one object per model with get_absolute_url; and the models with none to show."""
    import importlib

    from django.apps import apps

    paths, missing = [], []
    for model in apps.get_models():
        if not model.__module__.startswith("samspill.") or not hasattr(model, "get_absolute_url"):
            continue
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            try:
                factories = importlib.import_module(f"{model._meta.app_config.name}.tests.factories")
                obj = getattr(factories, f"{model.__name__}Factory")()
            except (ImportError, AttributeError):
                missing.append(model._meta.label)
                continue
        paths.append(obj.get_absolute_url())
    return paths, missing


def _check_html(path: str, response, *, logged_in: bool) -> list[str]:
    problems = []
    if response.status_code in (301, 302, 303, 307, 308):
        if logged_in and "no-store" not in response.headers.get("Cache-Control", ""):
            problems.append(f"{path}: redirect to a logged-in person without Cache-Control: no-store")
        return problems
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return problems
    header = response.headers.get("Content-Security-Policy", "")
    csp = _directives(header)
    if not csp.get("script-src") or "'unsafe-inline'" in header:
        problems.append(f"{path}: no strict script-src")
    # django-csp puts a nonce in the header when the page uses one; a page without it
    # allows no inline script at all. Every inline script and style element must carry the
    # header's nonce (scripts from our own origin, src="/static/…", are allowed by 'self';
    # JSON data blocks are never executed).
    nonce = re.search(r"'nonce-([^']+)'", " ".join(csp.get("script-src", [])))
    for tag in re.findall(rb"<(?:script|style)\b[^>]*>", response.content):
        if b" src=" in tag or b"application/json" in tag:
            continue
        if nonce is None or f'nonce="{nonce.group(1)}"'.encode() not in tag:
            problems.append(f"{path}: {tag.decode()[:80]} without the CSP nonce")
    if csp.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{path}: frame-ancestors is not 'none'")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{path}: no X-Content-Type-Options: nosniff")
    if not response.headers.get("Referrer-Policy"):
        problems.append(f"{path}: no Referrer-Policy")
    cache_control = response.headers.get("Cache-Control", "")
    private_page = logged_in or path.startswith(("/min-side/", "/konto/")) or b"csrfmiddlewaretoken" in response.content
    if private_page and not ("no-store" in cache_control and "private" in cache_control):
        problems.append(f"{path} ({response.status_code}): Cache-Control is {cache_control!r}, not no-store, private")
    return problems


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client, organisation, owner, member):
    from samspill.accounts.tests.factories import UserFactory, enable_totp

    object_pages, without_objects = _object_pages()
    pages = _pages_without_arguments() + object_pages
    assert len(pages) > 30, pages
    print(f"checked {len(pages)} pages ({len(object_pages)} object pages) for 3 kinds of visitor")
    admin = UserFactory(is_staff=True, is_superuser=True)
    enable_totp(admin)

    problems, ok = [], 0
    for who in (None, member, admin):
        if who is not None:
            client.force_login(who)
        for path in pages:
            response = client.get(path)
            ok += response.status_code == 200
            problems += _check_html(path, response, logged_in=who is not None)
        client.logout()

    assert not problems, "\n".join(problems)
    assert ok > len(pages), "most pages should answer 200 for someone"
    assert not without_objects, f"add a factory so that these pages are checked: {without_objects}"


@pytest.mark.django_db
def test_responses_to_a_logged_in_person_are_never_stored(client, member):
    client.force_login(member)

    for path in ("/", reverse("accounts:profile"), "/finnes-ikke/", "/api/v1/openapi.json"):
        cache_control = client.get(path).headers.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (path, cache_control)


@pytest.mark.django_db
def test_anonymous_json_and_health_checks_stay_cacheable(client):
    # Without a login, a cookie or a form nothing personal is in the answer.
    for path in ("/api/v1/openapi.json",):
        assert "no-store" not in client.get(path).headers.get("Cache-Control", "")

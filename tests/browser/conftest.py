"""Headless Chromium against pytest-django's live server, for tests marked ``browser``.

Playwright's sync API runs an event loop in the test thread, so Django's guard against
database calls from async code is lifted while the browser runs (and only then: the
variable would fail ``check --deploy`` in other tests).
Debian's Chromium is used (the CI script installs it); Playwright never downloads a browser.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "riktig-passord-123"
TOTP_PERIOD = 30  # seconds, allauth's default
# Demo people by role (samspill.organisations.demo.DEMO_PEOPLE), for tests that run on the demo data.
DEMO_VOLUNTEER = "frivillig@demo.samspill.no"
DEMO_ORGANISATION_ADMIN = "leder@demo.samspill.no"
DEMO_MUNICIPALITY_COORDINATOR = "koordinator@demo.samspill.no"
DEMO_COUNTY_ADVISER = "radgiver@demo.samspill.no"
DEMO_NATIONAL_EDITOR = "redaktor@demo.samspill.no"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def reference_data(transactional_db) -> None:
    # Transactional tests flush the database after each test, taking the reference data
    # loaded in django_db_setup with it, so each browser test loads it again.
    with open(os.devnull, "w") as devnull:
        call_command("load_reference_data", verbosity=0, stdout=devnull)


@pytest.fixture
def demo_data(reference_data) -> None:
    """The demo content of every app (``load_demo_data``), people included; see DEMO_* above."""
    with open(os.devnull, "w") as devnull:
        call_command("load_demo_data", verbosity=0, stdout=devnull)


@pytest.fixture
def server(live_server, reference_data) -> str:
    return live_server.url


@pytest.fixture
def context(browser) -> Iterator:
    ctx = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Iterator:
    yield context.new_page()


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = Path(settings.BASE_DIR) / "static" / "dist" / "axe.min.js"
    assert path.exists(), f"{path} is missing: run `make assets` first"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def html_checker(tmp_path_factory) -> Iterator:
    """The Nu HTML Checker as a local service for the session (see tests/browser/vnu_helpers.py)."""
    from tests.browser.vnu_helpers import HtmlChecker

    checker = HtmlChecker(tmp_path_factory.mktemp("html"))
    checker.start()
    yield checker
    checker.close()


def log_in(page, server: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{server}/konto/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', password)
    page.press('input[name="password"]', "Enter")
    page.wait_for_load_state()


def log_in_demo(page, server: str, email: str) -> None:
    """Log a demo person in through the real forms, with the two-step code when they have one."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    from samspill.organisations.demo import DEMO_PEOPLE

    person = next(p for p in DEMO_PEOPLE if p.email == email)
    log_in(page, server, email, settings.DEMO_PASSWORD)
    if person.totp:
        assert "/konto/2fa/authenticate/" in page.url, f"{email}: expected the two-step page, got {page.url}"
        used = None
        for _attempt in range(3):
            counters = list(yield_hotp_counters_from_time())
            counter = counters[len(counters) // 2]
            if counter == used:
                # A code is accepted once (replay protection), and a slow machine may cross into
                # the next 30-second period while sending it: wait for the next code.
                time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.5)
                continue
            used = counter
            page.fill('input[name="code"]', format_hotp_value(hotp_value(person.totp_secret, counter)))
            page.press('input[name="code"]', "Enter")
            page.wait_for_load_state()
            if "/konto/2fa/authenticate/" not in page.url:
                break
    assert "/konto/" not in page.url, f"{email}: logging in failed, still on {page.url}"


def set_language(context, server: str, language: str) -> None:
    """Choose the interface language for every page of ``context``, as the language switch does."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server}])

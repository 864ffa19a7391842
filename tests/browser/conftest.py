"""Headless Chromium against pytest-django's live server, for tests marked ``browser``.

Playwright's sync API runs an event loop in the test thread, so Django's guard against
database calls from async code is lifted while the browser runs (and only then: the
variable would fail ``check --deploy`` in other tests).
Debian's Chromium is used (the CI script installs it); Playwright never downloads a browser.
"""

from __future__ import annotations

import os
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


def log_in(page, server: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{server}/konto/login/")
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', password)
    page.press('input[name="password"]', "Enter")
    page.wait_for_load_state()

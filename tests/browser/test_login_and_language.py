"""Logging in and switching language in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samspill.accounts.tests.factories import UserFactory
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_person_logs_in_through_the_form_and_lands_on_own_page(server, page):
    person = UserFactory(email="kari@example.no")

    log_in(page, server, person.email)

    expect(page).to_have_url(re.compile(r"/min-side/$"))
    expect(page.locator("form[action='/konto/logout/'] button")).to_be_visible()


def test_wrong_password_keeps_person_on_login_page(server, page):
    person = UserFactory(email="ola@example.no")

    log_in(page, server, person.email, "feil-passord-123")

    expect(page).to_have_url(re.compile(r"/konto/login/$"))
    expect(page.locator("form[action='/konto/logout/']")).to_have_count(0)


def test_language_button_switches_to_english_and_back(server, page):
    page.goto(f"{server}/konto/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("label[for='id_password']")).to_contain_text("Passord")

    page.locator("button[name='language'][value='en']").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/konto/login/$"))
    expect(page.locator("label[for='id_password']")).to_contain_text("Password")
    back = page.locator("button[name='language'][value='nb']")
    expect(back).to_have_text("Norsk (bokmål)")

    back.click()

    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("label[for='id_password']")).to_contain_text("Passord")

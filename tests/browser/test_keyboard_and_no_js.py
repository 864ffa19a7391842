"""Keyboard use and pages without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from samspill.organisations.tests.factories import OrganisationFactory
from samspill.places.models import Municipality

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/organisasjoner/", "/finnes-ikke/"])
def test_first_tab_reaches_a_visible_skip_link_that_moves_focus_to_main(server, page, path):
    page.goto(server + path)

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    expect(focused).to_have_class(re.compile(r"\bds-skip-link\b"))
    expect(focused).to_be_visible()
    box = focused.bounding_box()
    assert box is not None
    assert box["width"] > 10 and box["height"] > 10, f"the focused skip link is too small to see: {box}"
    assert box["y"] >= 0 and box["x"] >= 0, f"the focused skip link is off screen: {box}"

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate("document.activeElement.id") == "main"


def test_directory_search_works_without_javascript(server, browser):
    bergen = Municipality.objects.get(number="4601")
    OrganisationFactory(name="Besøksvennene i Bergen", slug="besoksvennene", home_municipality=bergen)
    OrganisationFactory(name="Turlaget Fjellvenner", slug="turlaget", home_municipality=bergen)
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    try:
        page.goto(f"{server}/organisasjoner/")
        expect(page.get_by_text("Turlaget Fjellvenner")).to_be_visible()

        page.fill("input[name='q']", "besøksvenn")
        page.locator("form[role='search'] button[type='submit']").click()

        expect(page).to_have_url(re.compile(r"/organisasjoner/\?.*q=bes"))
        expect(page.get_by_role("link", name="Besøksvennene i Bergen")).to_be_visible()
        expect(page.get_by_text("Turlaget Fjellvenner")).to_have_count(0)
    finally:
        context.close()

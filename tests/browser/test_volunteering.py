"""A volunteer in a real browser: finds an opportunity, reads the requirements, signs up for a
shift, sees it on Min side, gets the calendar link (text/calendar), and cancels.
axe-core runs on every page on the way (no serious or critical violations), and no CSP errors.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.calls_helpers import PathAudit
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def world():
    from samspill.accounts.tests.factories import UserFactory
    from samspill.organisations.tests.factories import OrganisationFactory
    from samspill.places.models import Municipality
    from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory

    organisation = OrganisationFactory(name="Frivilligsentralen i Voss", slug="fs-voss")
    opportunity = OpportunityFactory(
        organisation=organisation,
        title="Leksehjelp på biblioteket",
        municipality=Municipality.objects.get(number="4621"),
        requires_police_certificate=True,
        police_certificate_basis="minors",
        minimum_age=18,
    )
    ShiftFactory(opportunity=opportunity, capacity=3, place="Voss bibliotek")
    return opportunity, UserFactory(email="frivillig@example.no", name="Fredrik Frivillig")


def test_a_volunteer_finds_signs_up_adds_to_calendar_and_cancels(server, page, axe_source):
    from samspill.volunteering.models import SignUp

    _opportunity, volunteer = world()
    audit = PathAudit(axe_source)
    audit.watch(page)
    log_in(page, server, volunteer.email)

    page.goto(f"{server}/frivillig/?kommune=4621")
    audit.check(page, "search")
    page.get_by_role("link", name="Leksehjelp på biblioteket").click()
    audit.check(page, "opportunity")
    expect(page.get_by_text("Voss bibliotek")).to_be_visible()
    page.get_by_role("link", name="Meld meg på").click()

    audit.check(page, "confirm")
    expect(page.get_by_text("arbeid med mindreårige")).to_be_visible()
    expect(page.get_by_text("Du må være minst 18 år.")).to_be_visible()
    page.get_by_role("button", name="Bekreft påmelding").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Du er meldt på")).to_be_visible()
    assert SignUp.objects.get(user=volunteer).status == "confirmed"

    page.goto(f"{server}/min-side/")
    audit.check(page, "my page")
    section = page.locator("section", has=page.get_by_role("heading", name="Frivillige vakter"))
    expect(section.get_by_role("link", name="Leksehjelp på biblioteket")).to_be_visible()
    section.get_by_role("link", name="Få vaktene i kalenderen din").click()
    audit.check(page, "calendar")
    page.get_by_role("button", name="Lag kalenderlenke").click()
    page.wait_for_load_state()
    audit.check(page, "calendar link")
    link = page.get_by_label("Kalenderlenke").input_value()
    feed = page.request.get(server + urlsplit(link).path)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.text().startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Leksehjelp på biblioteket" in feed.text()

    page.goto(f"{server}/min-side/")
    section = page.locator("section", has=page.get_by_role("heading", name="Frivillige vakter"))
    section.get_by_role("button", name="Meld av").click()
    page.wait_for_load_state()
    audit.check(page, "after cancelling")
    expect(page.get_by_text("Du er meldt av.")).to_be_visible()
    expect(page.get_by_text("Du er ikke meldt på noen vakter.")).to_be_visible()
    assert SignUp.objects.get(user=volunteer).status == "cancelled"

    audit.assert_clean(at_least=6)

"""Hours to certificate in a real browser: a volunteer logs hours, the coordinator approves them
(and rejects one with a reason), then issues a volunteer certificate as PDF whose text is checked.
axe-core runs on every page on the way (no serious or critical violations).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.calls_helpers import PathAudit
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def people():
    from samspill.accounts.tests.factories import UserFactory
    from samspill.followup import services
    from samspill.followup.models import HoursEntry
    from samspill.followup.tests.factories import opportunity, shift, signup
    from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(name="Frivilligsentralen i Voss", slug="fs-voss")
    coordinator = UserFactory(email="koordinator@example.no", name="Kari Koordinator")
    MembershipFactory(user=coordinator, organisation=organisation, role="coordinator")
    volunteer = UserFactory(email="frivillig@example.no", name="Fredrik Frivillig")
    opp = opportunity(organisation, title="Besøksvenn på sjukeheimen")
    signup(opp, volunteer, shift=shift(opp, starts_at=timezone.now() - timedelta(days=6), hours=2), attended=True)
    services.sync_attended_hours()  # the attended shift gives two hours
    HoursEntry.objects.create(
        organisation=organisation,
        user=volunteer,
        date=timezone.localdate() - timedelta(days=3),
        hours=Decimal("9"),
        description="Ført to ganger",
    )
    return organisation, coordinator, volunteer


def test_volunteer_logs_hours_and_coordinator_approves_and_issues_a_certificate(server, browser, axe_source):
    from samspill.followup.models import HoursEntry
    from samspill.followup.tests.pdf import norwegian_date, pdf_text

    organisation, coordinator, volunteer = people()
    audit = PathAudit(axe_source)

    # The volunteer logs an evening of digital help.
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    audit.watch(page)
    log_in(page, server, volunteer.email)
    page.goto(f"{server}/min-side/")
    audit.check(page, "min side")
    page.get_by_role("link", name="Registrer og se timene dine").click()
    page.get_by_label("Organisasjon").select_option(label="Frivilligsentralen i Voss")
    page.get_by_label("Timer").fill("1.5")
    page.get_by_label("Hva gjorde du?").fill("Digital hjelp på biblioteket")
    page.get_by_label("Dato").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Registrer timene").click()
    expect(page.locator(".ds-error-summary")).to_contain_text("Datoen kan ikke være fram i tid.")
    expect(page.get_by_label("Hva gjorde du?")).to_have_value("Digital hjelp på biblioteket")
    audit.check(page, "log hours with an error")
    page.get_by_label("Dato").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Registrer timene").click()
    expect(page.get_by_text("Timene er registrert og venter på godkjenning.")).to_be_visible()
    audit.check(page, "my hours")
    context.close()

    # The coordinator finds the desk from the organisation's page.
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    audit.watch(page)
    log_in(page, server, coordinator.email)
    page.goto(f"{server}/organisasjoner/{organisation.slug}/")
    page.get_by_role("link", name="Oppfølgingskøen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oppfølging av frivillige")
    audit.check(page, "follow-up queue")
    page.get_by_role("link", name="Timer til godkjenning").first.click()
    audit.check(page, "hours to approve")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)

    # Reject the double entry: the reason is required and shown at the field.
    page.get_by_role("link", name=re.compile(r"^Avvis – Fredrik Frivillig")).nth(1).click()
    page.get_by_role("button", name="Avvis timene").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    audit.check(page, "reject with an error")
    page.get_by_label("Begrunnelse").fill("Ført to ganger – se vakta 6 dager siden")
    page.get_by_role("button", name="Avvis timene").click()
    expect(page.get_by_text("Timene er avvist.")).to_be_visible()
    while page.get_by_role("button", name=re.compile(r"^Godkjenn")).count():
        page.get_by_role("button", name=re.compile(r"^Godkjenn")).first.click()
        page.wait_for_load_state()
    expect(page.get_by_text("Ingen timer her.")).to_be_visible()
    assert sorted(HoursEntry.objects.values_list("status", flat=True)) == ["approved", "approved", "rejected"]

    page.get_by_role("link", name="Timerapport").click()
    expect(page.get_by_role("heading", name="Per person")).to_be_visible()
    audit.check(page, "report")
    page.get_by_role("link", name="Frivillige", exact=True).click()
    page.get_by_role("link", name="Fredrik Frivillig").click()
    audit.check(page, "volunteer")
    asked_on = timezone.localdate()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lag frivillig-attest (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "frivillig-attest-fredrik-frivillig-frivilligsentralen-i-voss.pdf"
    with open(download.path(), "rb") as file:
        text = pdf_text(file.read())  # the downloaded PDF's own text
    shift_day = HoursEntry.objects.get(opportunity__isnull=False).date
    logged_day = HoursEntry.objects.get(hours=Decimal("1.5")).date
    assert "Fredrik Frivillig har vært frivillig hos Frivilligsentralen i Voss." in text
    # 2 from the shift + 1.5 logged; the rejected 9 are left out.
    assert (
        f"Fra {norwegian_date(shift_day)} til {norwegian_date(logged_day)} ga hen til sammen 3,5 godkjente timer."
        in text
    )
    assert f"Besøksvenn på sjukeheimen {shift_day:%-d.%-m.%Y}–{shift_day:%-d.%-m.%Y} 2 " in text
    assert f"Annen frivillig innsats {logged_day:%-d.%-m.%Y}–{logged_day:%-d.%-m.%Y} 1,5 Sum 3,5 " in text
    assert "12,5" not in text
    signature = text.rsplit("Sum 3,5 ", 1)[1]
    assert signature in {
        f"Frivilligsentralen i Voss Utstedt {norwegian_date(day)}" for day in (asked_on, timezone.localdate())
    }
    context.close()

    audit.assert_clean(at_least=8)


def test_the_other_followup_pages_are_accessible(server, browser, axe_source):
    """axe on the pages the first test does not reach: queue with data, schedule, declaration, training,
    follow-up, end role; and the volunteer's check-in and signing pages."""
    from samspill.followup import services
    from samspill.followup.models import FollowUp, TrainingItem

    organisation, coordinator, volunteer = people()
    services.add_default_steps(organisation)
    services.publish_declaration(organisation=organisation, text="Jeg lover å tie.\n\nOgså etterpå.", by=coordinator)
    TrainingItem.objects.create(organisation=organisation, title="Førstehjelp", required=True)
    followup = FollowUp.objects.create(
        organisation=organisation, user=volunteer, step_name="Etter første vakt", due_on=timezone.localdate()
    )
    audit = PathAudit(axe_source)
    desk = f"{server}/oppfolging/organisasjon/{organisation.slug}"

    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    audit.watch(page)
    log_in(page, server, coordinator.email)
    for path, label in (
        ("/", "queue"),
        ("/plan/", "schedule"),
        ("/taushetserklaering/", "declarations"),
        ("/opplaering/", "training"),
        (f"/frivillige/{volunteer.pk}/", "volunteer with training"),
        (f"/frivillige/{volunteer.pk}/avslutt/", "end role"),
    ):
        page.goto(desk + path)
        audit.check(page, label)
    page.goto(f"{server}/oppfolging/oppfolging/{followup.pk}/")
    audit.check(page, "follow-up")
    context.close()

    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    audit.watch(page)
    log_in(page, server, volunteer.email)
    page.goto(f"{server}/oppfolging/sjekk-inn/{followup.pk}/")
    page.get_by_role("button", name="Send svar").click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    audit.check(page, "check-in with an error")
    page.get_by_label("4").check()
    page.get_by_label("flere oppgaver").check()
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Takk for svaret!")).to_be_visible()
    page.goto(f"{server}/oppfolging/taushetserklaering/{organisation.slug}/")
    audit.check(page, "sign declaration")
    page.get_by_label(re.compile("Jeg har lest erklæringen")).check()
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("Du har signert taushetserklæringen.")).to_be_visible()
    context.close()

    audit.assert_clean(at_least=9)

"""A partnership end to end: the county creates it and invites a voluntary organisation, whose
admin accepts; the county drafts and edits an agreement with a contribution, both parties sign
and the agreement locks; the summary shows the contribution; a meeting with an action item is
recorded. axe-core runs on every page on the way (no serious or critical violations).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.calls_helpers import PathAudit
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def people():
    from samspill.accounts.tests.factories import UserFactory, enable_totp
    from samspill.organisations.models import Organisation
    from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
    from samspill.partnerships.models import Topic
    from samspill.partnerships.seeds import create_topics
    from samspill.places.models import County

    # The headings of seed 004 come with a data migration; an earlier transactional test's
    # flush has taken them away, so put them back as the migration does.
    create_topics(Topic)
    county = OrganisationFactory(
        name="Vestland fylkeskommune",
        slug="vestland-fk",
        kind=kind("fylkeskommune"),
        governs_county=County.objects.get(number="46"),
    )
    voluntary = OrganisationFactory(name="Frivilligsentralen i Voss", slug="fs-voss")
    lead = UserFactory(email="fylke@example.no", name="Frida Fylke")
    MembershipFactory(user=lead, organisation=county, role="admin")
    secret = enable_totp(lead)
    member_admin = UserFactory(email="leder@example.no", name="Leif Lagleder")
    MembershipFactory(user=member_admin, organisation=voluntary, role="admin")
    assert Organisation.objects.count() == 2
    return lead, secret, member_admin


def log_in_with_code(page, server: str, email: str, secret: str) -> None:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    log_in(page, server, email)
    counters = list(yield_hotp_counters_from_time())
    page.fill('input[name="code"]', format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))
    page.press('input[name="code"]', "Enter")
    page.wait_for_load_state()
    assert "/konto/" not in page.url, page.url


def test_lead_and_member_agree_sign_and_meet(server, browser, axe_source):
    lead, secret, member_admin = people()
    audit = PathAudit(axe_source)
    lead_context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    member_context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    lead_context.set_default_timeout(15_000)
    member_context.set_default_timeout(15_000)
    page = lead_context.new_page()
    audit.watch(page)
    log_in_with_code(page, server, lead.email, secret)

    # The county creates the partnership; a missing name is shown at the field.
    page.goto(f"{server}/partnerskap/")
    audit.check(page, "list")
    page.get_by_role("link", name="Nytt partnerskap").click()
    page.get_by_label("Formål").fill("Bedre folkehelse sammen med frivilligheten.")
    page.get_by_role("button", name="Opprett partnerskapet").click()
    expect(page.locator(".ds-error-summary")).to_contain_text("Skriv navnet på partnerskapet.")
    expect(page.get_by_label("Formål")).to_have_value("Bedre folkehelse sammen med frivilligheten.")
    audit.check(page, "create form with errors")
    page.get_by_label("Navn").fill("Partnerskap for folkehelse")
    page.get_by_label("Hvorfor?").fill("Fordi vi når flere sammen.")
    page.get_by_role("button", name="Opprett partnerskapet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnerskap for folkehelse")
    expect(page.get_by_text("Fordi vi når flere sammen.")).to_be_visible()
    audit.check(page, "partnership page")
    slug = re.search(r"/partnerskap/([^/]+)/", page.url).group(1)

    # It invites the voluntary organisation, whose admin accepts.
    page.get_by_role("link", name="Medlemmer").first.click()
    page.get_by_role("link", name="Inviter en organisasjon").click()
    audit.check(page, "invite form")
    page.get_by_label("Organisasjon").select_option(label="Frivilligsentralen i Voss")
    page.get_by_role("button", name="Send invitasjonen").click()
    expect(page.get_by_text("Frivilligsentralen i Voss er invitert.")).to_be_visible()

    member = member_context.new_page()
    audit.watch(member)
    log_in(member, server, member_admin.email)
    member.goto(f"{server}/partnerskap/{slug}/medlemmer/")
    audit.check(member, "members page with invitation")
    member.get_by_role("button", name="Takk ja").click()
    expect(member.get_by_text("Frivilligsentralen i Voss er nå medlem.")).to_be_visible()

    # The county drafts an agreement with the new member, adds a contribution and edits the draft.
    page.goto(f"{server}/partnerskap/{slug}/avtaler/")
    audit.check(page, "agreements, none yet")
    page.get_by_role("link", name="Ny avtale").click()
    page.get_by_label("Tittel").fill("Avtale 2026")
    page.get_by_label("Avtalepart").select_option(label="Frivilligsentralen i Voss")
    page.get_by_label("Gjelder fra").fill("2026-01-01")
    page.get_by_label("Gjelder til").fill("2026-12-31")
    page.get_by_label("Avtaletekst").fill("Partene samarbeider om besøksvenner.")
    audit.check(page, "agreement form")
    page.get_by_role("button", name="Lagre som utkast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avtale 2026")
    page.get_by_label("Part").select_option(label="Frivilligsentralen i Voss")
    page.get_by_label("Type bidrag").select_option(label="frivillige timer")
    page.get_by_label("Beskrivelse").fill("Besøksvenner for eldre")
    page.get_by_label("Mengde").fill("1200")
    page.get_by_role("button", name="Legg til bidraget").click()
    expect(page.get_by_role("cell", name="Besøksvenner for eldre", exact=True)).to_be_visible()
    audit.check(page, "draft agreement with a contribution")
    page.get_by_role("link", name="Rediger avtalen").click()
    page.get_by_label("Tittel").fill("Partnerskapsavtale 2026")
    page.get_by_role("button", name="Lagre endringene").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnerskapsavtale 2026")

    # Sent for signing; the county's admin signs, then the member's admin.
    page.get_by_role("button", name="Send til signering").click()
    expect(page.get_by_text("Avtalen er sendt til signering.")).to_be_visible()
    page.get_by_label("Signert som (rolle eller stilling)").fill("fylkesdirektør")
    page.get_by_role("button", name="Signer", exact=True).click()
    expect(page.get_by_text("Du har signert avtalen.")).to_be_visible()
    agreement_url = page.url

    member.goto(agreement_url)
    audit.check(member, "agreement to sign")
    member.get_by_label("Signert som (rolle eller stilling)").fill("daglig leder")
    member.get_by_role("button", name="Signer", exact=True).click()
    expect(member.get_by_text("Alle partene har signert.").first).to_be_visible()
    expect(member.get_by_role("link", name="Rediger avtalen")).to_have_count(0)

    # Locked for the lead too; the summary shows the contribution.
    page.goto(agreement_url)
    expect(page.get_by_role("link", name="Rediger avtalen")).to_have_count(0)
    expect(page.get_by_role("button", name="Lag en ny versjon")).to_be_visible()
    audit.check(page, "signed agreement")
    page.goto(f"{server}/partnerskap/{slug}/avtaler/")
    summary = page.locator("table").filter(has_text="Bidrag per år og type")
    expect(summary).to_contain_text("Frivilligsentralen i Voss")
    expect(summary).to_contain_text(re.compile(r"1\s200 timer"))
    audit.check(page, "agreements with summary")

    # A meeting with an action item.
    page.goto(f"{server}/partnerskap/{slug}/moter/")
    page.get_by_role("link", name="Nytt møte").click()
    page.get_by_label("Dato").fill("2026-04-01")
    page.get_by_label("Sted").fill("Voss kulturhus")
    page.get_by_label("Vedtak").fill("Vi starter besøksvenner.")
    page.get_by_role("button", name="Lagre møtet").click()
    page.get_by_label("Hva").fill("Rekruttere ti besøksvenner")
    page.get_by_label("Ansvarlig organisasjon").select_option(label="Frivilligsentralen i Voss")
    page.get_by_role("button", name="Legg til", exact=True).click()
    expect(page.get_by_role("rowheader", name="Rekruttere ti besøksvenner")).to_be_visible()
    audit.check(page, "meeting")
    member.goto(f"{server}/partnerskap/{slug}/oppfolging/")
    expect(member.get_by_role("rowheader", name="Rekruttere ti besøksvenner")).to_be_visible()
    audit.check(member, "open action items")

    lead_context.close()
    member_context.close()
    audit.assert_clean(at_least=12)

"""The whole calls path in a real browser, as a new submitter and the call's editor walk it.

A person finds the open call, saves a draft, comes back to it through "Mine innspill",
attaches a PDF and sends it (a double click still sends once), and gets a reference and a
receipt. The editor filters the desk, writes a note, asks for more information, the person
corrects and resends, the editor accepts it and exports Excel and PDF. axe-core runs on every
page of the path, with the same rules as test_accessibility.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from samspill.accounts.tests.factories import UserFactory
from samspill.calls.export_tasks import build_export
from samspill.calls.models import Export, Submission
from samspill.calls.tests.factories import CallFactory, SubmissionFactory
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samspill.places.models import Municipality
from tests.browser.calls_helpers import PDF_BYTES, REFERENCE, PathAudit, focus_is_visible, mails_to, path_in
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tasks are stored, not run, so the export page shows its queue and progress until the test runs it.
DEFERRED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_submitter_and_editor_walk_the_whole_calls_path(server, browser, axe_source, settings, tmp_path):
    bergen = Municipality.objects.get(number="4601")
    organisation = OrganisationFactory(name="Frivillighet i Vest", home_municipality=bergen)
    editor = MembershipFactory(organisation=organisation, role="coordinator", user__email="redaktor@example.no").user
    call = CallFactory(
        title="Frivillighetsstrategi for helse og omsorg",
        slug="frivillighetsstrategi",
        organisations=[organisation],
        closes_at=timezone.now() + timedelta(days=14),
    )
    themes = list(call.themes.all())
    assert len(themes) >= 2, "the reference data should have several themes"
    chosen, other = themes[0], themes[1]
    # Someone else's example under another theme, so that filtering the desk visibly narrows it.
    elsewhere = SubmissionFactory(
        call=call,
        title="Turgruppe for seniorer",
        status=Submission.Status.RECEIVED,
        reference="INN-2001-0001",
        submitted_at=timezone.now() - timedelta(days=1),
    )
    elsewhere.themes.set([other])
    person = UserFactory(email="kari@example.no", name="Kari Nordmann")
    attachment = tmp_path / "rapport-besoksvenner.pdf"
    attachment.write_bytes(PDF_BYTES)
    audit = PathAudit(axe_source)

    # --- The submitter: find the call, start, and save a draft -----------------------------
    submitter_context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    submitter_context.set_default_timeout(15_000)
    page = submitter_context.new_page()
    audit.watch(page)
    log_in(page, server, person.email)
    expect(page).to_have_url(re.compile(r"/min-side/$"))

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Innspill").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check(page, "call list")
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", level=1, name=call.title)).to_be_visible()
    audit.check(page, "call page")

    page.get_by_role("link", name="Send inn et eksempel").click()
    expect(page.get_by_role("heading", level=1, name="Send inn et godt eksempel")).to_be_visible()
    expect(page.get_by_label("Kontaktperson", exact=False).first).to_have_value("Kari Nordmann")
    audit.check(page, "submission form, empty")

    # Going on with nothing filled in shows what is missing, at the fields and in a summary.
    page.get_by_role("button", name="Gå videre til å se over og sende").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("Tittel på eksempelet"))).to_be_visible()
    audit.check(page, "submission form, with validation errors")

    page.get_by_label("Tittel på eksempelet").fill("Besøksvenner i Bergen")
    page.get_by_label("Kort sammendrag").fill("Frivillige besøker eldre som bor alene.")
    page.get_by_role("button", name="Lagre utkast").click()
    expect(page.get_by_text("Utkastet er lagret.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Rediger innspillet ditt")).to_be_visible()
    assert Submission.objects.filter(call=call, submitter=person, status=Submission.Status.DRAFT).count() == 1

    # --- Leave, and come back to the draft through "Mine innspill" --------------------------
    page.goto(server + "/")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Innspill").click()
    page.get_by_role("main").get_by_role("link", name="Mine innspill").click()
    expect(page).to_have_url(re.compile(r"/innspill/mine/$"))
    expect(page.get_by_role("row", name=re.compile("Besøksvenner i Bergen"))).to_contain_text("Utkast")
    audit.check(page, "my submissions, with a draft")
    page.get_by_role("link", name="Besøksvenner i Bergen").click()
    page.get_by_role("link", name="Fortsett med utkastet").click()
    expect(page.get_by_label("Tittel på eksempelet")).to_have_value("Besøksvenner i Bergen")

    page.get_by_label("Hva ble gjort?").fill("Vi rekrutterte og fulgte opp 40 besøksvenner.")
    page.get_by_label("Hvorfor ble det gjort?").fill("For å redusere ensomhet blant eldre.")
    page.get_by_label("Hva har dere lært?").fill("Faste par fungerer best.")
    # The theme checkboxes and the consent radios with the keyboard only, with visible focus.
    page.keyboard.press("Tab")
    first_theme = page.locator("input[name='themes']").first
    expect(first_theme).to_be_focused()
    assert focus_is_visible(page), "a focused theme checkbox shows no focus indicator"
    page.keyboard.press("Space")
    expect(first_theme).to_be_checked()
    page.locator("#id_municipality").select_option(str(bergen.pk))
    page.get_by_label("Legg til vedlegg").set_input_files(attachment)
    page.get_by_label("Legg til vedlegg").focus()
    page.keyboard.press("Tab")
    yes = page.get_by_label("Ja, eksempelet kan publiseres")
    no = page.get_by_label("Nei, bare til bruk i strategiarbeidet")
    expect(yes).to_be_focused()
    assert focus_is_visible(page), "a focused consent radio shows no focus indicator"
    page.keyboard.press("ArrowDown")
    expect(no).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(yes).to_be_checked()
    expect(no).not_to_be_checked()

    page.get_by_role("button", name="Gå videre til å se over og sende").click()
    expect(page.get_by_role("heading", level=1, name="Se over før du sender")).to_be_visible()
    expect(page.get_by_text("rapport-besoksvenner.pdf")).to_be_visible()
    expect(page.get_by_text("Dette mangler før du kan sende inn")).to_have_count(0)
    audit.check(page, "review before sending")

    # A quick double click gives one submission, one reference and one receipt.
    page.get_by_role("button", name="Send inn", exact=True).dblclick()
    expect(page).to_have_url(re.compile(r"\?sendt=1$"))
    expect(page.get_by_role("heading", level=1, name="Takk! Innspillet ditt er sendt inn.")).to_be_visible()
    shown = REFERENCE.search(page.get_by_role("main").inner_text())
    assert shown, "the receipt page shows no reference"
    audit.check(page, "receipt page")
    # Going back to the review page shows what was sent, with nothing left to send.
    page.go_back()
    expect(page.get_by_role("heading", level=1, name="Besøksvenner i Bergen")).to_be_visible()
    expect(page.get_by_role("button", name="Send inn", exact=True)).to_have_count(0)

    sent = Submission.objects.exclude(pk=elsewhere.pk).get(call=call)
    assert sent.submitter == person
    assert sent.status == Submission.Status.RECEIVED
    assert sent.reference == shown.group(0)
    assert [t.pk for t in sent.themes.all()] == [chosen.pk]
    assert sent.municipality == bergen
    assert sent.consent_to_publish is True
    assert [a.original_name for a in sent.attachments.all()] == ["rapport-besoksvenner.pdf"]
    receipts = mails_to(person.email)
    assert len(receipts) == 1, [m.subject for m in receipts]
    assert sent.reference in receipts[0].subject
    assert sent.reference in receipts[0].body

    page.get_by_role("link", name="Mine innspill").first.click()
    expect(page.get_by_role("row", name=re.compile("Besøksvenner i Bergen"))).to_contain_text(sent.reference)
    audit.check(page, "my submissions, after sending")
    submitter_context.close()

    # --- The editor: the desk, filtered by theme; a note; asking for more ------------------
    editor_context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    editor_context.set_default_timeout(15_000)
    desk = editor_context.new_page()
    audit.watch(desk)
    log_in(desk, server, editor.email)
    expect(desk).to_have_url(re.compile(r"/min-side/$"))
    desk.goto(f"{server}/innspill/{call.slug}/")
    desk.get_by_role("link", name="Behandling av innspill").click()
    expect(desk.get_by_role("heading", name="2 innspill")).to_be_visible()
    audit.check(desk, "review desk")

    desk.get_by_label("Innsatsområde").select_option(chosen.slug)
    desk.get_by_role("button", name="Vis innspill").click()
    expect(desk).to_have_url(re.compile(rf"tema={re.escape(chosen.slug)}"))
    expect(desk.get_by_role("heading", name="1 innspill")).to_be_visible()
    expect(desk.get_by_role("link", name="Turgruppe for seniorer")).to_have_count(0)
    audit.check(desk, "review desk, filtered by theme")

    desk.get_by_role("link", name="Besøksvenner i Bergen").click()
    expect(desk.get_by_role("heading", level=1, name="Besøksvenner i Bergen")).to_be_visible()
    expect(desk.get_by_text(sent.reference).first).to_be_visible()
    audit.check(desk, "editor's submission page")

    desk.get_by_label("Nytt internt notat").fill("Sterkt eksempel, men vi trenger tall på resultater.")
    desk.get_by_role("button", name="Lagre notatet").click()
    expect(desk.get_by_text("Notatet er lagret.")).to_be_visible()
    expect(desk.get_by_text("Sterkt eksempel, men vi trenger tall på resultater.")).to_be_visible()

    desk.get_by_label("Ny status").select_option(Submission.Status.NEEDS_INFO)
    desk.get_by_label("Melding til innsenderen").fill("Kan dere si noe om hvor mange som fikk besøk?")
    desk.get_by_role("button", name="Endre status").click()
    expect(desk.get_by_text("Innsenderen har fått e-post")).to_be_visible()
    audit.check(desk, "editor's submission page, after asking for more")
    sent.refresh_from_db()
    assert sent.status == Submission.Status.NEEDS_INFO
    asked = [m for m in mails_to(person.email) if "hvor mange som fikk besøk" in m.body]
    assert len(asked) == 1, [m.subject for m in mails_to(person.email)]

    # --- The submitter follows the e-mail's link, logs in, corrects and resends ---------------
    returning = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    returning.set_default_timeout(15_000)
    page = returning.new_page()
    audit.watch(page)
    page.goto(server + path_in(asked[0].body, "/innspill/"))
    expect(page).to_have_url(re.compile(r"/konto/login/\?next="))
    page.fill('input[name="login"]', person.email)
    page.fill('input[name="password"]', "riktig-passord-123")
    page.press('input[name="password"]', "Enter")
    # The link leads straight to the form, past the login.
    expect(page).to_have_url(re.compile(rf"/innspill/bidrag/{sent.pk}/rediger/$"))
    expect(page.get_by_text("Redaksjonen har bedt om mer informasjon.")).to_be_visible()
    audit.check(page, "submission form, asked for more information")
    page.get_by_label("Hvilke resultater ga det?").fill("120 eldre fikk besøk hver uke i et år.")
    page.get_by_role("button", name="Gå videre til å se over og sende").click()
    page.get_by_role("button", name="Send inn", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Takk! Innspillet ditt er sendt inn.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(sent.reference)
    sent.refresh_from_db()
    assert sent.status == Submission.Status.RECEIVED
    assert sent.results == "120 eldre fikk besøk hver uke i et år."
    returning.close()

    # --- The editor accepts it, and exports Excel (watching the progress) and PDF ----------
    desk.reload()
    desk.get_by_label("Ny status").select_option(Submission.Status.ACCEPTED)
    desk.get_by_role("button", name="Endre status").click()
    expect(desk.get_by_text("Statusen er endret.")).to_be_visible()
    sent.refresh_from_db()
    assert sent.status == Submission.Status.ACCEPTED

    desk.goto(f"{server}/innspill/{call.slug}/")
    desk.get_by_role("link", name="Eksport av innspill (CSV, Excel, PDF)").click()
    expect(desk.get_by_role("heading", level=1, name=re.compile("Eksport av innspill"))).to_be_visible()
    audit.check(desk, "export page")

    settings.TASKS = DEFERRED
    desk.get_by_label("Excel (ett ark").check()
    desk.get_by_role("button", name="Lag eksport").click()
    progress = desk.get_by_role("progressbar")
    expect(progress).to_be_visible()
    expect(desk.get_by_text("Eksporten står i kø og starter straks.")).to_be_visible()
    audit.check(desk, "export in progress")
    settings.TASKS = IMMEDIATE
    export = Export.objects.get(call=call, format=Export.Format.XLSX)
    build_export.call(export.pk)
    # htmx polls the progress and swaps in the finished fragment without a reload.
    expect(desk.get_by_text("Eksporten er ferdig.", exact=True)).to_be_visible()
    expect(desk.locator("#export-announce")).to_have_text("Eksporten er ferdig og klar til nedlasting.")
    expect(progress).to_have_count(0)
    audit.check(desk, "export finished")
    with desk.expect_download() as download_info:
        desk.get_by_role("link", name=re.compile(r"^Last ned .*\.xlsx")).click()
    xlsx = download_info.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    with open(xlsx.path(), "rb") as file:
        assert file.read(2) == b"PK"

    desk.get_by_role("link", name="Tilbake til eksport").click()
    desk.get_by_label("PDF-hefte").check()
    desk.get_by_role("button", name="Lag eksport").click()
    expect(desk.get_by_text("Eksporten er ferdig.", exact=True)).to_be_visible()
    with desk.expect_download() as download_info:
        desk.get_by_role("link", name=re.compile(r"^Last ned .*\.pdf")).click()
    booklet = download_info.value
    with open(booklet.path(), "rb") as file:
        assert file.read(4) == b"%PDF"
    desk.get_by_role("link", name="Tilbake til eksport").click()
    expect(desk.get_by_role("link", name="Last ned")).to_have_count(2)
    audit.check(desk, "export page, with finished exports")
    editor_context.close()

    print("\n".join(["Audited:", *audit.audit.audited]))
    audit.assert_clean(at_least=15)

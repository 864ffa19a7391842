"""Exports for the strategy writers: CSV, XLSX and the PDF booklet, as background tasks, for editors only."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samspill.calls import export_tasks, exports
from samspill.calls.models import Attachment, Call, Export, Submission
from samspill.calls.tests.factories import CallFactory, SubmissionFactory
from samspill.core.tests.pdf import pdf_outline, pdf_reader, pdf_text
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samspill.places.models import Municipality
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(organisation):
    """A coordinator of the organisation behind the call: an editor of the call."""
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def themes():
    return list(Theme.objects.order_by("position", "name")[:2])


def sent(call, *, themes, status=Submission.Status.RECEIVED, n=[0], **fields):  # noqa: B006
    n[0] += 1
    submission = SubmissionFactory(
        call=call,
        status=status,
        reference=f"INN-2026-{n[0]:04d}",
        submitted_at=fields.pop("submitted_at", datetime(2026, 5, 8, 21, 59, tzinfo=UTC)),
        municipality=fields.pop("municipality", Municipality.objects.get(number="4601")),
        **fields,
    )
    submission.themes.set(themes)
    return submission


def sheet_of(theme) -> str:
    return exports.sheet_name(theme.label, set())


def run_export(client, call, format, django_capture_on_commit_callbacks) -> tuple[Export, bytes]:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:exports", args=[call.slug]), {"format": format})
    assert response.status_code == 302
    export = Export.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    assert response.url == reverse("calls:export", args=[export.pk])
    assert export.status == Export.Status.DONE, export.error
    download = client.get(reverse("calls:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert f"{call.slug}-innspill-" in download["Content-Disposition"]
    return export, b"".join(download.streaming_content)


# --- CSV -----------------------------------------------------------------------------


def test_csv_has_every_sent_submission_with_its_details(
    client, editor, call, themes, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Bergen Røde Kors")
    submission = sent(
        call,
        themes=themes,
        title="Besøksvenner i Bergen",
        summary="Frivillige besøker eldre.",
        what="Vi rekrutterte 40 besøksvenner.",
        organisation=organisation,
        contact_name="Kari Nordmann",
        contact_email="kari@example.no",
        contact_phone="+47 912 34 567",
        tags=["ensomhet", "eldre"],
    )
    submission.target_groups.set(TargetGroup.objects.all()[:1])
    submission.focus_areas.set(FocusArea.objects.all()[:1])
    Attachment.objects.create(
        submission=submission, file="attachments/x", original_name="rapport.pdf", content_type="application/pdf", size=1
    )
    SubmissionFactory(call=call, title="Et utkast ingen har sendt")  # drafts are never exported
    sent(CallFactory(), themes=themes, title="Innspill til en annen runde")
    client.force_login(editor)

    export, content = run_export(client, call, "csv", django_capture_on_commit_callbacks)

    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark to read UTF-8"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Referansenummer", "Status", "Sendt inn", "Tittel"]
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Referansenummer"] == submission.reference
    assert record["Status"] == "mottatt"
    assert record["Sendt inn"] == "2026-05-08 23:59"  # Europe/Oslo, summer time
    assert record["Tittel"] == "Besøksvenner i Bergen"
    assert record["Hva ble gjort"] == "Vi rekrutterte 40 besøksvenner."
    assert record["Innsatsområder"] == "; ".join(t.label for t in themes)
    assert record["Kommune"] == "Bergen"
    assert record["Fylke"] == "Vestland"
    assert record["Organisasjon"] == "Bergen Røde Kors"
    assert record["Organisasjonstype"] == organisation.kind.label
    assert record["Målgrupper"] == TargetGroup.objects.all()[0].label
    assert record["Fokusområder"] == FocusArea.objects.all()[0].label
    assert (record["Kontaktperson"], record["E-post"]) == ("Kari Nordmann", "kari@example.no")
    assert record["Telefon"] == "'+47 912 34 567"  # a leading + is neutralised too
    assert record["Samtykke til publisering"] == "Ja"
    assert record["Stikkord"] == "ensomhet; eldre"
    assert record["Vedlegg"] == "rapport.pdf"
    assert export.progress == 100
    assert export.finished_at is not None


def test_csv_and_xlsx_neutralise_formulas(client, editor, call, themes, django_capture_on_commit_callbacks):
    sent(
        call,
        themes=themes[:1],
        title='=HYPERLINK("http://evil.example","klikk")',
        summary="@SUM(1+1)",
        what="-2+3",
        why="\tvia tab",
        contact_name="+4791234567",
    )
    client.force_login(editor)

    _, content = run_export(client, call, "csv", django_capture_on_commit_callbacks)
    header, cells = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    record = dict(zip(header, cells, strict=True))
    assert record["Tittel"] == '\'=HYPERLINK("http://evil.example","klikk")'
    assert record["Kort sammendrag"] == "'@SUM(1+1)"
    assert record["Hva ble gjort"] == "'-2+3"
    assert record["Hvorfor"] == "'\tvia tab"
    assert record["Kontaktperson"] == "'+4791234567"

    _, content = run_export(client, call, "xlsx", django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(content))[sheet_of(themes[0])]
    values = [cell.value for cell in sheet[2]]
    assert '\'=HYPERLINK("http://evil.example","klikk")' in values
    assert "'@SUM(1+1)" in values
    assert "'-2+3" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# --- XLSX ----------------------------------------------------------------------------


def test_xlsx_has_a_sheet_per_theme_and_a_summary(client, editor, call, themes, django_capture_on_commit_callbacks):
    first, second = themes
    oslo = Municipality.objects.get(number="0301")
    organisation = OrganisationFactory()
    both = sent(call, themes=[first, second], title="På begge ark", organisation=organisation)
    only_first = sent(call, themes=[first], title="Bare på det første", municipality=oslo)
    sent(call, themes=[], title="Uten område")
    client.force_login(editor)

    _, content = run_export(client, call, "xlsx", django_capture_on_commit_callbacks)
    workbook = load_workbook(io.BytesIO(content))

    assert workbook.sheetnames[0] == "Oppsummering"
    call_themes = [sheet_of(t) for t in call.themes.all()]
    assert workbook.sheetnames[1 : 1 + len(call_themes)] == call_themes
    assert "Uten innsatsområde" in workbook.sheetnames

    def titles(sheet_name):
        sheet = workbook[sheet_name]
        header = [c.value for c in sheet[1]]
        column = header.index("Tittel")
        return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert titles(sheet_of(first)) == [both.title, only_first.title]
    assert titles(sheet_of(second)) == [both.title]
    assert titles("Uten innsatsområde") == ["Uten område"]
    date = workbook[sheet_of(first)]["C2"].value
    assert date == datetime(2026, 5, 8, 23, 59)  # noqa: DTZ001 -- Oslo wall-clock time, as a real date cell

    summary = {row[0]: row[1] for row in workbook["Oppsummering"].iter_rows(values_only=True) if row}
    assert summary["Innsendte innspill"] == 3
    assert summary[first.label] == 2
    assert summary[second.label] == 1
    assert summary["Vestland"] == 2
    assert summary["Oslo"] == 1
    assert summary["Privatperson"] == 2
    assert summary[organisation.kind.label] == 1


def test_sheet_names_follow_excels_rules():
    taken: set[str] = set()
    long = "Rekruttering, inkludering og oppfølging: frivillige/nye former?"
    first = exports.sheet_name(long, taken)
    second = exports.sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & set(first + second)
    assert first != second


# --- PDF -----------------------------------------------------------------------------


def test_pdf_booklet_has_the_accepted_submissions_by_theme(
    client, editor, call, themes, django_capture_on_commit_callbacks
):
    first, second = themes
    accepted = sent(call, themes=[first, second], status=Submission.Status.ACCEPTED, title="Turvenner i Åsane")
    also = sent(call, themes=[second], status=Submission.Status.ACCEPTED, title="Leksehjelp på biblioteket")
    sent(call, themes=[first], status=Submission.Status.DECLINED, title="Avslått idé")
    sent(call, themes=[first], title="Ikke behandlet ennå")
    client.force_login(editor)

    _, content = run_export(client, call, "pdf", django_capture_on_commit_callbacks)
    assert content.startswith(b"%PDF")

    # What a reader of the booklet sees: its pages' text and its outline (bookmarks).
    reader = pdf_reader(content)
    assert len(reader.pages) >= 4  # cover, contents, one page per theme
    outline = pdf_outline(content)
    assert accepted.title in outline and also.title in outline
    assert "Avslått idé" not in outline and "Ikke behandlet ennå" not in outline
    assert outline.index(first.label.capitalize()) < outline.index(accepted.title)
    text = pdf_text(content)
    assert "Turvenner i Åsane" in text and "Leksehjelp på biblioteket" in text
    assert "Avslått idé" not in text and "Ikke behandlet ennå" not in text
    assert "kari@example.no" not in text  # no contact details in the booklet
    html = exports.booklet_html(call)
    assert "target-counter(attr(href), page)" in html  # the contents list page numbers


# --- Background task and progress -------------------------------------------------------


def test_progress_moves_forward_only_while_the_export_runs(call, editor):
    export = Export.objects.create(call=call, requested_by=editor, format="csv", status=Export.Status.RUNNING)
    progress = export_tasks._Progress(export.pk)
    progress(25, 100)  # not on a multiple of 50: no write yet
    export.refresh_from_db()
    assert export.progress == 0
    progress(50, 100)
    export.refresh_from_db()
    assert export.progress == 50
    progress(100, 100)
    export.refresh_from_db()
    assert export.progress == 99  # 100 only once the file is saved
    Export.objects.filter(pk=export.pk).update(status=Export.Status.DONE, progress=100)
    progress(100, 100)
    export.refresh_from_db()
    assert export.progress == 100


def test_a_task_run_twice_builds_once(call, editor, themes):
    sent(call, themes=themes)
    export = Export.objects.create(call=call, requested_by=editor, format="csv")
    export_tasks.build_export.call(export.pk)
    export.refresh_from_db()
    first_file = export.file.name
    export_tasks.build_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    assert export.file.name == first_file
    assert first_file.startswith("exports/") and first_file.endswith(".csv")


def test_a_failing_export_is_marked_failed_with_a_message(
    client, editor, call, themes, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(call, out, on_progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.WRITERS, "xlsx", broken)
    sent(call, themes=themes)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:exports", args=[call.slug]), {"format": "xlsx"})
    export = Export.objects.get(call=call)
    response = client.get(reverse("calls:export", args=[export.pk]))
    assert response.status_code == 200
    assert export.status == Export.Status.FAILED
    assert "disk full" in export.error
    assert "Eksporten kunne ikke lages" in response.content.decode()
    assert not export.file
    assert client.get(reverse("calls:export_download", args=[export.pk])).status_code == 404


def test_status_page_polls_while_running_and_stops_when_done(client, editor, call):
    export = Export.objects.create(
        call=call, requested_by=editor, format="xlsx", status=Export.Status.RUNNING, progress=40
    )
    client.force_login(editor)
    url = reverse("calls:export", args=[export.pk])

    page = client.get(url).content.decode()
    assert "<progress" in page and 'value="40"' in page and 'aria-valuenow="40"' in page
    assert '<label class="ds-label" for="export-bar-' in page
    assert "Oppdater siden for å se fremdriften" in page  # works without JavaScript
    assert 'hx-trigger="every 1s"' in page
    assert "http-equiv" not in page

    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 1s"' in fragment

    Export.objects.filter(pk=export.pk).update(status=Export.Status.DONE, progress=100, file="exports/x.xlsx")
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment.split('id="export-announce"')[0]
    assert reverse("calls:export_download", args=[export.pk]) in fragment
    assert 'hx-swap-oob="innerHTML"' in fragment  # announces "ready" in the live region


def test_a_bad_format_is_refused_at_the_field(client, editor, call):
    client.force_login(editor)
    response = client.post(reverse("calls:exports", args=[call.slug]), {"format": "exe"})
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.content.decode() or "gyldig" in response.content.decode()
    assert not Export.objects.exists()


def test_the_call_page_links_editors_to_the_exports(client, editor, member, call):
    url = reverse("calls:exports", args=[call.slug])
    client.force_login(editor)
    assert url in client.get(call.get_absolute_url()).content.decode()
    client.force_login(member)
    assert url not in client.get(call.get_absolute_url()).content.decode()


# --- Who may see exports ----------------------------------------------------------------


@pytest.fixture
def done_export(call, editor, themes, django_capture_on_commit_callbacks):
    sent(call, themes=themes, contact_email="hemmelig@example.no")
    with django_capture_on_commit_callbacks(execute=True):
        export = export_tasks.request_export(call=call, user=editor, format="csv")
    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    return export


def test_outsiders_get_nothing(client, outsider, call, done_export):
    client.force_login(outsider)
    assert client.get(reverse("calls:exports", args=[call.slug])).status_code == 403
    assert client.post(reverse("calls:exports", args=[call.slug]), {"format": "csv"}).status_code == 403
    assert client.get(reverse("calls:export", args=[done_export.pk])).status_code == 404
    response = client.get(reverse("calls:export_download", args=[done_export.pk]))
    assert response.status_code == 404
    assert Export.objects.count() == 1


def test_plain_members_of_the_organisation_behind_the_call_are_no_editors(client, member, call, done_export):
    client.force_login(member)
    assert client.get(reverse("calls:exports", args=[call.slug])).status_code == 403
    assert client.get(reverse("calls:export", args=[done_export.pk])).status_code == 404
    assert client.get(reverse("calls:export_download", args=[done_export.pk])).status_code == 404


def test_editors_of_another_call_cannot_reach_this_calls_exports(client, other_organisation, done_export):
    other_editor = MembershipFactory(organisation=other_organisation, role="coordinator").user
    CallFactory(organisations=[other_organisation])
    client.force_login(other_editor)
    assert client.get(reverse("calls:export", args=[done_export.pk])).status_code == 404
    assert client.get(reverse("calls:export_download", args=[done_export.pk])).status_code == 404


def test_an_unpublished_call_is_hidden_from_outsiders(client, outsider, organisation):
    draft = CallFactory(organisations=[organisation], is_published=False)
    client.force_login(outsider)
    assert client.get(reverse("calls:exports", args=[draft.slug])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, call, done_export):
    for url in (
        reverse("calls:exports", args=[call.slug]),
        reverse("calls:export", args=[done_export.pk]),
        reverse("calls:export_download", args=[done_export.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response.url


def test_an_editor_sees_the_list_and_downloads(client, editor, call, done_export):
    client.force_login(editor)
    page = client.get(reverse("calls:exports", args=[call.slug]))
    assert page.status_code == 200
    assert reverse("calls:export_download", args=[done_export.pk]) in page.content.decode()
    download = client.get(reverse("calls:export_download", args=[done_export.pk]))
    assert b"hemmelig@example.no" in b"".join(download.streaming_content)


def test_exports_leave_with_the_call_and_keep_without_the_requester(done_export, editor):
    editor.delete()
    done_export.refresh_from_db()
    assert done_export.requested_by is None
    assert Call.objects.filter(exports=done_export).exists()

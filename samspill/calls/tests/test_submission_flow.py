from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samspill.calls.models import Attachment, Submission
from samspill.calls.tests.conftest import PNG_BYTES, complete_data, docx_bytes, pdf
from samspill.calls.tests.factories import CallFactory, SubmissionFactory
from samspill.core import uploads

pytestmark = pytest.mark.django_db


def new_url(call):
    return reverse("calls:submission_new", args=[call.slug])


def test_the_call_page_shows_its_themes_deadline_and_who_is_behind(client, call, organisation):
    html = client.get(call.get_absolute_url()).content.decode()
    assert call.title in html
    assert organisation.name in html
    assert "rekruttering og oppfølging av frivillige" in html.lower()
    assert "Logg inn for å sende inn" in html


def test_save_a_draft_come_back_attach_a_pdf_and_send(client, user, call, django_capture_on_commit_callbacks):
    client.force_login(user)
    assert client.get(new_url(call)).status_code == 200

    draft = complete_data(call, action="save", title="Halvferdig", what="", consent="")
    response = client.post(new_url(call), draft)
    submission = Submission.objects.get()
    assert response["Location"] == reverse("calls:submission_edit", args=[submission.pk])
    assert submission.status == "draft" and submission.title == "Halvferdig"
    assert submission.reference is None

    # Coming back later: the draft is there, and a PDF can be attached.
    edit = reverse("calls:submission_edit", args=[submission.pk])
    assert "Halvferdig" in client.get(edit).content.decode()
    data = complete_data(call, form_token=str(submission.form_token))
    data["new_attachments"] = [pdf()]
    response = client.post(edit, data)
    assert response["Location"] == reverse("calls:submission_review", args=[submission.pk])
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.startswith("attachments/") and "rapport" not in attachment.file.name

    review = client.get(reverse("calls:submission_review", args=[submission.pk])).content.decode()
    assert "Besøksvenner i Bergen" in review and "rapport.pdf" in review

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:submission_review", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "received"
    assert submission.reference == f"INN-{timezone.localdate().year}-0001"
    assert submission.reference in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert submission.reference in receipt.subject
    assert "Vi rekrutterte 40 besøksvenner." in receipt.body
    assert receipt.to == ["kari@example.no", user.email] or set(receipt.to) == {"kari@example.no", user.email}


def test_a_double_click_on_send_makes_one_submission_and_one_receipt(
    client, user, call, django_capture_on_commit_callbacks
):
    client.force_login(user)
    client.post(new_url(call), complete_data(call))
    submission = Submission.objects.get()
    url = reverse("calls:submission_review", args=[submission.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    assert Submission.objects.count() == 1
    assert Submission.objects.get().reference.endswith("0001")
    assert len(mail.outbox) == 1


def test_a_double_click_on_save_makes_one_draft(client, user, call):
    client.force_login(user)
    data = complete_data(call, action="save")
    client.post(new_url(call), data)
    client.post(new_url(call), data)
    assert Submission.objects.count() == 1


def test_missing_fields_are_named_at_the_field_and_typed_text_is_kept(client, user, call):
    client.force_login(user)
    response = client.post(new_url(call), complete_data(call, title="", consent="", what="Det vi gjorde"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Feltet er påkrevet" in html
    assert "Det vi gjorde" in html
    assert not Submission.objects.exists()


def test_texts_are_stored_as_plain_text_and_shown_escaped(client, user, call):
    client.force_login(user)
    client.post(new_url(call), complete_data(call, what="<script>alert(1)</script>\n\nAndre avsnitt"))
    submission = Submission.objects.get()
    html = client.get(reverse("calls:submission_review", args=[submission.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<p>Andre avsnitt</p>" in html


def test_too_long_text_is_refused_with_a_message(client, user, call):
    client.force_login(user)
    response = client.post(new_url(call), complete_data(call, what="x" * 5001))
    assert "5000 eller færre tegn" in response.content.decode()


def test_the_honeypot_stops_bots(client, user, call):
    client.force_login(user)
    response = client.post(new_url(call), complete_data(call, website="http://spam.example"))
    assert "spamfilteret" in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bilde.pdf", PNG_BYTES, "navnet sier noe annet"),  # a PNG pretending to be a PDF
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100, "ikke en filtype vi tar imot"),  # a Windows executable
        ("skript.pdf", b"#!/bin/sh\nrm -rf /\n", "ikke en filtype vi tar imot"),
        ("tom.pdf", b"", "er tom"),
    ],
)
def test_spoofed_and_executable_attachments_are_refused_and_the_form_kept(client, user, call, name, content, message):
    client.force_login(user)
    data = complete_data(call, what="Teksten min")
    data["new_attachments"] = [SimpleUploadedFile(name, content, content_type="application/pdf")]
    response = client.post(new_url(call), data)
    html = response.content.decode()
    assert message in html
    assert "Teksten min" in html
    assert not Attachment.objects.exists()


def test_docx_odt_and_images_are_recognised_from_their_content(client, user, call):
    client.force_login(user)
    data = complete_data(call)
    data["new_attachments"] = [
        SimpleUploadedFile("plan.docx", docx_bytes()),
        SimpleUploadedFile("bilde.png", PNG_BYTES),
    ]
    client.post(new_url(call), data)
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    ]


def test_zip_bombs_and_oversized_files_are_refused(client, user, call, monkeypatch):
    client.force_login(user)
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 1000)
    data = complete_data(call)
    data["new_attachments"] = [SimpleUploadedFile("bombe.docx", docx_bytes(extra_size=5000))]
    assert "altfor stort" in client.post(new_url(call), data).content.decode()

    monkeypatch.setattr(Attachment, "MAX_BYTES", 10)
    data = complete_data(call)
    data["new_attachments"] = [pdf()]
    assert "for stor" in client.post(new_url(call), data).content.decode()
    assert not Attachment.objects.exists()


def test_at_most_five_attachments(client, user, call):
    client.force_login(user)
    data = complete_data(call)
    data["new_attachments"] = [pdf(f"fil{i}.pdf") for i in range(6)]
    assert "høyst 5 vedlegg" in client.post(new_url(call), data).content.decode()


def test_after_the_deadline_the_form_is_closed_and_a_late_post_keeps_what_was_typed(client, user, call):
    client.force_login(user)
    client.post(new_url(call), complete_data(call, action="save"))
    submission = Submission.objects.get()
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save(update_fields=["closes_at"])

    assert client.get(new_url(call)).status_code == 409
    response = client.post(
        reverse("calls:submission_edit", args=[submission.pk]),
        complete_data(call, form_token=str(submission.form_token), what="Skrevet rett før fristen"),
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Fristen for denne innspillsrunden har gått ut" in html
    assert "Skrevet rett før fristen" in html
    # A draft cannot be sent after the deadline either.
    response = client.post(reverse("calls:submission_review", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "draft"
    assert "Fristen" in response.content.decode()


def test_editors_can_reopen_by_extending_the_deadline(client, user, call):
    call.closes_at = timezone.now() - timedelta(days=1)
    call.save(update_fields=["closes_at"])
    client.force_login(user)
    assert client.get(new_url(call)).status_code == 409
    call.closes_at = timezone.now() + timedelta(days=7)
    call.save(update_fields=["closes_at"])
    assert client.get(new_url(call)).status_code == 200


def test_members_only_calls_refuse_people_without_a_membership(client, user, member):
    call = CallFactory(audience="members")
    client.force_login(user)
    assert client.get(new_url(call)).status_code == 403
    client.force_login(member)
    assert client.get(new_url(call)).status_code == 200


def test_anonymous_visitors_are_asked_to_log_in(client, call):
    response = client.get(new_url(call))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_outsiders_get_404_for_other_peoples_submissions_and_attachments(client, user, outsider, call):
    submission = SubmissionFactory(call=call, submitter=user, status="received", reference="INN-2026-0009")
    attachment = Attachment.objects.create(
        submission=submission,
        original_name="hemmelig.pdf",
        content_type="application/pdf",
        size=10,
        file="attachments/x",
    )
    client.force_login(outsider)
    for url in (
        reverse("calls:submission", args=[submission.pk]),
        reverse("calls:submission_edit", args=[submission.pk]),
        reverse("calls:submission_review", args=[submission.pk]),
        reverse("calls:attachment", args=[attachment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "hemmelig" not in response.content.decode()


def test_the_submitter_and_the_calls_editors_can_download_attachments(client, user, call, organisation, member):
    from samspill.organisations.tests.factories import MembershipFactory

    submission = SubmissionFactory(call=call, submitter=user, status="received", reference="INN-2026-0010")
    client.force_login(user)
    data = complete_data(call)
    data["new_attachments"] = [pdf()]
    draft = SubmissionFactory(call=call, submitter=user)
    client.post(reverse("calls:submission_edit", args=[draft.pk]), {**data, "form_token": str(draft.form_token)})
    attachment = Attachment.objects.get()
    response = client.get(reverse("calls:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="rapport.pdf"' in response["Content-Disposition"]

    # An editor (coordinator of an organisation behind the call) sees sent submissions, not drafts.
    editor = MembershipFactory(organisation=organisation, role="coordinator").user
    client.force_login(editor)
    assert client.get(reverse("calls:submission", args=[submission.pk])).status_code == 200
    assert client.get(reverse("calls:attachment", args=[attachment.pk])).status_code == 404
    # A plain member of that organisation is no editor.
    client.force_login(member)
    assert client.get(reverse("calls:submission", args=[submission.pk])).status_code == 404


def test_reference_numbers_count_up_and_start_again_each_year_in_oslo_time(user, municipality):
    import zoneinfo
    from datetime import datetime

    from samspill.calls.services import submit
    from samspill.taxonomy.models import Theme

    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    call = CallFactory(opens_at=datetime(2026, 12, 1, tzinfo=oslo), closes_at=datetime(2027, 2, 1, tzinfo=oslo))

    def ready():
        submission = SubmissionFactory(call=call, submitter=user, municipality=municipality)
        submission.themes.set([Theme.objects.first()])
        return submission

    assert submit(submission=ready(), now=datetime(2026, 12, 31, 23, 0, tzinfo=oslo)).reference == "INN-2026-0001"
    assert submit(submission=ready(), now=datetime(2026, 12, 31, 23, 59, tzinfo=oslo)).reference == "INN-2026-0002"
    # 00:30 on New Year's Day in Oslo is still 31 December in UTC.
    assert submit(submission=ready(), now=datetime(2027, 1, 1, 0, 30, tzinfo=oslo)).reference == "INN-2027-0001"

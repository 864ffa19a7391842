"""Background work for the review desk: e-mails sent after the editors' changes commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from samspill.calls.models import Submission


@task()
def send_request_for_information(submission_id: int, message: str) -> None:
    """E-mail the submitter the editors' question, with a link to edit and resend."""
    submission = Submission.objects.select_related("call", "submitter").filter(pk=submission_id).first()
    if submission is None or submission.status != Submission.Status.NEEDS_INFO:
        return  # deleted, or already resent or decided: the question no longer applies
    recipients = sorted({e for e in (submission.contact_email, getattr(submission.submitter, "email", "")) if e})
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "submission": submission,
            "message": message,
            "url": settings.SITE_URL + reverse("calls:submission_edit", args=[submission.pk]),
        }
        subject = render_to_string("calls/editor/email/needs_info_subject.txt", context).strip()
        body = render_to_string("calls/editor/email/needs_info_body.txt", context)
    send_mail(subject, body, None, recipients)

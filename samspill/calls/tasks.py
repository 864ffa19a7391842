from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from samspill.calls.models import Submission


@task()
def send_receipt(submission_id: int) -> None:
    """E-mail the submitter a receipt with a copy of what was sent, once per sending.

    The conditional update claims the receipt, so a task run twice (a retried worker) sends
    one e-mail; if sending fails, the transaction rolls the claim back and a retry sends it.
    """
    with transaction.atomic():
        claimed = (
            Submission.objects.filter(pk=submission_id, submitted_at__isnull=False)
            .filter(Q(receipt_sent_at__isnull=True) | Q(receipt_sent_at__lt=F("submitted_at")))
            .update(receipt_sent_at=timezone.now())
        )
        if not claimed:
            return
        submission = (
            Submission.objects.select_related("call", "municipality__county", "organisation", "submitter")
            .prefetch_related("themes", "target_groups", "focus_areas", "attachments")
            .get(pk=submission_id)
        )
        recipients = sorted({e for e in (submission.contact_email, getattr(submission.submitter, "email", "")) if e})
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "submission": submission,
                "url": settings.SITE_URL + reverse("calls:submission", args=[submission.pk]),
            }
            subject = render_to_string("calls/email/receipt_subject.txt", context).strip()
            body = render_to_string("calls/email/receipt_body.txt", context)
        send_mail(subject, body, None, recipients)

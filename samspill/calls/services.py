"""Writes on calls and submissions. Each function owns its transaction; e-mails go after commit."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from samspill.accounts.models import User
from samspill.calls.exceptions import CallClosed, CallNotYetOpen, SubmissionIncomplete
from samspill.calls.forms import SubmissionForm, missing_to_send
from samspill.calls.models import Attachment, Call, ReferenceCounter, Submission
from samspill.calls.tasks import send_receipt


def ensure_open(call: Call, *, now: datetime | None = None) -> None:
    status = call.status_at(now or timezone.now())
    if status == Call.Status.UPCOMING:
        raise CallNotYetOpen
    if status != Call.Status.OPEN:
        raise CallClosed


def next_reference(*, year: int) -> str:
    """INN-2026-0042. Must run inside a transaction; the counter row serialises concurrent senders."""
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = ReferenceCounter.objects.get(year=year).last
    return f"INN-{year}-{last:04d}"


@transaction.atomic
def save_submission(
    *, call: Call, submitter: User | None, form: SubmissionForm, now: datetime | None = None
) -> Submission:
    """Create or update a draft (or a submission the editors sent back) from a valid form.

    The form's token makes this idempotent: a double click on "save" updates the same draft.
    """
    submission = form.instance
    if submission.pk is None:
        existing = Submission.objects.filter(form_token=form.cleaned_data["form_token"], submitter=submitter).first()
        if existing is not None:
            submission = existing
            form.instance = existing
    if submission.status != Submission.Status.NEEDS_INFO:
        ensure_open(call, now=now)
    submission = form.save(commit=False)
    submission.call = call
    submission.submitter = submitter
    submission.form_token = form.cleaned_data["form_token"]
    submission.consent_to_publish = form.consent_value()
    submission.save()
    form.save_m2m()
    for attachment in form.cleaned_data.get("remove_attachments") or []:
        attachment.file.delete(save=False)
        attachment.delete()
    for upload, kind in form.cleaned_data.get("new_attachments") or []:
        attachment = Attachment(
            submission=submission, original_name=upload.name[:200], size=upload.size, content_type=kind.content_type
        )
        attachment.file.save(uuid.uuid4().hex, upload, save=False)  # upload_to gives a random name
        attachment.save()
    return submission


@transaction.atomic
def submit(*, submission: Submission, now: datetime | None = None) -> Submission:
    """Send a draft (or resend one the editors asked more about). Safe to call twice."""
    now = now or timezone.now()
    locked = Submission.objects.select_for_update().select_related("call").get(pk=submission.pk)
    if locked.status not in (Submission.Status.DRAFT, Submission.Status.NEEDS_INFO):
        return locked  # already sent: a double click or a resent form
    if locked.status == Submission.Status.DRAFT:
        ensure_open(locked.call, now=now)
    missing = missing_to_send(locked)
    if missing:
        raise SubmissionIncomplete(missing)
    locked.reference = locked.reference or next_reference(year=timezone.localtime(now).year)
    locked.status = Submission.Status.RECEIVED
    locked.submitted_at = now
    locked.save(update_fields=["reference", "status", "submitted_at", "updated_at"])
    transaction.on_commit(lambda: send_receipt.enqueue(locked.pk))
    return locked

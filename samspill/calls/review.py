"""Editors' writes: calls (create, edit, extend, archive) and the review of submissions.

Each function owns its transaction, records who made the change in the audit history,
and queues e-mail only after commit.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import User
from samspill.calls.editor_forms import CallForm
from samspill.calls.models import Call, ReviewNote, Submission
from samspill.calls.review_tasks import send_request_for_information

CALL_FIELDS = ["title", "slug", "introduction", "audience", "is_published", "opens_at", "closes_at"]


class InvalidStatusChange(ValidationError):
    """Drafts are the submitter's alone, and nothing goes back to being a draft."""

    def __init__(self) -> None:
        super().__init__(_("Denne statusendringen er ikke mulig."), code="invalid_status")


# --- Calls ---------------------------------------------------------------------------


@transaction.atomic
def save_call(*, form: CallForm, by: User) -> Call:
    """Create a call or save an edited one from a valid form (themes and organisations too)."""
    call = form.save(commit=False)
    call.opens_at = form.cleaned_data["opens_at"]
    call.closes_at = form.cleaned_data["closes_at"]
    call._history_user = by  # type: ignore[attr-defined]
    if call.pk is None:
        call.created_by = by
        call.save()
    else:
        call.save(update_fields=[*CALL_FIELDS, "updated_at"])
    form.save_m2m()
    return call


@transaction.atomic
def extend_deadline(*, call: Call, closes_at: datetime, by: User) -> Call:
    """Move the deadline; a later one reopens a closed call."""
    if closes_at <= call.opens_at:
        raise ValidationError(_("Fristen må være etter at innspillsrunden åpner."), code="before_opening")
    call.closes_at = closes_at
    call._history_user = by  # type: ignore[attr-defined]
    call.save(update_fields=["closes_at", "updated_at"])
    return call


@transaction.atomic
def set_archived(*, call: Call, archived: bool, by: User, now: datetime | None = None) -> Call:
    call.archived_at = (now or timezone.now()) if archived else None
    call._history_user = by  # type: ignore[attr-defined]
    call.save(update_fields=["archived_at", "updated_at"])
    return call


# --- Submissions -----------------------------------------------------------------------


def _lock(submission: Submission) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status == Submission.Status.DRAFT:
        raise InvalidStatusChange
    return locked


@transaction.atomic
def set_status(*, submission: Submission, status: str, by: User) -> Submission:
    """Any move between sent statuses, except to "needs more information" (which needs a message)."""
    locked = _lock(submission)
    sent = {value for value, _label in Submission.Status.choices} - {Submission.Status.DRAFT}
    if status not in sent or status == Submission.Status.NEEDS_INFO:
        raise InvalidStatusChange
    if locked.status != status:
        locked.status = status
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def ask_for_more_information(*, submission: Submission, message: str, by: User) -> Submission:
    """Send the submission back: the submitter may edit and resend it, even after the deadline."""
    message = message.strip()
    if not message:
        raise ValidationError(_("Skriv hva innsenderen må utdype eller rette opp."), code="required")
    locked = _lock(submission)
    locked.status = Submission.Status.NEEDS_INFO
    locked._history_user = by  # type: ignore[attr-defined]
    locked.save(update_fields=["status", "updated_at"])
    # What was asked stays on record for the other editors (the submitter has it by e-mail).
    add_note(
        submission=locked, author=by, text=_("Ba innsenderen om mer informasjon: %(message)s") % {"message": message}
    )
    transaction.on_commit(lambda: send_request_for_information.enqueue(locked.pk, message))
    return locked


@transaction.atomic
def add_note(*, submission: Submission, author: User, text: str) -> ReviewNote:
    note = ReviewNote(submission=submission, author=author, text=text.strip())
    note._history_user = author  # type: ignore[attr-defined]
    note.save()
    return note


@transaction.atomic
def set_tags(*, submission: Submission, tags: list[str], by: User) -> Submission:
    locked = _lock(submission)
    if locked.tags != tags:
        locked.tags = tags
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save(update_fields=["tags", "updated_at"])
    return locked

"""Submissions without a user account.

Two ways in, both with ``submitter=None``:

- **By e-mail link** (calls whose audience is "anyone"): a person gives a name and an e-mail
  address; we e-mail a secret link. Following it proves the address and opens the draft. Only
  the SHA-256 of the link's token is stored (``Submission.access_token_hash``), so the link
  cannot be recovered from the database; asking again for the same call and address mails a
  new link to the same draft, and the old one stops working.
- **By API token**: an organisation's client posts a complete submission, which is sent at
  once (``submit_from_api``). A retried POST with the same idempotency key gets the same
  submission back.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samspill.calls import services
from samspill.calls.forms import SubmissionForm
from samspill.calls.models import Call, Submission
from samspill.organisations.models import Organisation

# At most this many start requests per client address per window.
START_LIMIT = 5
START_WINDOW_SECONDS = 60 * 60


def hash_access_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def access_url(submission: Submission, raw: str) -> str:
    return settings.SITE_URL + reverse("calls:anonymous_edit", args=[submission.call.slug, raw])


def count_start_attempt(*, client_address: str) -> bool:
    """Count one attempt from this address; False once it has used up its attempts this hour.

    A fixed window in the cache: the first attempt starts the hour, the sixth is refused.
    """
    key = f"calls:anonymous-start:{client_address}"
    cache.add(key, 0, timeout=START_WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=START_WINDOW_SECONDS)
        attempts = 1
    return attempts <= START_LIMIT


def start_anonymous_submission(*, call: Call, name: str, email: str, now: datetime | None = None) -> Submission:
    """A draft for ``email`` in ``call``, and an e-mail with the secret link to it.

    An open draft for the same call and address gets a fresh link instead of a second draft.
    Raises CallClosed if the call is not open.
    """
    services.ensure_open(call, now=now)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(
                call=call,
                submitter=None,
                status=Submission.Status.DRAFT,
                access_token_hash__isnull=False,
                contact_email__iexact=email,
            )
            .order_by("-created_at")
            .first()
        )
        if submission is None:
            submission = Submission.objects.create(
                call=call, contact_name=name, contact_email=email, access_token_hash=hash_access_token(raw)
            )
        else:
            submission.access_token_hash = hash_access_token(raw)
            submission.save(update_fields=["access_token_hash", "updated_at"])
        url = access_url(submission, raw)
        transaction.on_commit(lambda: _send_link(call=call, name=name, email=email, url=url))
    return submission


def _send_link(*, call: Call, name: str, email: str, url: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"call": call, "name": name, "url": url}
        subject = render_to_string("calls/anonymous/email/link_subject.txt", context).strip()
        body = render_to_string("calls/anonymous/email/link_body.txt", context)
    send_mail(subject, body, None, [email])


class IdempotencyConflict(Exception):
    """The idempotency key was already used for another call or by another organisation."""


def find_api_replay(*, call: Call, organisation: Organisation, key: uuid.UUID) -> Submission | None:
    """The submission an earlier POST with this key made, or None if the key is new.

    Raises IdempotencyConflict if the key belongs to some other submission.
    """
    existing = Submission.objects.filter(form_token=key).select_related("call").first()
    if existing is None:
        return None
    if existing.call_id != call.pk or existing.organisation_id != organisation.pk or existing.submitter_id:
        raise IdempotencyConflict
    return existing


def submit_from_api(
    *, call: Call, organisation: Organisation, form: SubmissionForm, now: datetime | None = None
) -> tuple[Submission, bool]:
    """Save and send a complete submission from a valid form; (submission, created).

    The form's ``form_token`` is the client's idempotency key: two requests racing with the
    same key make one submission (the loser gets the winner's, with created=False).
    Raises CallClosed after the deadline.
    """
    form.instance.organisation = organisation
    try:
        with transaction.atomic():
            saved = services.save_submission(call=call, submitter=None, form=form, now=now)
            sent = services.submit(submission=saved, now=now)
    except IntegrityError:
        replay = find_api_replay(call=call, organisation=organisation, key=form.cleaned_data["form_token"])
        if replay is None:
            raise
        return replay, False
    return sent, True

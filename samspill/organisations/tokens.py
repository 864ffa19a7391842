"""Per-organisation API tokens: create, revoke, authenticate.

Only the SHA-256 hash of a key is stored. The raw key is returned once, by
``create_api_token``, and cannot be recovered afterwards.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from samspill.organisations.models import ApiToken, Organisation, hash_token

# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
HINT_LENGTH = len(ApiToken.PREFIX) + 4


def create_api_token(*, organisation: Organisation, name: str, created_by: Any) -> tuple[ApiToken, str]:
    """A new active token and its raw key. Show the key to the person once; it is not stored."""
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            name=name.strip(),
            key_hash=hash_token(raw),
            key_hint=raw[:HINT_LENGTH],
            created_by=created_by,
        )
    return token, raw


def revoke_api_token(*, token: ApiToken, revoked_by: Any) -> ApiToken:
    """Revoke ``token`` for good. Revoking a revoked token changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            # simple_history records who did it on the historical row.
            token._history_user = revoked_by  # type: ignore[attr-defined]
            token.save(update_fields=["revoked_at", "updated_at"])
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The active token whose key is ``raw``, with its organisation; None for anything else."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("organisation")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        # A plain UPDATE: no historical row and no updated_at bump for a read.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

"""How django-axes recognises the person behind a login attempt.

allauth's login form posts the e-mail address as ``login`` but calls ``authenticate()``
with ``email=``; axes would otherwise find no username in the credentials and lock out
everyone behind the same IP address together.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_from_login(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("login")
    return str(value).strip().lower() if value else None

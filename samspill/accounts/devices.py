"""The devices a person is logged in on ("Innloggede enheter"), and ending them.

A LoginSession row is made when a person logs in (the ``user_logged_in`` signal), kept
up to date by SessionSecurityMiddleware at most once a minute, and removed when the
person logs out. Ending a session deletes it from the session store through Django's
own SessionStore API, so it works for the database and the cache session engines
(config/settings.py picks one by whether REDIS_URL is set).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from importlib import import_module
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from samspill.accounts.models import LoginSession, User

# Session values (seconds since the epoch) read by the timeout rules in the middleware.
LOGIN_AT = "_samspill_login_at"
SEEN_AT = "_samspill_seen_at"
TOUCH_EVERY = 60  # seconds: the device list and last activity are updated at most once a minute


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _fernet() -> MultiFernet:
    def key(secret: str) -> bytes:
        digest = salted_hmac("samspill.accounts.devices", "session-key", secret=secret, algorithm="sha256").digest()
        return base64.urlsafe_b64encode(digest)

    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(key(s)) for s in secrets])


def seal(session_key: str) -> str:
    return _fernet().encrypt(session_key.encode()).decode()


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None  # sealed under a secret key that is no longer configured


# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"Windows", "Windows"),
    (r"Android", "Android"),
    (r"iPhone|iPod", "iOS"),
    (r"iPad", "iPadOS"),
    (r"CrOS", "ChromeOS"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux", "Linux"),
]


def describe_device(user_agent: str) -> tuple[str, str]:
    """(browser, system) named from a user agent; empty when not recognised. Nothing else is kept."""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    return browser, system


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)


def record_login(*, request: HttpRequest, user: User) -> None:
    """Called on every login: mark the session's start, note the role (see the middleware), list the device."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return
    from samspill.accounts.middleware import note_role  # the middleware imports this module

    now = timezone.now()
    session[LOGIN_AT] = session[SEEN_AT] = int(now.timestamp())
    # The role is noted now too, so that the first requests after logging in need not write the session.
    note_role(session, user, session[LOGIN_AT])
    browser, system = describe_device(request.headers.get("user-agent", ""))
    LoginSession.objects.update_or_create(
        key_hash=key_hash(session.session_key),
        defaults={
            "user": user,
            "sealed_key": seal(session.session_key),
            "browser": browser,
            "system": system,
            "created_at": now,
            "last_seen_at": now,
        },
    )


def record_activity(*, request: HttpRequest, user: User, now: datetime.datetime) -> None:
    """Last seen now; lists a session that began before devices were recorded."""
    session_key = request.session.session_key
    if not session_key:
        return
    updated = LoginSession.objects.filter(key_hash=key_hash(session_key), user=user).update(last_seen_at=now)
    if not updated:
        browser, system = describe_device(request.headers.get("user-agent", ""))
        started = request.session.get(LOGIN_AT)
        LoginSession.objects.update_or_create(
            key_hash=key_hash(session_key),
            defaults={
                "user": user,
                "sealed_key": seal(session_key),
                "browser": browser,
                "system": system,
                "created_at": datetime.datetime.fromtimestamp(started, tz=datetime.UTC) if started else now,
                "last_seen_at": now,
            },
        )


def forget_session(session_key: str | None) -> None:
    """The person logged out here: the device leaves the list."""
    if session_key:
        LoginSession.objects.filter(key_hash=key_hash(session_key)).delete()


def live_sessions(user: User, *, now: datetime.datetime | None = None) -> QuerySet[LoginSession]:
    """The person's devices whose sessions can still be in use (seen within the session lifetime)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return LoginSession.objects.visible_to(user).filter(last_seen_at__gte=cutoff).order_by("-last_seen_at")


def end_session(login_session: LoginSession) -> None:
    """Log the device out: delete its session from the store, then the row."""
    session_key = unseal(login_session.sealed_key)
    if session_key:
        _store().delete(session_key)
    login_session.delete()


def end_other_sessions(*, user: User, current_session_key: str | None) -> int:
    current = key_hash(current_session_key) if current_session_key else ""
    others = list(LoginSession.objects.visible_to(user).exclude(key_hash=current))
    for login_session in others:
        end_session(login_session)
    return len(others)


def delete_from_store(session_keys: list[str | None]) -> None:
    """Delete these sessions from the store, e.g. after the account is deleted."""
    store = _store()
    for session_key in session_keys:
        if session_key:
            store.delete(session_key)


def prune(now: datetime.datetime) -> int:
    """Rows of sessions that have expired in the store by now (scheduled job; idempotent)."""
    cutoff = now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    deleted, _ = LoginSession.objects.filter(last_seen_at__lt=cutoff).delete()
    return deleted


def export(user: User) -> list[dict[str, Any]]:
    """For "Last ned mine data": what is kept about each device (the sealed key is a secret and left out)."""
    return [
        {"browser": s.browser, "system": s.system, "created_at": s.created_at, "last_seen_at": s.last_seen_at}
        for s in LoginSession.objects.filter(user=user).order_by("created_at")
    ]

"""Session timeouts for people with coordinator or admin roles, and last activity per device."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts import devices
from samspill.core.permissions import ELEVATED_ROLES, all_grants

IDLE_LIMIT = 30 * 60  # seconds without a request
ABSOLUTE_LIMIT = 12 * 60 * 60  # seconds since the login
# Whether the person has such a role is looked up at most this often (seconds) and kept in
# the session in between: a person who becomes coordinator or admin gets the short session
# within this time. Losing the role keeps the short session as long, which is harmless.
ROLE_CHECK_EVERY = 60
ROLE_CHECKED = "_samspill_elevated"  # [user id, when checked, elevated?]


def has_elevated_role(user: Any) -> bool:
    """Coordinator or admin anywhere (whether or not two-step login is on yet), or staff.

    These people see others' personal data, so their sessions are short. Everyone else
    keeps Django's session lifetime (SESSION_COOKIE_AGE, two weeks since the session
    last changed).
    """
    if user.is_staff or user.is_superuser:
        return True
    return any(grant.role in ELEVATED_ROLES for grant in all_grants(user))


def session_has_elevated_role(session: Any, user: Any, stamp: int) -> bool:
    """``has_elevated_role``, looked up at most once every ROLE_CHECK_EVERY seconds per session.

    Staff and superusers are decided on the spot (the user row is loaded anyway); the
    membership query runs only when the session's answer is missing, older than
    ROLE_CHECK_EVERY, or about another user.
    """
    if user.is_staff or user.is_superuser:
        return True
    checked = session.get(ROLE_CHECKED)
    if (
        isinstance(checked, list)
        and len(checked) == 3
        and checked[0] == user.pk
        and 0 <= stamp - checked[1] < ROLE_CHECK_EVERY
    ):
        return bool(checked[2])
    return note_role(session, user, stamp)


def note_role(session: Any, user: Any, stamp: int) -> bool:
    """Look the role up and keep the answer in the session (also done at login)."""
    elevated = has_elevated_role(user)
    session[ROLE_CHECKED] = [user.pk, stamp, elevated]
    return elevated


class SessionSecurityMiddleware:
    """Logs out a coordinator or admin after 30 minutes idle or 12 hours after logging in.

    The login time and last activity live in the session (set at login by
    ``devices.record_login``); last activity is written at most once a minute, and the
    device list (LoginSession) with it. Whether the person has such a role is kept in the
    session too and looked up again at most once a minute (``ROLE_CHECK_EVERY``), so that
    most requests cost no membership query. On expiry the person is logged out and sent to the
    login page with a message saying why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            refused = self._check(request, user)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        session = request.session
        now = timezone.now()
        stamp = int(now.timestamp())
        login_at = session.get(devices.LOGIN_AT)
        if login_at is None:
            # A session from before these were recorded: count from now.
            login_at = session[devices.LOGIN_AT] = stamp
        seen_at = session.get(devices.SEEN_AT, login_at)

        if session_has_elevated_role(session, user, stamp):
            message = None
            if stamp - login_at >= ABSOLUTE_LIMIT:
                message = _(
                    "Du er logget ut fordi det er 12 timer siden du logget inn. Logg inn igjen for å fortsette."
                )
            elif stamp - seen_at >= IDLE_LIMIT:
                message = _(
                    "Du er logget ut fordi du ikke har vært aktiv på 30 minutter. Logg inn igjen for å fortsette."
                )
            if message is not None:
                logout(request)
                messages.info(request, message)
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))

        if stamp - seen_at >= devices.TOUCH_EVERY or devices.SEEN_AT not in session:
            session[devices.SEEN_AT] = stamp
            devices.record_activity(request=request, user=user, now=now)
        return None

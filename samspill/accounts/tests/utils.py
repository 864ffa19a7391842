"""Helpers for tests that go through allauth's real pages."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

PASSWORD = "riktig-passord-123"  # UserFactory's password


def login_via_form(client: Client, email: str, password: str = PASSWORD, **extra):
    """Post allauth's login form, as a browser does (this also counts as a recent login)."""
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def reauthenticate(client: Client, password: str = PASSWORD) -> None:
    """Confirm the password again, as allauth asks before changing two-step login."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.status_code


def login_with_totp(client: Client, email: str, secret: str, password: str = PASSWORD) -> None:
    response = login_via_form(client, email, password)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.status_code


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the current period
    return format_hotp_value(hotp_value(secret, counter))


def first_link(body: str) -> str:
    """The path of the first http(s) link in an e-mail body."""
    match = re.search(r"https?://[^/\s]+(/\S*)", body)
    assert match, body
    return match.group(1)

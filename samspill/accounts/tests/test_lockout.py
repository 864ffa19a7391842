"""django-axes locks an account after five wrong passwords through allauth's login form."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from samspill.accounts.tests.factories import UserFactory
from samspill.accounts.tests.utils import PASSWORD, is_logged_in, login_via_form

pytestmark = pytest.mark.django_db


def fail_five_times(client, email: str) -> None:
    for _attempt in range(5):
        login_via_form(client, email, "feil-passord-123")


def test_five_wrong_passwords_lock_the_account(client):
    user = UserFactory()
    fail_five_times(client, user.email)
    assert AccessAttempt.objects.filter(username=user.email).exists()

    response = login_via_form(client, user.email, PASSWORD)
    assert response.status_code in {403, 429}
    html = response.content.decode()
    assert "For mange mislykkede innloggingsforsøk" in html
    assert reverse("account_reset_password") in html
    assert not is_logged_in(client)


def test_lockout_matches_the_address_whatever_its_case(client):
    user = UserFactory()
    fail_five_times(client, user.email.upper())
    response = login_via_form(client, user.email, PASSWORD)
    assert response.status_code in {403, 429}
    assert not is_logged_in(client)


def test_another_account_is_not_affected(client):
    locked, other = UserFactory(), UserFactory()
    fail_five_times(client, locked.email)
    response = login_via_form(client, other.email, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_four_failures_do_not_lock(client):
    user = UserFactory()
    for _attempt in range(4):
        login_via_form(client, user.email, "feil-passord-123")
    response = login_via_form(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)

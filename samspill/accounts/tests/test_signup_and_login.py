"""Sign-up with e-mail verification, password reset and logout, through allauth's real pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from samspill.accounts.models import User
from samspill.accounts.tests.factories import UserFactory
from samspill.accounts.tests.utils import PASSWORD, first_link, is_logged_in, login_via_form

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "et-nytt-langt-passord-42"


def test_signup_sends_verification_and_login_waits_for_confirmation(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Ny.Frivillig@Example.no", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_logged_in(client)
    user = User.objects.get(email__iexact="ny.frivillig@example.no")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject.startswith("[Samspill]")
    confirm_path = first_link(message.body)

    # Not yet: an unconfirmed address cannot log in.
    other_browser = client.__class__()
    response = login_via_form(other_browser, user.email, NEW_PASSWORD)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_logged_in(other_browser)

    # The link shows a confirmation page in our layout; confirming verifies the address.
    response = other_browser.get(confirm_path)
    assert response.status_code == 200
    assert "ds-skip-link" in response.content.decode()
    other_browser.post(confirm_path)
    assert user.emailaddress_set.get().verified

    # Now logging in works.
    fresh = client.__class__()
    response = login_via_form(fresh, user.email, NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert is_logged_in(fresh)


def test_signup_errors_are_shown_at_the_field(client):
    response = client.post(
        reverse("account_signup"), {"email": "ikke-en-adresse", "password1": "kort", "password2": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ds-error-summary" in html
    assert "ds-validation-message" in html
    assert 'value="ikke-en-adresse"' in html
    assert not User.objects.filter(email="ikke-en-adresse").exists()


def test_password_reset_end_to_end(client):
    user = UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    reset_path = first_link(mail.outbox[0].body)

    response = client.get(reset_path, follow=True)
    assert response.status_code == 200
    set_password_path = response.redirect_chain[-1][0] if response.redirect_chain else reset_path
    response = client.post(set_password_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")

    login_client = client.__class__()
    assert login_via_form(login_client, user.email, PASSWORD).status_code == 200  # old password refused
    assert not is_logged_in(login_client)
    login_via_form(login_client, user.email, NEW_PASSWORD)
    assert is_logged_in(login_client)


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "finnes.ikke@example.no"})
    assert response["Location"] == reverse("account_reset_password_done")


def test_logout(client):
    user = UserFactory()
    login_via_form(client, user.email)
    assert is_logged_in(client)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200  # a confirmation page, never a GET side effect
    assert is_logged_in(client)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not is_logged_in(client)

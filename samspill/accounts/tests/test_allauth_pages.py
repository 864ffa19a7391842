"""allauth's pages render inside Samspill's layout, with Designsystemet markup, in nb and en."""

from __future__ import annotations

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from samspill.accounts.tests.factories import UserFactory, enable_totp
from samspill.accounts.tests.utils import login_via_form, login_with_totp, reauthenticate

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]


def assert_in_layout(response, language: str) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert "ds-skip-link" in html  # our base.html
    assert 'class="ds-heading"' in html
    assert "Messages:" not in html and "Menu:" not in html  # not allauth's bare layout
    return html


def speak(client, language: str) -> None:
    """Choose the interface language as the language switch does (the browser's is ignored)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def get(client, name: str, language: str, *args, follow: bool = False):
    speak(client, language)
    return client.get(reverse(name, args=args), follow=follow)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_render_in_our_layout(client, name, language):
    assert_in_layout(get(client, name, language), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_form_has_labels_and_ds_inputs(client, language):
    html = assert_in_layout(get(client, "account_login", language), language)
    assert '<label class="ds-label" for="id_login">' in html
    assert '<label class="ds-label" for="id_password">' in html
    assert 'class="ds-input"' in html
    assert 'class="ds-button"' in html


def test_login_is_norwegian_by_default(client):
    html = assert_in_layout(client.get(reverse("account_login")), "nb")
    assert "Logg inn" in html


def test_login_errors_show_at_field_and_in_summary(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": ""})
    html = assert_in_layout(response, "nb")
    assert "ds-error-summary" in html
    assert 'class="ds-validation-message"' in html
    assert 'aria-invalid="true"' in html
    assert f'value="{user.email}"' in html  # what was typed is kept


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirm_email_page(client, language):
    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    assert_in_layout(get(client, "account_confirm_email", language, key), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_from_key_page(client, language):
    user = UserFactory()
    speak(client, language)
    response = client.get(
        reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        ),
        follow=True,
    )
    html = assert_in_layout(response, language)
    assert 'name="password1"' in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name", ["account_logout", "account_change_password", "account_email", "mfa_index", "account_reauthenticate"]
)
def test_manage_pages_render_in_our_layout(client, name, language):
    user = UserFactory()
    login_via_form(client, user.email)
    assert_in_layout(get(client, name, language), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_totp_activation_page_shows_qr_and_secret_with_labels(client, language):
    user = UserFactory()
    login_via_form(client, user.email)
    reauthenticate(client)
    html = assert_in_layout(get(client, "mfa_activate_totp", language), language)
    assert 'src="data:image/svg+xml' in html
    assert '<label class="ds-label" for="authenticator_secret">' in html
    assert '<label class="ds-label" for="id_code">' in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
    ],
)
def test_mfa_pages_for_a_user_with_totp(client, name, language):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = UserFactory()
    secret = enable_totp(user)
    RecoveryCodes.activate(user)
    login_with_totp(client, user.email, secret)
    reauthenticate(client)
    assert_in_layout(get(client, name, language), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_mfa_authenticate_page_at_login(client, language):
    user = UserFactory()
    enable_totp(user)
    speak(client, language)
    response = login_via_form(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    html = assert_in_layout(get(client, "mfa_authenticate", language), language)
    assert 'name="code"' in html

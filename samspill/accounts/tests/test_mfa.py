"""Two-step login (TOTP): elevated public-sector roles count only with it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspill.accounts.tests.factories import UserFactory, enable_totp
from samspill.accounts.tests.utils import is_logged_in, login_via_form, totp_code
from samspill.core.permissions import forget_cached_rights
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.taxonomy.models import OrganisationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipal_coordinator(municipality):
    own = OrganisationFactory(
        name=f"{municipality.name} kommune",
        kind=kind(OrganisationKind.MUNICIPALITY),
        governs_municipality=municipality,
        home_municipality=municipality,
    )
    return MembershipFactory(organisation=own, role="coordinator").user


def test_municipal_coordinator_needs_totp_to_coordinate(municipal_coordinator, municipality):
    user = municipal_coordinator
    assert not user.has_perm("places.coordinate_municipality", municipality)

    enable_totp(user)
    forget_cached_rights(user)
    assert user.has_perm("places.coordinate_municipality", municipality)


def test_totp_gives_no_rights_in_other_municipalities(municipal_coordinator, other_municipality):
    enable_totp(municipal_coordinator)
    forget_cached_rights(municipal_coordinator)
    assert not municipal_coordinator.has_perm("places.coordinate_municipality", other_municipality)


def test_admin_of_voluntary_organisation_needs_no_mfa(owner, organisation):
    assert owner.has_perm("organisations.change_organisation", organisation)


def test_outsider_cannot_change_organisation_even_with_totp(outsider, organisation):
    enable_totp(outsider)
    forget_cached_rights(outsider)
    assert not outsider.has_perm("organisations.change_organisation", organisation)


def test_banner_asks_elevated_user_without_mfa_to_turn_it_on(client, municipal_coordinator):
    client.force_login(municipal_coordinator)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "slå på totrinnsinnlogging" in html
    assert reverse("mfa_activate_totp") in html


def test_banner_gone_once_totp_is_on(client, municipal_coordinator):
    enable_totp(municipal_coordinator)
    client.force_login(municipal_coordinator)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("mfa_activate_totp") not in html


def test_no_banner_for_voluntary_admin(client, owner):
    client.force_login(owner)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("mfa_activate_totp") not in html


def wrong_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import validate_totp_code

    return next(c for c in ("000000", "111111", "222222", "333333") if not validate_totp_code(secret, c))


def test_login_with_totp_asks_for_the_code(client):
    user = UserFactory()
    secret = enable_totp(user)

    response = login_via_form(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)
    # Pages that need login still send the person to log in.
    assert client.get(reverse("accounts:profile")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert "ds-validation-message" in response.content.decode() or "ds-error-summary" in response.content.decode()
    assert not is_logged_in(client)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert client.get(reverse("accounts:profile")).status_code == 200

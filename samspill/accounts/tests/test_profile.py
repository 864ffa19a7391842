"""Min side: the profile, editing it, memberships and invitations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from samspill.accounts.models import Profile
from samspill.accounts.services import get_or_create_profile
from samspill.accounts.tests.factories import UserFactory
from samspill.organisations.models import Invitation
from samspill.organisations.tests.factories import OrganisationFactory
from samspill.places.models import PostalCode
from samspill.taxonomy.models import FocusArea

pytestmark = pytest.mark.django_db


def valid_data(**changes):
    data = {"name": "Kari Nordmann", "phone": "+47 912 34 567", "postal_code": "5003", "languages": ["nb", "pl"]}
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "name", ["accounts:profile", "accounts:edit_profile", "accounts:export_data", "accounts:delete_account"]
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["accounts:edit_profile", "accounts:export_data", "accounts:delete_account"])
def test_anonymous_post_is_sent_to_login(client, name):
    response = client.post(reverse(name), {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_own_data_memberships_and_nothing_of_others(client, owner, organisation, member):
    profile = get_or_create_profile(user=owner)
    profile.phone = "91234567"
    profile.postal_code = PostalCode.objects.get(code="5003")
    profile.languages = ["pl"]
    profile.save()
    area = FocusArea.objects.filter(is_active=True).first()
    profile.interests.add(area)
    client.force_login(owner)

    html = client.get(reverse("accounts:profile")).content.decode()
    assert owner.name in html
    assert owner.email in html
    assert "91234567" in html
    assert "5003" in html and PostalCode.objects.get(code="5003").place_name in html
    assert "polsk" in html
    assert area.name in html
    assert organisation.get_absolute_url() in html
    assert "Administrator" in html
    assert member.email not in html and member.name not in html


def test_profile_does_not_create_a_profile_row(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not Profile.objects.filter(user=user).exists()


def test_profile_lists_open_invitations_for_verified_addresses_only(client, user, organisation, other_organisation):
    open_invitation = Invitation.objects.create(organisation=organisation, email=user.email.upper(), role="member")
    Invitation.objects.create(organisation=other_organisation, email="noen.andre@example.no", role="member")
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert organisation.name in html
    assert reverse("organisations:accept_invitation", args=[open_invitation.token]) in html
    assert other_organisation.name not in html


def test_invitation_to_unverified_address_is_not_listed(client, organisation):
    user = UserFactory(verified=False)
    Invitation.objects.create(organisation=organisation, email=user.email, role="member")
    client.force_login(user)
    assert organisation.name not in client.get(reverse("accounts:profile")).content.decode()


def test_edit_page_shows_saved_values(client, user):
    client.force_login(user)
    client.post(reverse("accounts:edit_profile"), valid_data())
    html = client.get(reverse("accounts:edit_profile")).content.decode()
    assert 'value="Kari Nordmann"' in html
    assert 'value="91234567"' in html
    assert 'value="5003"' in html
    assert re.search(r'value="pl"[^>]*checked', html)
    assert not re.search(r'value="de"[^>]*checked', html)


def test_edit_page_renders_with_labels(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:edit_profile"))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("id_name", "id_phone", "id_postal_code"):
        assert f'for="{field}"' in html
    assert 'type="checkbox" name="languages"' in html
    assert 'name="interests"' in html


def test_edit_saves_and_confirms(client, user):
    areas = list(FocusArea.objects.filter(is_active=True)[:2])
    client.force_login(user)
    response = client.post(reverse("accounts:edit_profile"), valid_data(interests=[a.pk for a in areas]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "Profilen din er lagret." in response.content.decode()
    user.refresh_from_db()
    assert user.name == "Kari Nordmann"
    profile = user.profile
    assert profile.phone == "91234567"
    assert profile.postal_code.code == "5003"
    assert profile.languages == ["nb", "pl"]
    assert set(profile.interests.all()) == set(areas)


@pytest.mark.parametrize("phone", ["91234567", "912 34 567", "+4791234567", "0047 912 34 567", "+47 91 23 45 67"])
def test_accepted_phone_numbers(client, user, phone):
    client.force_login(user)
    response = client.post(reverse("accounts:edit_profile"), valid_data(phone=phone))
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.phone == "91234567"


@pytest.mark.parametrize("phone", ["1234567", "123456789", "+46 91234567", "abc", "+47 9123 456x"])
def test_rejected_phone_numbers_keep_what_was_typed(client, user, phone):
    client.force_login(user)
    response = client.post(reverse("accounts:edit_profile"), valid_data(phone=phone, name="Ola"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "norsk telefonnummer med 8 siffer" in html
    assert "ds-validation-message" in html
    assert 'value="Ola"' in html
    assert not Profile.objects.filter(user=user, phone__gt="").exists()


def test_unknown_postal_code_is_refused_at_the_field(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:edit_profile"), valid_data(postal_code="0000"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fant ikke postnummeret" in html
    assert 'id="id_postal_code_error"' in html
    assert 'value="0000"' in html


@pytest.mark.parametrize("postal_code", ["12", "abcd", "50031"])
def test_malformed_postal_code_is_refused(client, user, postal_code):
    client.force_login(user)
    response = client.post(reverse("accounts:edit_profile"), valid_data(postal_code=postal_code))
    assert response.status_code == 200
    assert "ds-validation-message" in response.content.decode()


def test_name_is_required(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:edit_profile"), valid_data(name="   "))
    assert response.status_code == 200
    assert "ds-validation-message" in response.content.decode()


def test_unknown_language_and_inactive_interest_are_refused(client, user):
    inactive = FocusArea.objects.create(slug="gammelt-omrade", name="Gammelt område", is_active=False)
    client.force_login(user)
    response = client.post(reverse("accounts:edit_profile"), valid_data(languages=["xx"], interests=[inactive.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_languages_error"' in html and 'id="id_interests_error"' in html
    assert not Profile.objects.filter(user=user).exists()  # nothing saved


def test_optional_fields_can_be_cleared(client, user):
    client.force_login(user)
    client.post(reverse("accounts:edit_profile"), valid_data())
    response = client.post(reverse("accounts:edit_profile"), {"name": "Kari"})
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.phone == ""
    assert user.profile.postal_code is None
    assert user.profile.languages == []


def test_editing_changes_only_the_logged_in_person(client, user):
    other = UserFactory(name="Annen Person")
    client.force_login(user)
    client.post(reverse("accounts:edit_profile"), valid_data(name="Ny Navn"))
    other.refresh_from_db()
    assert other.name == "Annen Person"
    assert not Profile.objects.filter(user=other).exists()


def test_account_deleted_page_is_public(client):
    response = client.get(reverse("accounts:account_deleted"))
    assert response.status_code == 200
    assert "Kontoen din er slettet" in response.content.decode()


def test_organisation_with_same_name_as_user_is_unrelated(client, user):
    OrganisationFactory(name="Helt Annen Forening")
    client.force_login(user)
    assert "Helt Annen Forening" not in client.get(reverse("accounts:profile")).content.decode()

"""Last ned mine data: everything about the person, nothing about anyone else, no secrets."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from samspill.accounts.services import get_or_create_profile
from samspill.accounts.tests.factories import UserFactory, enable_totp
from samspill.organisations.models import ApiToken, Invitation, Membership, hash_token
from samspill.organisations.tests.factories import MembershipFactory
from samspill.places.models import PostalCode
from samspill.taxonomy.models import FocusArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_owner(owner, organisation, member, other_organisation):
    """``owner`` with a profile, a second address, an invitation each way, a token, MFA and history."""
    profile = get_or_create_profile(user=owner)
    profile.phone = "91234567"
    profile.postal_code = PostalCode.objects.get(code="5003")
    profile.languages = ["nb", "uk"]
    profile.save()
    profile.interests.add(FocusArea.objects.filter(is_active=True).first())
    EmailAddress.objects.create(user=owner, email="jobb.adresse@example.no", verified=False, primary=False)
    Invitation.objects.create(organisation=organisation, email="invitert.person@example.no", invited_by=owner)
    Invitation.objects.create(organisation=other_organisation, email=owner.email, invited_by=None)
    ApiToken.objects.create(
        organisation=organisation,
        name="Statistikk",
        key_hash=hash_token("hemmelig-nokkel"),
        key_hint="samspill_ab",
        created_by=owner,
    )
    enable_totp(owner)
    return owner


def download(client, user) -> tuple[dict, str]:
    client.force_login(user)
    response = client.post(reverse("accounts:export_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    raw = response.content.decode()
    return json.loads(raw), raw


def test_get_shows_a_page_with_a_download_button(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:export_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html and "ds-button" in html


def test_export_contains_the_persons_data(client, rich_owner, organisation):
    data, _raw = download(client, rich_owner)
    assert data["user"]["email"] == rich_owner.email
    assert data["user"]["name"] == rich_owner.name
    assert {e["email"] for e in data["email_addresses"]} == {rich_owner.email, "jobb.adresse@example.no"}
    assert data["profile"]["phone"] == "91234567"
    assert data["profile"]["postal_code"]["code"] == "5003"
    assert data["profile"]["languages"] == ["nb", "uk"]
    assert len(data["profile"]["interests"]) == 1
    assert data["memberships"] == [
        {
            "organisation": {"id": organisation.pk, "name": organisation.name, "slug": organisation.slug},
            "role": "admin",
            "created_at": data["memberships"][0]["created_at"],
            "updated_at": data["memberships"][0]["updated_at"],
        }
    ]
    assert len(data["invitations_received"]) == 1
    assert len(data["invitations_sent"]) == 1
    assert data["api_tokens_created"][0]["name"] == "Statistikk"
    assert data["api_tokens_created"][0]["key_hint"] == "samspill_ab"
    assert data["two_step_login"]["totp"] is True
    assert [h["change"] for h in data["history"]["memberships"]] == ["+"]


def test_export_has_no_secrets(client, rich_owner):
    from allauth.mfa.models import Authenticator

    _data, raw = download(client, rich_owner)
    assert rich_owner.password not in raw
    assert "password" not in raw
    assert hash_token("hemmelig-nokkel") not in raw
    secret = Authenticator.objects.get(user=rich_owner, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in raw
    for invitation in Invitation.objects.all():
        assert invitation.token not in raw


def test_export_contains_nothing_of_another_person(client, rich_owner, member, outsider):
    profile = get_or_create_profile(user=member)
    profile.phone = "98765432"
    profile.save(update_fields=["phone"])
    _data, raw = download(client, rich_owner)
    for other in (member, outsider):
        assert other.email not in raw
        assert other.name not in raw
    assert "98765432" not in raw
    assert "invitert.person@example.no" not in raw  # the invitee's address is theirs


def test_history_rows_made_by_the_person_are_included_without_naming_others(client, owner, organisation):
    newcomer = UserFactory()
    # A change owner made (in a request, the history middleware records who made it).
    membership = Membership(user=newcomer, organisation=organisation, role="member")
    membership._history_user = owner
    membership.save()
    data, raw = download(client, owner)
    changes = [c for c in data["history"]["changes_you_made"] if c["what"] == "membership"]
    assert changes and changes[0]["own_membership"] is False
    assert newcomer.email not in raw and newcomer.name not in raw


def test_each_person_gets_only_their_own_file(client, rich_owner, member):
    data, _raw = download(client, member)
    assert data["user"]["email"] == member.email
    assert data["api_tokens_created"] == []
    assert data["invitations_sent"] == []
    assert rich_owner.email not in json.dumps(data)


def test_export_ignores_any_user_parameter(client, user, rich_owner):
    client.force_login(user)
    response = client.post(reverse("accounts:export_data") + f"?user={rich_owner.pk}", {"user": rich_owner.pk})
    raw = response.content.decode()
    assert user.email in raw
    assert rich_owner.email not in raw


def test_person_without_profile_exports_null_profile(client):
    person = MembershipFactory().user
    data, _raw = download(client, person)
    assert data["profile"] is None

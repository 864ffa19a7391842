"""Slett kontoen min: the person and everything naming them go; organisations and others stay."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from samspill.accounts.models import Profile, User
from samspill.accounts.services import LastAdminError, delete_account, get_or_create_profile
from samspill.accounts.tests.factories import UserFactory, enable_totp
from samspill.accounts.tests.utils import PASSWORD, is_logged_in, login_via_form
from samspill.organisations.models import ApiToken, Invitation, Membership, Organisation, hash_token
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving(organisation, owner):
    """A member of ``organisation`` with a full footprint: profile, MFA, invitations, history, axes rows."""
    person = UserFactory(name="Gunnhild Utgående", email="gunnhild@example.no")
    membership = Membership(user=person, organisation=organisation, role="coordinator")
    membership._history_user = owner
    membership.save()
    membership.role = "member"
    membership._history_user = person
    membership.save(update_fields=["role", "updated_at"])
    profile = get_or_create_profile(user=person)
    profile.phone = "91234567"
    profile.save(update_fields=["phone"])
    EmailAddress.objects.create(user=person, email="gunnhild.jobb@example.no", verified=True)
    enable_totp(person)
    Invitation.objects.create(organisation=organisation, email="GUNNHILD.JOBB@example.no", invited_by=owner)
    Invitation.objects.create(organisation=organisation, email="ny.venn@example.no", invited_by=person)
    ApiToken.objects.create(
        organisation=organisation, name="Rapport", key_hash=hash_token("k"), key_hint="samspill_k", created_by=person
    )
    AccessAttempt.objects.create(username=person.email, ip_address="127.0.0.1", user_agent="x", failures_since_start=2)
    AccessLog.objects.create(username="Gunnhild@Example.no", ip_address="127.0.0.1", user_agent="x")
    return person


def assert_nothing_left_about(person_id: int, email: str, name: str) -> None:
    from samspill.organisations.models import Membership as M

    needles = {email.lower(), "gunnhild.jobb@example.no"}
    assert not User.objects.filter(pk=person_id).exists()
    assert not User.objects.filter(name=name).exists()
    assert not Profile.objects.filter(user_id=person_id).exists()
    assert not Authenticator.objects.filter(user_id=person_id).exists()
    for needle in needles:
        assert not User.objects.filter(email__iexact=needle).exists()
        assert not EmailAddress.objects.filter(email__iexact=needle).exists()
        assert not Invitation.objects.filter(email__iexact=needle).exists()
        assert not AccessAttempt.objects.filter(username__iexact=needle).exists()
        assert not AccessLog.objects.filter(username__iexact=needle).exists()
    assert not M.objects.filter(user_id=person_id).exists()
    assert not M.history.filter(user_id=person_id).exists()
    assert not M.history.filter(history_user_id=person_id).exists()
    assert not ApiToken.history.filter(created_by_id=person_id).exists()
    assert not ApiToken.history.filter(history_user_id=person_id).exists()


def test_confirmation_page_explains_and_asks_for_password(client, leaving):
    client.force_login(leaving)
    response = client.get(reverse("accounts:delete_account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "kan ikke kontoen gjenopprettes" in html
    assert 'name="password"' in html and 'for="id_password"' in html


def test_wrong_password_deletes_nothing(client, leaving):
    client.force_login(leaving)
    response = client.post(reverse("accounts:delete_account"), {"password": "feil-passord"})
    assert response.status_code == 200
    assert "Passordet er feil." in response.content.decode()
    assert User.objects.filter(pk=leaving.pk).exists()


def test_deleting_removes_everything_naming_the_person(client, leaving, organisation, owner, member):
    person_id, email, name = leaving.pk, leaving.email, leaving.name
    history_before = Membership.history.filter(organisation_id=organisation.pk).count()
    client.force_login(leaving)

    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:account_deleted")
    assert "Kontoen din er slettet" in response.content.decode()
    assert not is_logged_in(client)
    assert_nothing_left_about(person_id, email, name)

    # The organisation, its other members and the (anonymised) audit trail remain.
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert set(Membership.objects.filter(organisation=organisation).values_list("user", flat=True)) == {
        owner.pk,
        member.pk,
    }
    anonymous_rows = Membership.history.filter(organisation_id=organisation.pk, user_id=None)
    assert [r.history_type for r in anonymous_rows.order_by("history_date")] == ["+", "~", "-"]
    assert Membership.history.filter(organisation_id=organisation.pk).count() == history_before + 1
    # Rows the owner made keep naming the owner; rows the person made now name nobody.
    assert anonymous_rows.filter(history_user=owner).count() == 1
    # What the person created for the organisation stays, without their name on it.
    assert Invitation.objects.get(email="ny.venn@example.no").invited_by is None
    assert ApiToken.objects.get(name="Rapport").created_by is None


def test_history_user_is_set_null_by_the_foreign_key(leaving, organisation):
    person_id = leaving.pk
    assert Membership.history.filter(history_user_id=person_id).exists()
    delete_account(user=leaving)
    assert not Membership.history.filter(history_user_id=person_id).exists()
    assert Membership.history.filter(history_user__isnull=True, organisation_id=organisation.pk).count() >= 1


def test_deleted_person_cannot_log_in(client, leaving):
    email = leaving.email
    delete_account(user=leaving)
    login_via_form(client, email)
    assert not is_logged_in(client)


def test_last_admin_is_refused_with_a_clear_message(client, owner, organisation, member):
    client.force_login(owner)
    response = client.get(reverse("accounts:delete_account"))
    assert "eneste administrator" in response.content.decode()
    assert organisation.name in response.content.decode()

    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 409
    assert "eneste administrator" in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()
    assert Membership.objects.filter(organisation=organisation).count() == 2
    with pytest.raises(LastAdminError):
        delete_account(user=owner)


def test_admin_with_a_co_admin_may_leave(client, owner, organisation):
    co_admin = MembershipFactory(organisation=organisation, role="admin").user
    client.force_login(owner)
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=owner.pk).exists()
    assert Membership.objects.filter(organisation=organisation, user=co_admin, role="admin").exists()


def test_deletion_only_ever_deletes_the_logged_in_person(client, user, leaving):
    client.force_login(user)
    client.post(reverse("accounts:delete_account") + f"?user={leaving.pk}", {"password": PASSWORD, "user": leaving.pk})
    assert User.objects.filter(pk=leaving.pk).exists()
    assert not User.objects.filter(pk=user.pk).exists()


def test_outsider_password_cannot_delete_someone_else(client, outsider, leaving):
    # The form checks the logged-in person's own password; a wrong one changes nothing.
    client.force_login(outsider)
    client.post(reverse("accounts:delete_account"), {"password": "ikke-mitt-passord"})
    assert User.objects.filter(pk=outsider.pk).exists()
    assert User.objects.filter(pk=leaving.pk).exists()

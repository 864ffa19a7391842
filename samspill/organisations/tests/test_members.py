import pytest
from django.core import mail
from django.urls import reverse

from samspill.accounts.tests.factories import UserFactory
from samspill.organisations.models import Invitation, Membership
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def members_url(organisation):
    return reverse("organisations:members", args=[organisation.slug])


def test_members_see_the_member_list_and_outsiders_do_not(client, organisation, owner, member, outsider):
    client.force_login(member)
    response = client.get(members_url(organisation))
    assert response.status_code == 200
    assert owner.email in response.content.decode()
    assert "Send invitasjon" not in response.content.decode()

    client.force_login(outsider)
    response = client.get(members_url(organisation))
    assert response.status_code == 403
    assert owner.email not in response.content.decode()


def test_admin_invites_by_email_and_the_invited_person_joins(
    client, organisation, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(members_url(organisation), {"email": "Ny.Person@Example.no", "role": "coordinator"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "ny.person@example.no"
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert organisation.name in mail.outbox[0].subject

    newcomer = UserFactory(email="ny.person@example.no")
    client.force_login(newcomer)
    url = reverse("organisations:accept_invitation", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role == "coordinator"
    # Used once only.
    assert "ikke lenger gyldig" in client.post(url).content.decode()


def test_an_invitation_cannot_be_taken_by_someone_else(client, organisation, owner, outsider):
    invitation = Invitation.objects.create(organisation=organisation, email="riktig@example.no", invited_by=owner)
    client.force_login(outsider)
    response = client.post(reverse("organisations:accept_invitation", args=[invitation.token]))
    assert "riktig@example.no" in response.content.decode()
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()


def test_inviting_an_existing_member_says_so_at_the_field(client, organisation, owner, member):
    client.force_login(owner)
    response = client.post(members_url(organisation), {"email": member.email, "role": "member"})
    assert "allerede medlem" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invalid_email_keeps_input(client, organisation, owner):
    client.force_login(owner)
    response = client.post(members_url(organisation), {"email": "ikke-en-epost", "role": "member"})
    html = response.content.decode()
    assert "ikke-en-epost" in html
    assert "gyldig e-postadresse" in html


def test_admin_changes_a_role_and_removes_a_member(client, organisation, owner, member):
    membership = Membership.objects.get(user=member)
    client.force_login(owner)
    client.post(reverse("organisations:change_role", args=[organisation.slug, membership.pk]), {"role": "coordinator"})
    membership.refresh_from_db()
    assert membership.role == "coordinator"
    assert membership.history.first().history_user == owner

    confirm = client.get(reverse("organisations:remove_member", args=[organisation.slug, membership.pk]))
    assert confirm.status_code == 200
    client.post(reverse("organisations:remove_member", args=[organisation.slug, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_admin_cannot_be_demoted_or_removed(client, organisation, owner):
    membership = Membership.objects.get(user=owner)
    client.force_login(owner)
    response = client.post(
        reverse("organisations:change_role", args=[organisation.slug, membership.pk]), {"role": "member"}, follow=True
    )
    assert "minst én administrator" in response.content.decode()
    client.post(reverse("organisations:remove_member", args=[organisation.slug, membership.pk]))
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_admin_revokes_an_invitation(client, organisation, owner):
    invitation = Invitation.objects.create(organisation=organisation, email="a@example.no", invited_by=owner)
    client.force_login(owner)
    client.post(reverse("organisations:revoke_invitation", args=[organisation.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_admins_manage_members(client, request, organisation, owner, who):
    person = request.getfixturevalue(who)
    client.force_login(person)
    target = Membership.objects.get(user=owner)
    assert client.post(members_url(organisation), {"email": "x@example.no", "role": "admin"}).status_code == 403
    assert (
        client.post(
            reverse("organisations:change_role", args=[organisation.slug, target.pk]), {"role": "member"}
        ).status_code
        == 403
    )
    assert client.post(reverse("organisations:remove_member", args=[organisation.slug, target.pk])).status_code == 403
    target.refresh_from_db()
    assert target.role == "admin"
    assert not Invitation.objects.exists()


def test_an_admin_of_another_organisation_cannot_reach_this_ones_memberships(
    client, organisation, other_organisation, outsider, member
):
    """The outsider administers other_organisation; a membership of organisation is not theirs to touch."""
    target = Membership.objects.get(user=member)
    client.force_login(outsider)
    url = reverse("organisations:remove_member", args=[other_organisation.slug, target.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=target.pk).exists()


def test_member_list_uses_a_bounded_number_of_queries(client, organisation, owner, django_assert_max_num_queries):
    client.force_login(owner)
    for _ in range(3):
        MembershipFactory(organisation=organisation)
    with django_assert_max_num_queries(20) as small:
        client.get(members_url(organisation))
    for _ in range(20):
        MembershipFactory(organisation=organisation)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(members_url(organisation))

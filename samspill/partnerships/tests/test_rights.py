"""Who may see and change what: every page and action, for each kind of person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samspill.partnerships.models import Agreement, PartnershipMember
from samspill.partnerships.tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    GuidelinesVersionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "other_admin", "member_user", "member_admin", "lead_coordinator"]


def login(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))


def status_of(client, world, who, url, method="get", data=None):
    login(client, world, who)
    response = getattr(client, method)(url, data or {})
    return response.status_code


def urls(world):
    p = world.partnership
    GuidelinesVersionFactory(partnership=p, number=1, status="adopted", adopted_on="2026-01-01")
    agreement = AgreementFactory(partnership=p)
    meeting = MeetingFactory(partnership=p)
    item = ActionItemFactory(meeting=meeting)
    return {
        "detail": reverse("partnerships:detail", args=[p.slug]),
        "members": reverse("partnerships:members", args=[p.slug]),
        "guidelines": reverse("partnerships:guidelines", args=[p.slug]),
        "guidelines_version": reverse("partnerships:guidelines_version", args=[p.slug, 1]),
        "edit": reverse("partnerships:edit", args=[p.slug]),
        "history": reverse("partnerships:history", args=[p.slug]),
        "invite": reverse("partnerships:invite", args=[p.slug]),
        "guidelines_propose": reverse("partnerships:guidelines_propose", args=[p.slug]),
        "agreements": reverse("partnerships:agreements", args=[p.slug]),
        "agreement": reverse("partnerships:agreement", args=[p.slug, agreement.pk]),
        "agreement_create": reverse("partnerships:agreement_create", args=[p.slug]),
        "agreement_edit": reverse("partnerships:agreement_edit", args=[p.slug, agreement.pk]),
        "meetings": reverse("partnerships:meetings", args=[p.slug]),
        "meeting": reverse("partnerships:meeting", args=[p.slug, meeting.pk]),
        "meeting_create": reverse("partnerships:meeting_create", args=[p.slug]),
        "meeting_edit": reverse("partnerships:meeting_edit", args=[p.slug, meeting.pk]),
        "action_items": reverse("partnerships:action_items", args=[p.slug]),
        "member_edit": reverse("partnerships:member_edit", args=[p.slug, world.member_row.pk]),
        "_item": item,
    }


# page → expected status per person, for a partnership that is NOT public.
PRIVATE = {
    "detail": [404, 404, 200, 200, 200],
    "members": [404, 404, 200, 200, 200],
    "guidelines": [404, 404, 200, 200, 200],
    "guidelines_version": [404, 404, 200, 200, 200],
    "edit": [302, 404, 403, 403, 200],
    "history": [404, 404, 200, 200, 200],
    "invite": [302, 404, 403, 403, 200],
    "guidelines_propose": [302, 404, 403, 403, 200],
    "agreements": [302, 404, 200, 200, 200],
    "agreement": [302, 404, 200, 200, 200],
    "agreement_create": [302, 404, 403, 403, 200],
    "agreement_edit": [302, 404, 403, 403, 200],
    "meetings": [302, 404, 200, 200, 200],
    "meeting": [302, 404, 200, 200, 200],
    "meeting_create": [302, 404, 403, 403, 200],
    "meeting_edit": [302, 404, 403, 403, 200],
    "action_items": [302, 404, 200, 200, 200],
    "member_edit": [302, 404, 403, 200, 200],
}

# The same pages when the partnership is public: outsiders read the public parts only.
PUBLIC = {
    **PRIVATE,
    "detail": [200, 200, 200, 200, 200],
    "members": [200, 200, 200, 200, 200],
    "guidelines": [200, 200, 200, 200, 200],
    "guidelines_version": [200, 200, 200, 200, 200],
    "history": [403, 403, 200, 200, 200],
    "edit": [302, 403, 403, 403, 200],
    "invite": [302, 403, 403, 403, 200],
    "guidelines_propose": [302, 403, 403, 403, 200],
    "agreements": [302, 403, 200, 200, 200],
    "agreement": [302, 403, 200, 200, 200],
    "agreement_create": [302, 403, 403, 403, 200],
    "agreement_edit": [302, 403, 403, 403, 200],
    "meetings": [302, 403, 200, 200, 200],
    "meeting": [302, 403, 200, 200, 200],
    "meeting_create": [302, 403, 403, 403, 200],
    "meeting_edit": [302, 403, 403, 403, 200],
    "action_items": [302, 403, 200, 200, 200],
    "member_edit": [302, 403, 403, 200, 200],
}


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
def test_every_page_answers_each_person_as_expected(client, world, public):
    world.partnership.is_public = public
    world.partnership.save()
    pages = urls(world)
    expected = PUBLIC if public else PRIVATE
    got = {}
    for name in expected:
        got[name] = []
        for who in WHO:
            client.logout()
            got[name].append(status_of(client, world, who, pages[name]))
    assert got == expected


def test_anonymous_is_sent_to_login_not_shown_data(client, world):
    world.partnership.is_public = True
    world.partnership.save()
    agreement = AgreementFactory(partnership=world.partnership, title="Hemmelig avtale")
    response = client.get(reverse("partnerships:agreement", args=[world.partnership.slug, agreement.pk]))
    assert response.status_code == 302
    assert "/login" in response.url or "logg-inn" in response.url or "accounts" in response.url


def test_outsider_gets_no_internal_data_on_public_page(client, world):
    world.partnership.is_public = True
    world.partnership.save()
    AgreementFactory(partnership=world.partnership, title="Hemmelig avtale")
    world.member_row.contact_person = world.member_admin
    world.member_row.save()
    client.force_login(world.other_admin)
    page = client.get(reverse("partnerships:detail", args=[world.partnership.slug])).content.decode()
    assert "Hemmelig avtale" not in page
    members = client.get(reverse("partnerships:members", args=[world.partnership.slug])).content.decode()
    assert world.member_org.name in members
    assert world.member_admin.email not in members


def test_member_sees_contact_person(client, world):
    world.member_row.contact_person = world.member_admin
    world.member_row.save()
    client.force_login(world.member_user)
    members = client.get(reverse("partnerships:members", args=[world.partnership.slug])).content.decode()
    assert world.member_admin.email in members


def test_lead_coordinator_without_totp_is_asked_for_two_step_login(client, world):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=world.lead_coordinator).delete()
    client.force_login(world.lead_coordinator)
    response = client.get(reverse("partnerships:edit", args=[world.partnership.slug]))
    assert response.status_code in (302, 403)
    assert response.status_code != 200


def test_action_item_status_only_by_lead_or_owner(client, world):
    meeting = MeetingFactory(partnership=world.partnership)
    item = ActionItemFactory(meeting=meeting, owner_organisation=world.lead)
    url = reverse("partnerships:action_item_status", args=[world.partnership.slug, item.pk])
    client.force_login(world.member_user)
    assert client.post(url, {"status": "done"}).status_code == 403
    client.force_login(world.other_admin)
    assert client.post(url, {"status": "done"}).status_code == 404
    item.refresh_from_db()
    assert item.status == "open"
    item.owner_organisation = world.member_org
    item.save()
    client.force_login(world.member_user)
    assert client.post(url, {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"


def test_post_actions_refuse_outsiders_and_plain_members(client, world):
    p = world.partnership
    agreement = AgreementFactory(partnership=p)
    posts = [
        (reverse("partnerships:agreement_propose", args=[p.slug, agreement.pk]), {}),
        (reverse("partnerships:contribution_add", args=[p.slug, agreement.pk]), {"year": 2026}),
        (reverse("partnerships:agreement_new_version", args=[p.slug, agreement.pk]), {}),
        (reverse("partnerships:agreement_withdraw", args=[p.slug, agreement.pk]), {}),
        (reverse("partnerships:decide_request", args=[p.slug, world.member_row.pk]), {"decision": "approve"}),
        (reverse("partnerships:answer_invitation", args=[p.slug, world.member_row.pk]), {"answer": "accept"}),
        (reverse("partnerships:agreement_sign", args=[p.slug, agreement.pk]), {}),
    ]
    for who, expected in (("other_admin", 404), ("member_user", 403)):
        client.force_login(getattr(world, who))
        for url, data in posts:
            assert client.post(url, data).status_code == expected, (who, url)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.contributions.count() == 0
    for url, _data in posts:
        response = client.post(url)
        assert response.status_code in (403, 404)
    client.logout()
    for url, data in posts:
        assert client.post(url, data).status_code == 302  # to the login page
    assert PartnershipMember.objects.get(pk=world.member_row.pk).status == "active"

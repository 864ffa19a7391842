from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.partnerships import demo, personal_data, services
from samspill.partnerships.models import ActionItem, Agreement, GuidelinesComment, Partnership, Signature
from samspill.partnerships.tests.factories import ActionItemFactory, AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(db):
    from samspill.organisations import demo as organisations_demo

    organisations_demo.load()
    demo.load()
    return Partnership.objects.get(slug=demo.SLUG)


def test_demo_partnership_from_seed_004(client, demo_loaded):
    p = demo_loaded
    assert p.lead.slug == "vestland-fylkeskommune" and p.is_public
    assert p.members.filter(status="active").count() == 9
    assert p.focus_areas.count() == 8
    assert [v.status for v in p.guidelines.order_by("number")] == ["adopted", "proposed"]
    assert p.agreements.filter(status="signed").count() == 8
    joint = p.agreements.get(status="proposed")
    assert not joint.signatures.filter(organisation__slug="frivilligsentralen-i-voss").exists()
    assert joint.contributions.exists()
    overdue = [i for i in ActionItem.objects.filter(partnership=p) if i.is_overdue]
    assert len(overdue) == 1
    assert p.meetings.count() == 2
    assert p.agreements.expiring(timezone.localdate()).count() == 1
    # Loading again changes nothing.
    demo.load()
    assert (
        Partnership.objects.filter(slug=demo.SLUG).count() == 1 and Agreement.objects.filter(partnership=p).count() == 9
    )
    assert client.get(p.get_absolute_url()).status_code == 200


def test_demo_leader_signs_the_joint_agreement(client, demo_loaded):
    from samspill.accounts.models import User

    leader = User.objects.get(email="leder@demo.samspill.no")
    joint = demo_loaded.agreements.get(status="proposed")
    client.force_login(leader)
    voss = joint.parties.get(slug="frivilligsentralen-i-voss")
    response = client.post(
        reverse("partnerships:agreement_sign", args=[demo_loaded.slug, joint.pk]),
        {"organisation": voss.pk, "signer_role": "daglig leder"},
    )
    assert response.status_code == 302
    joint.refresh_from_db()
    assert joint.status == "signed"


def test_export_and_forget_keep_the_record_but_not_the_person(world):
    agreement = services.propose_agreement(AgreementFactory(partnership=world.partnership, member=world.member_row))
    services.sign_agreement(agreement, organisation=world.member_org, by=world.member_admin, signer_role="leder")
    version = services.propose_guidelines(world.partnership, text="R", change_note="", by=world.lead_coordinator)
    GuidelinesComment.objects.create(
        version=version, organisation=world.member_org, author=world.member_admin, text="Ok"
    )
    item = ActionItemFactory(meeting=MeetingFactory(partnership=world.partnership), owner_person=world.member_admin)
    world.member_row.contact_person = world.member_admin
    world.member_row.save()

    data = personal_data.export(world.member_admin)
    assert data["signatures"][0]["signed_as"] == "leder"
    assert data["guidelines_comments"][0]["text"] == "Ok"
    assert data["action_items"][0]["what"] == item.what
    assert data["contact_person_for"][0]["organisation"] == world.member_org.name

    personal_data.forget(world.member_admin)
    signature = Signature.objects.get(agreement=agreement)
    assert signature.signed_by is None and signature.signer_role == "leder"
    assert GuidelinesComment.objects.get().author is None
    item.refresh_from_db()
    assert item.owner_person is None and item.what
    world.member_row.refresh_from_db()
    assert world.member_row.contact_person is None
    assert not world.member_row.history.filter(contact_person_id=world.member_admin.pk).exists()
    personal_data.forget(world.lead_coordinator)
    assert not version.history.filter(proposed_by_id=world.lead_coordinator.pk).exists()


def test_my_page_lists_invitations_for_the_invited_admin(client, world):
    from samspill.partnerships.tests.factories import PartnershipMemberFactory

    row = PartnershipMemberFactory(partnership=world.partnership, organisation=world.other_org, status="invited")
    client.force_login(world.other_admin)
    page = client.get("/min-side/").content.decode()
    assert "Svar på invitasjonen" in page and world.partnership.name in page
    client.force_login(world.member_user)
    page = client.get("/min-side/").content.decode()
    assert "Svar på invitasjonen" not in page and world.partnership.name in page
    assert row.pk


def test_organisation_page_lists_visible_partnerships_only(client, world):
    url = world.member_org.get_absolute_url()
    assert world.partnership.name not in client.get(url).content.decode()
    client.force_login(world.member_user)
    assert world.partnership.name in client.get(url).content.decode()

"""The partnership itself: list, page, create and edit, and the members' invitations and requests."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from samspill.accounts.tests.factories import enable_totp
from samspill.organisations.models import Organisation
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.partnerships.models import Partnership, PartnershipMember, Topic
from samspill.partnerships.seeds import QUESTIONS, WAY_FORWARD
from samspill.partnerships.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)
from samspill.places.models import Municipality

pytestmark = pytest.mark.django_db


def test_seed_004_headings_are_data_admins_can_edit():
    questions = list(Topic.objects.filter(kind="question").values_list("heading", flat=True))
    assert questions == [
        "Hvorfor?",
        "Hvem deltar?",
        "Hvordan samarbeide?",
        "Hvordan medvirke?",
        "Kommunens rolle?",
        "Fylkeskommunens rolle?",
        "Organisering?",
        "Mulige tiltak?",
    ]
    way_forward = list(Topic.objects.filter(kind="way_forward").values_list("heading", flat=True))
    assert "plattform for samarbeid mellom kommuner/fylkeskommunen og frivillige lag og organisasjoner" in way_forward
    assert "hvordan måle at tiltakene virker" in way_forward
    assert len(way_forward) == len(WAY_FORWARD) and len(questions) == len(QUESTIONS)
    # An edited heading is what the page shows, and loading the seeds again keeps the edit.
    from samspill.partnerships.seeds import create_topics

    Topic.objects.filter(key="hvorfor").update(heading="Hvorfor partnerskap?")
    assert create_topics(Topic) == 0
    assert Topic.objects.get(key="hvorfor").heading == "Hvorfor partnerskap?"


def test_list_shows_public_and_mine_with_empty_state(client, world):
    other = PartnershipFactory(name="Åpent partnerskap", is_public=True)
    hidden = PartnershipFactory(name="Lukket partnerskap", is_public=False)
    response = client.get(reverse("partnerships:list"))
    page = response.content.decode()
    assert other.name in page and hidden.name not in page and world.partnership.name not in page
    client.force_login(world.member_user)
    page = client.get(reverse("partnerships:list")).content.decode()
    assert world.partnership.name in page and "Vi er med" in page and hidden.name not in page
    Partnership.objects.all().delete()
    page = client.get(reverse("partnerships:list")).content.decode()
    assert "Det er ingen partnerskap du kan se ennå." in page


def test_list_paginates_and_queries_do_not_grow(client, world, django_assert_max_num_queries):
    for _ in range(3):
        PartnershipMemberFactory(partnership=PartnershipFactory(), status="active")
    client.force_login(world.member_user)
    with django_assert_max_num_queries(16):
        client.get(reverse("partnerships:list"))
    for _ in range(25):
        p = PartnershipFactory()
        PartnershipMemberFactory(partnership=p)
        p.focus_areas.set([1, 2])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("partnerships:list"))
    assert 'class="ds-pagination"' in response.content.decode()
    assert client.get(reverse("partnerships:list") + "?page=2").status_code == 200


def test_partnership_page_queries_do_not_grow(client, world, django_assert_max_num_queries):
    world.partnership.is_public = True
    world.partnership.save()
    client.force_login(world.member_user)
    url = reverse("partnerships:detail", args=[world.partnership.slug])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(15):
        PartnershipMemberFactory(partnership=world.partnership)
        ActionItemFactory(meeting=MeetingFactory(partnership=world.partnership))
    world.partnership.focus_areas.set([1, 2, 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_page_shows_one_section_per_question_and_the_way_forward(client, world):
    world.partnership.is_public = True
    world.partnership.save()
    from samspill.partnerships import services

    why = Topic.objects.get(key="hvorfor")
    platform = Topic.objects.get(key="plattform-for-samarbeid")
    services.save_sections(
        world.partnership, {why.pk: ("Fordi sammen er vi sterkere.", None), platform.pk: ("Møteplass", "in_progress")}
    )
    page = client.get(reverse("partnerships:detail", args=[world.partnership.slug])).content.decode()
    for heading, _ in [(q[1], None) for q in QUESTIONS]:
        assert heading in page
    assert "Fordi sammen er vi sterkere." in page
    assert "Veien videre" in page and "Under avklaring" in page
    assert "Tiltak og målgrupper" in page


def coordinator_of(organisation):
    user = MembershipFactory(organisation=organisation, role="coordinator").user
    enable_totp(user)
    return user


def test_municipality_coordinator_creates_a_partnership_with_own_organisation_as_lead(client):
    bergen = Municipality.objects.get(number="4601")
    municipality_org = OrganisationFactory(kind=kind("kommune"), governs_municipality=bergen, name="Bergen kommune")
    user = coordinator_of(municipality_org)
    foreign = OrganisationFactory(kind=kind("kommune"), name="Annen kommune")
    client.force_login(user)
    url = reverse("partnerships:create")
    why = Topic.objects.get(key="hvorfor")
    response = client.post(url, {"name": "", "purpose": "", "lead": municipality_org.pk, "status": "forming"})
    assert response.status_code == 200
    assert "Skriv navnet på partnerskapet." in response.content.decode()
    response = client.post(
        url, {"name": "Bergen sammen", "purpose": "Mindre ensomhet", "lead": foreign.pk, "status": "forming"}
    )
    assert response.status_code == 200 and not Partnership.objects.filter(name="Bergen sammen").exists()
    response = client.post(
        url,
        {
            "name": "Bergen sammen",
            "purpose": "Mindre ensomhet",
            "lead": municipality_org.pk,
            "status": "forming",
            f"topic_{why.pk}": "Fordi",
            "focus_areas": [1],
            **{f"progress_{t.pk}": "open" for t in Topic.objects.filter(kind="way_forward")},
        },
    )
    partnership = Partnership.objects.get(name="Bergen sammen")
    assert response.url == partnership.get_absolute_url() == f"/partnerskap/{partnership.slug}/"
    assert partnership.lead == municipality_org and partnership.created_by == user
    lead_row = partnership.members.get()
    assert (lead_row.role, lead_row.status, lead_row.contact_person) == ("lead", "active", user)
    assert partnership.sections.get(topic=why).text == "Fordi"


def test_voluntary_admin_cannot_create(client, world):
    client.force_login(world.member_admin)
    assert client.get(reverse("partnerships:create")).status_code == 403
    client.logout()
    assert client.get(reverse("partnerships:create")).status_code == 302


def test_lead_edits_facts_and_sections_and_history_is_kept(client, world):
    client.force_login(world.lead_coordinator)
    url = reverse("partnerships:edit", args=[world.partnership.slug])
    org = Topic.objects.get(key="organisering")
    data = {
        "name": "Nytt navn",
        "purpose": "Nytt formål",
        "status": "active",
        "is_public": "on",
        f"topic_{org.pk}": "Styringsgruppe med alle parter",
        **{f"progress_{t.pk}": "open" for t in Topic.objects.filter(kind="way_forward")},
    }
    assert client.post(url, data).status_code == 302
    world.partnership.refresh_from_db()
    assert (world.partnership.name, world.partnership.is_public, world.partnership.lead) == (
        "Nytt navn",
        True,
        world.lead,
    )
    assert world.partnership.history.count() >= 2
    page = client.get(world.partnership.get_absolute_url()).content.decode()
    assert "Styringsgruppe med alle parter" in page


def test_invitation_accepted_by_the_invited_admin_only(client, world, django_capture_on_commit_callbacks):
    invited = OrganisationFactory(name="Turlaget")
    invited_admin = MembershipFactory(organisation=invited, role="admin").user
    invited_member = MembershipFactory(organisation=invited, role="member").user
    client.force_login(world.lead_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnerships:invite", args=[world.partnership.slug]),
            {"organisation": invited.pk, "role": "voluntary", "message": "Bli med!"},
        )
    assert response.status_code == 302
    row = PartnershipMember.objects.get(organisation=invited)
    assert row.status == "invited" and row.invited_by == world.lead_coordinator
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [invited_admin.email]
    assert "Partnerskap for folkehelse" in mail.outbox[0].subject
    answer = reverse("partnerships:answer_invitation", args=[world.partnership.slug, row.pk])
    # The invited organisation sees the (private) partnership to answer.
    client.force_login(invited_member)
    assert client.get(world.partnership.get_absolute_url()).status_code == 200
    assert client.post(answer, {"answer": "accept"}).status_code == 403
    client.force_login(world.member_admin)
    assert client.post(answer, {"answer": "accept"}).status_code == 403
    client.force_login(invited_admin)
    page = client.get(world.partnership.get_absolute_url()).content.decode()
    assert "Takk ja" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(answer, {"answer": "accept"}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.contact_person) == ("active", invited_admin) and row.joined_on
    assert mail.outbox[-1].to == sorted([world.lead_admin.email, world.lead_coordinator.email])
    assert "takket ja" in mail.outbox[-1].subject
    assert client.post(answer, {"answer": "decline"}).status_code == 403


def test_invitation_declined(client, world):
    invited = OrganisationFactory()
    admin = MembershipFactory(organisation=invited, role="admin").user
    row = PartnershipMemberFactory(
        partnership=world.partnership, organisation=invited, status="invited", invited_by=world.lead_coordinator
    )
    client.force_login(admin)
    client.post(reverse("partnerships:answer_invitation", args=[world.partnership.slug, row.pk]), {"answer": "decline"})
    row.refresh_from_db()
    assert row.status == "declined"
    assert client.get(world.partnership.get_absolute_url()).status_code == 404


def test_request_to_join_decided_by_the_lead(client, world, django_capture_on_commit_callbacks):
    world.partnership.is_public = True
    world.partnership.save()
    client.force_login(world.other_admin)
    url = reverse("partnerships:request_to_join", args=[world.partnership.slug])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"organisation": world.other_org.pk, "message": "Vi vil bidra"}).status_code == 302
    row = PartnershipMember.objects.get(organisation=world.other_org)
    assert row.status == "requested"
    assert sorted(mail.outbox[-1].to) == sorted([world.lead_admin.email, world.lead_coordinator.email])
    # Asking twice is refused.
    assert client.get(url).status_code == 403
    decide = reverse("partnerships:decide_request", args=[world.partnership.slug, row.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.force_login(world.lead_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(decide, {"decision": "approve"}).status_code == 302
    row.refresh_from_db()
    assert row.status == "active"
    assert mail.outbox[-1].to == [world.other_admin.email]


def test_request_rejected_and_plain_members_cannot_ask(client, world):
    world.partnership.is_public = True
    world.partnership.save()
    plain = MembershipFactory(organisation=world.other_org, role="member").user
    client.force_login(plain)
    assert client.get(reverse("partnerships:request_to_join", args=[world.partnership.slug])).status_code == 403
    row = PartnershipMemberFactory(partnership=world.partnership, organisation=world.other_org, status="requested")
    client.force_login(world.lead_coordinator)
    client.post(reverse("partnerships:decide_request", args=[world.partnership.slug, row.pk]), {"decision": "reject"})
    row.refresh_from_db()
    assert row.status == "rejected"


def test_member_admin_sets_contact_person_and_lead_records_leaving(client, world):
    url = reverse("partnerships:member_edit", args=[world.partnership.slug, world.member_row.pk])
    client.force_login(world.member_admin)
    client.post(url, {"contact_person": world.member_user.pk, "role": "other", "left_on": "2020-01-01"})
    world.member_row.refresh_from_db()
    assert world.member_row.contact_person == world.member_user
    assert (world.member_row.role, world.member_row.status) == ("voluntary", "active")  # only the lead sets these
    client.force_login(world.lead_coordinator)
    client.post(
        url,
        {
            "contact_person": world.member_user.pk,
            "role": "voluntary",
            "joined_on": "2026-01-01",
            "left_on": "2026-02-01",
        },
    )
    world.member_row.refresh_from_db()
    assert (world.member_row.status, str(world.member_row.left_on)) == ("left", "2026-02-01")


def test_open_action_items_mark_overdue(client, world):
    from datetime import timedelta

    from django.utils import timezone

    meeting = MeetingFactory(partnership=world.partnership)
    ActionItemFactory(meeting=meeting, what="Skriv søknad", due_on=timezone.localdate() - timedelta(days=3))
    ActionItemFactory(meeting=meeting, what="Bestill lokale")
    ActionItemFactory(meeting=meeting, what="Ferdig sak", status="done")
    client.force_login(world.member_user)
    page = client.get(reverse("partnerships:action_items", args=[world.partnership.slug])).content.decode()
    assert "Skriv søknad" in page and "Bestill lokale" in page and "Ferdig sak" not in page
    assert page.count("Forfalt") == 1
    page = client.get(
        reverse("partnerships:action_items", args=[world.partnership.slug]) + "?vis=alle"
    ).content.decode()
    assert "Ferdig sak" in page


def test_lead_records_a_meeting_with_an_action_item(client, world):
    client.force_login(world.lead_coordinator)
    response = client.post(
        reverse("partnerships:meeting_create", args=[world.partnership.slug]),
        {
            "held_on": "2026-04-01",
            "place": "Voss",
            "agenda": "1. Avtaler",
            "minutes": "Referat",
            "decisions": "Vedtatt",
        },
    )
    meeting = world.partnership.meetings.get()
    assert response.url == reverse("partnerships:meeting", args=[world.partnership.slug, meeting.pk])
    url = reverse("partnerships:meeting", args=[world.partnership.slug, meeting.pk])
    response = client.post(url, {"what": "", "status": "open"})
    assert response.status_code == 422
    client.post(
        url, {"what": "Lag plan", "owner_organisation": world.member_org.pk, "due_on": "2026-05-01", "status": "open"}
    )
    item = meeting.action_items.get()
    assert (item.partnership, item.owner_organisation) == (world.partnership, world.member_org)
    client.force_login(world.member_user)
    assert client.post(url, {"what": "Snik", "status": "open"}).status_code == 403


def test_visible_to(world):
    from django.contrib.auth.models import AnonymousUser

    from samspill.accounts.tests.factories import UserFactory

    public = PartnershipFactory(is_public=True)
    assert set(Partnership.objects.visible_to(AnonymousUser())) == {public}
    assert set(Partnership.objects.visible_to(world.other_admin)) == {public}
    assert set(Partnership.objects.visible_to(world.member_user)) == {public, world.partnership}
    assert set(Partnership.objects.visible_to(world.lead_coordinator)) == {public, world.partnership}
    admin = UserFactory(is_superuser=True)
    assert set(Partnership.objects.visible_to(admin)) == set(Partnership.objects.all())
    world.member_row.status = "left"
    world.member_row.save()
    assert set(Partnership.objects.visible_to(world.member_user)) == {public}
    assert Organisation.objects.count() >= 3


@pytest.mark.parametrize("page", ["members", "agreements", "meetings", "action_items"])
def test_member_pages_queries_do_not_grow(client, world, django_assert_max_num_queries, page):
    from decimal import Decimal

    from samspill.partnerships.tests.factories import AgreementFactory, ContributionFactory

    def add(n):
        for _ in range(n):
            row = PartnershipMemberFactory(partnership=world.partnership)
            meeting = MeetingFactory(partnership=world.partnership)
            ActionItemFactory(meeting=meeting, owner_organisation=row.organisation)
            agreement = AgreementFactory(partnership=world.partnership, member=row, status="signed")
            agreement.parties.set([world.lead, row.organisation])
            ContributionFactory(agreement=agreement, organisation=row.organisation, amount=Decimal(10))

    add(2)
    client.force_login(world.lead_coordinator)
    url = reverse(f"partnerships:{page}", args=[world.partnership.slug])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_lead_row_keeps_its_role(client, world):
    lead_row = world.partnership.members.get(organisation=world.lead)
    client.force_login(world.lead_coordinator)
    url = reverse("partnerships:member_edit", args=[world.partnership.slug, lead_row.pk])
    client.post(url, {"contact_person": world.lead_admin.pk, "role": "other", "left_on": "2020-01-01"})
    lead_row.refresh_from_db()
    assert (lead_row.role, lead_row.status, lead_row.contact_person) == ("lead", "active", world.lead_admin)

"""Min side: hours, onboarding status and follow-ups to answer; export and deletion of one's data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory
from samspill.followup import personal_data, services
from samspill.followup.models import (
    CheckIn,
    ConfidentialitySignature,
    FollowUp,
    HoursEntry,
    PoliceCertificate,
    TrainingCompletion,
    TrainingItem,
)
from samspill.followup.tests.factories import HoursEntryFactory, opportunity, shift, signup
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation, role="coordinator").user


@pytest.fixture
def volunteer(organisation, coordinator):
    person = UserFactory(name="Vilde Frivillig")
    opp = opportunity(
        organisation, title="Leksehjelp", requires_police_certificate=True, police_certificate_basis="minors"
    )
    signup(opp, person, shift=shift(opp))
    services.record_police_certificate_seen(
        organisation=organisation, user=person, by=coordinator, seen_on=timezone.localdate()
    )
    services.publish_declaration(organisation=organisation, text="Taus som graven.", by=coordinator)
    item = TrainingItem.objects.create(organisation=organisation, title="Førstehjelp")
    services.record_training(item=item, user=person, completed_on=timezone.localdate(), by=coordinator)
    HoursEntryFactory(organisation=organisation, user=person, hours=Decimal("2"), status="approved")
    HoursEntryFactory(organisation=organisation, user=person, hours=Decimal("1.5"))
    followup = FollowUp.objects.create(
        organisation=organisation, user=person, step_name="Etter fire uker", due_on=timezone.localdate()
    )
    CheckIn.objects.create(
        followup=FollowUp.objects.create(
            organisation=organisation,
            user=person,
            step_name="Etter første vakt",
            due_on=timezone.localdate() - timedelta(days=20),
            done_at=timezone.now(),
        ),
        satisfaction=5,
        answered_at=timezone.now(),
    )
    person.open_followup = followup
    return person


def test_min_side_shows_hours_onboarding_and_followups(client, organisation, volunteer):
    client.force_login(volunteer)
    page = client.get("/min-side/").content.decode()
    assert "Registrert: 3,5 timer. Godkjent: 2 timer." in page
    assert f"/oppfolging/sjekk-inn/{volunteer.open_followup.pk}/" in page
    assert f"/oppfolging/attest/{organisation.slug}/pdf/" in page
    assert "Vist " in page  # police certificate seen, with the date
    assert f"/oppfolging/taushetserklaering/{organisation.slug}/" in page  # not signed yet
    assert "Førstehjelp" in page


def test_min_side_shows_nothing_of_other_peoples_records(client, volunteer):
    client.force_login(UserFactory())
    page = client.get("/min-side/").content.decode()
    assert "Registrert: 0 timer. Godkjent: 0 timer." in page
    assert "sjekk-inn" not in page and "Førstehjelp" not in page


def test_min_side_query_count_does_not_grow(client, organisation, volunteer, django_assert_max_num_queries):
    client.force_login(volunteer)
    with django_assert_max_num_queries(60) as before:
        client.get("/min-side/")
    for i in range(5):
        other = MembershipFactory(role="admin").organisation
        opp = opportunity(other, title=f"Oppdrag {i}")
        signup(opp, volunteer, shift=shift(opp))
        HoursEntryFactory(organisation=other, user=volunteer, status="approved")
        FollowUp.objects.create(organisation=other, user=volunteer, step_name="X", due_on=timezone.localdate())
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/min-side/")


def test_export_has_everything_and_forget_deletes_it(organisation, volunteer):
    services.sign_declaration(declaration=services.current_declaration(organisation), user=volunteer)
    data = personal_data.export(volunteer)
    assert data["police_certificates"][0]["seen_on"] == timezone.localdate()
    assert data["confidentiality_signatures"][0]["text"] == "Taus som graven."
    assert data["training"][0]["item"] == "Førstehjelp"
    assert len(data["hours"]) == 2
    assert {f["step"] for f in data["followups"]} == {"Etter fire uker", "Etter første vakt"}
    assert [f["checkin"]["satisfaction"] for f in data["followups"] if f["checkin"]] == [5]

    personal_data.forget(volunteer)
    for model in (PoliceCertificate, ConfidentialitySignature, TrainingCompletion, FollowUp, CheckIn, HoursEntry):
        assert not model.objects.filter(
            **({"followup__user": volunteer} if model is CheckIn else {"user": volunteer})
        ).exists()
    assert not HoursEntry.history.filter(user_id=volunteer.pk).exists()
    assert not FollowUp.history.filter(user_id=volunteer.pk).exists()


def test_deleting_the_account_goes_through(client, volunteer):
    from samspill.core.personal_data import forget_in_apps

    forget_in_apps(volunteer)
    volunteer.delete()
    assert not HoursEntry.objects.exists()

"""The public search at /frivillig/: filters in the URL, "for me", sorting by start or distance, pagination."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.models import Profile
from samspill.places.models import Municipality, PostalCode
from samspill.taxonomy.models import FocusArea, TargetGroup
from samspill.volunteering.models import Opportunity
from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory

pytestmark = pytest.mark.django_db
URL = reverse("volunteering:search")


def titles(response) -> list[str]:
    return [o.title for o in response.context["opportunities"]]


def test_only_published_opportunities_are_listed(client, organisation):
    OpportunityFactory(organisation=organisation, title="Publisert")
    for status in ("draft", "paused", "closed"):
        OpportunityFactory(organisation=organisation, title=status, status=status)
    assert titles(client.get(URL)) == ["Publisert"]


def test_the_empty_state_says_what_to_do(client, organisation):
    assert "ingen publiserte frivillige oppdrag" in client.get(URL).text
    OpportunityFactory(organisation=organisation, form="event")
    response = client.get(URL, {"form": "remote"})
    assert "Ingen oppdrag passer" in response.text


def test_filters_by_municipality_county_form_focus_area_and_target_group(client, organisation):
    bergen = Municipality.objects.get(number="4601")
    oslo = Municipality.objects.get(number="0301")
    area = FocusArea.objects.first()
    group = TargetGroup.objects.first()
    in_bergen = OpportunityFactory(organisation=organisation, title="Bergen", municipality=bergen, form="event")
    in_bergen.focus_areas.add(area)
    in_oslo = OpportunityFactory(organisation=organisation, title="Oslo", municipality=oslo, form="remote")
    in_oslo.target_groups.add(group)
    assert titles(client.get(URL, {"kommune": "4601"})) == ["Bergen"]
    assert titles(client.get(URL, {"fylke": bergen.county.number})) == ["Bergen"]
    assert titles(client.get(URL, {"form": "remote"})) == ["Oslo"]
    assert titles(client.get(URL, {"fokus": area.slug})) == ["Bergen"]
    assert titles(client.get(URL, {"malgruppe": group.slug})) == ["Oslo"]
    # The state lives in the URL: the form shows what was chosen.
    assert 'value="4601" selected' in client.get(URL, {"kommune": "4601"}).text


def test_sorted_by_the_next_shift_with_ongoing_ones_last(client, organisation):
    now = timezone.now()
    later = OpportunityFactory(organisation=organisation, title="Senere")
    ShiftFactory(opportunity=later, starts_at=now + timedelta(days=9), ends_at=now + timedelta(days=9, hours=2))
    soon = OpportunityFactory(organisation=organisation, title="Snart")
    ShiftFactory(opportunity=soon, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2))
    OpportunityFactory(organisation=organisation, title="Løpende")
    assert titles(client.get(URL)) == ["Snart", "Senere", "Løpende"]


def test_sorted_by_distance_from_a_postal_code(client, organisation):
    OpportunityFactory(organisation=organisation, title="Oslo", municipality=Municipality.objects.get(number="0301"))
    OpportunityFactory(organisation=organisation, title="Bergen", municipality=Municipality.objects.get(number="4601"))
    OpportunityFactory(organisation=organisation, title="Voss", municipality=Municipality.objects.get(number="4621"))
    OpportunityFactory(organisation=organisation, title="Digitalt", municipality=None, form="remote")
    response = client.get(URL, {"sorter": "avstand", "postnummer": "5003"})  # Bergen
    assert titles(response) == ["Bergen", "Voss", "Oslo", "Digitalt"]
    assert "ca. 0 km" in response.text
    assert titles(client.get(URL, {"sorter": "avstand", "postnummer": "0150"}))[0] == "Oslo"


def test_distance_uses_the_persons_own_postal_code_by_default(client, organisation, user):
    OpportunityFactory(organisation=organisation, title="Bergen", municipality=Municipality.objects.get(number="4601"))
    OpportunityFactory(organisation=organisation, title="Oslo", municipality=Municipality.objects.get(number="0301"))
    Profile.objects.update_or_create(user=user, defaults={"postal_code": PostalCode.objects.get(code="0150")})
    client.force_login(user)
    assert titles(client.get(URL, {"sorter": "avstand"})) == ["Oslo", "Bergen"]


def test_an_unknown_postal_code_is_explained_at_the_field(client):
    response = client.get(URL, {"sorter": "avstand", "postnummer": "12"})
    assert response.status_code == 200
    assert "fire siffer" in response.text


def test_for_me_matches_interests_and_home_municipality(client, organisation, user):
    area, other_area = FocusArea.objects.all()[:2]
    bergen = Municipality.objects.get(number="4601")
    match = OpportunityFactory(organisation=organisation, title="Passer", municipality=bergen)
    match.focus_areas.add(area)
    elsewhere = OpportunityFactory(organisation=organisation, title="Oslo", municipality_id=None)
    elsewhere.municipality = Municipality.objects.get(number="0301")
    elsewhere.save()
    elsewhere.focus_areas.add(area)
    other = OpportunityFactory(organisation=organisation, title="Annet tema", municipality=bergen)
    other.focus_areas.add(other_area)
    remote = OpportunityFactory(organisation=organisation, title="Digitalt", municipality=None, form="remote")
    remote.focus_areas.add(area)
    bergen_code = PostalCode.objects.get(code="5003")
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"postal_code": bergen_code})
    profile.interests.set([area])
    client.force_login(user)
    assert sorted(titles(client.get(URL, {"for_meg": "on"}))) == ["Digitalt", "Passer"]


def test_for_me_asks_anonymous_visitors_to_log_in(client):
    assert "Logg inn for å se oppdrag som passer" in client.get(URL, {"for_meg": "on"}).text


def test_the_list_is_paginated_with_the_same_number_of_queries_for_3_and_30(client, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(n):
        for _ in range(n):
            opportunity = OpportunityFactory(organisation=organisation)
            opportunity.focus_areas.add(FocusArea.objects.first())
            ShiftFactory(opportunity=opportunity)

    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries.captured_queries)

    make(3)
    few = count()
    few_by_distance = count(sorter="avstand", postnummer="5003")
    make(27)
    assert count() == few
    assert count(sorter="avstand", postnummer="5003") == few_by_distance
    assert few <= 8
    assert len(titles(client.get(URL))) == 20
    assert len(titles(client.get(URL, {"page": 2}))) == 10


def test_statuses_outside_search_are_not_listed(client, organisation):
    OpportunityFactory(organisation=organisation, status=Opportunity.Status.FILLED, title="Fullt")
    assert titles(client.get(URL)) == []

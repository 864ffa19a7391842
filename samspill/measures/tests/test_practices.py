"""From practice to measure (adopt) and back (propose a completed measure as a practice)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from samspill.measures.models import Measure
from samspill.measures.tests.factories import IndicatorFactory, MeasureFactory, MeasurementFactory
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samspill.practices.models import Practice
from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(db):
    practice = PracticeFactory(title="Leksehjelp med middag", slug="leksehjelp-med-middag")
    practice.themes.set(Theme.objects.all()[:1])
    practice.focus_areas.set(FocusArea.objects.all()[:2])
    practice.target_groups.set(TargetGroup.objects.all()[:1])
    return practice


def test_coordinator_adopts_a_practice_as_a_draft_measure(client, coordinator, organisation, practice):
    client.force_login(coordinator)
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "Ta i bruk dette eksempelet" in html
    response = client.post(reverse("measures:adopt", args=[practice.slug]))
    measure = Measure.objects.get(adopted_practice=practice)
    assert response.status_code == 302 and response["Location"] == reverse("measures:edit", args=[measure.pk])
    assert measure.owner == organisation and measure.status == "idea" and not measure.is_public
    assert set(measure.themes.all()) == set(practice.themes.all())
    assert set(measure.focus_areas.all()) == set(practice.focus_areas.all())
    assert set(measure.target_groups.all()) == set(practice.target_groups.all())
    practice.refresh_from_db()
    assert practice.adoption_count == 1
    # The practice page now shows where it has been adopted (to the people who see the measure).
    html = client.get(practice.get_absolute_url()).content.decode()
    assert measure.title in html and reverse("measures:detail", args=[measure.pk]) in html


def test_with_several_organisations_the_coordinator_chooses(client, coordinator, organisation, practice):
    second = OrganisationFactory(name="Andre lag")
    MembershipFactory(organisation=second, role="admin", user=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("measures:adopt", args=[practice.slug]))
    assert response.status_code == 200 and "Andre lag" in response.content.decode()
    assert not Measure.objects.exists()
    client.post(reverse("measures:adopt", args=[practice.slug]), {"owner": second.pk})
    assert Measure.objects.get().owner == second


def test_cannot_adopt_into_someone_elses_organisation(client, coordinator, other_organisation, practice):
    second = OrganisationFactory()
    MembershipFactory(organisation=second, role="admin", user=coordinator)
    client.force_login(coordinator)
    client.post(reverse("measures:adopt", args=[practice.slug]), {"owner": other_organisation.pk})
    assert not Measure.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("member", 403)])
def test_who_may_not_adopt(client, request, practice, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
        assert "Ta i bruk dette eksempelet" not in client.get(practice.get_absolute_url()).content.decode()
    assert client.post(reverse("measures:adopt", args=[practice.slug])).status_code == status
    assert not Measure.objects.exists()


def test_unpublished_practices_cannot_be_adopted(client, coordinator):
    draft = PracticeFactory(status="draft")
    client.force_login(coordinator)
    assert client.post(reverse("measures:adopt", args=[draft.slug])).status_code == 404


def test_adoptions_that_are_not_public_are_hidden_from_others(client, coordinator, outsider, practice):
    client.force_login(coordinator)
    client.post(reverse("measures:adopt", args=[practice.slug]))
    measure = Measure.objects.get()
    client.force_login(outsider)
    html = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("measures:detail", args=[measure.pk]) not in html
    client.logout()
    html = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("measures:detail", args=[measure.pk]) not in html
    Measure.objects.filter(pk=measure.pk).update(is_public=True)
    html = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("measures:detail", args=[measure.pk]) in html


@pytest.fixture
def completed(organisation, municipality):
    measure = MeasureFactory(owner=organisation, status="completed", title="Turgruppe for alle")
    measure.municipalities.set([municipality])
    indicator = IndicatorFactory(measure=measure, name="Turer gått")
    MeasurementFactory(indicator=indicator, period_start=date(2025, 1, 1), value=Decimal(4))
    MeasurementFactory(indicator=indicator, period_start=date(2025, 2, 1), value=Decimal(9))
    return measure


def test_a_completed_measure_is_proposed_to_the_catalogue_as_measured(client, coordinator, completed):
    client.force_login(coordinator)
    assert "Foreslå som godt eksempel" in client.get(completed.get_absolute_url()).content.decode()
    response = client.post(reverse("measures:propose_practice", args=[completed.pk]))
    assert response.status_code == 302
    completed.refresh_from_db()
    practice = completed.published_as
    assert practice.status == Practice.Status.PROPOSED and practice.evidence_level == "measured"
    assert practice.source == Practice.Source.MEASURE and practice.proposed_by == coordinator
    assert "Turer gått" in practice.results and "4" in practice.results and "9" in practice.results
    assert completed.owner in practice.organisations.all()
    # Only once.
    client.post(reverse("measures:propose_practice", args=[completed.pk]))
    assert Practice.objects.filter(source="measure").count() == 1


def test_an_editor_then_publishes_it(completed, coordinator):
    from samspill.measures.services import propose_as_practice
    from samspill.practices import services

    practice = propose_as_practice(measure=completed, by=coordinator)
    assert services.publish(practice=practice, by=None).status == "published"


def test_only_completed_measures_with_values_may_be_proposed(client, coordinator, completed):
    client.force_login(coordinator)
    Measure.objects.filter(pk=completed.pk).update(status="active")
    assert client.post(reverse("measures:propose_practice", args=[completed.pk])).status_code == 403
    empty = MeasureFactory(owner=completed.owner, status="completed")
    client.post(reverse("measures:propose_practice", args=[empty.pk]))
    assert not Practice.objects.filter(source="measure").exists()


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 403)])
def test_who_may_not_propose(client, request, completed, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("measures:propose_practice", args=[completed.pk])).status_code == status
    assert not Practice.objects.filter(source="measure").exists()

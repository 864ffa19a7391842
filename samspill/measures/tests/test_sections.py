"""What measures show on partnership, municipality and practice pages, scoped to the viewer."""

import pytest
from django.test import RequestFactory

from samspill.measures.models import Measure
from samspill.measures.sections import for_object
from samspill.measures.tests.factories import IndicatorFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def request_as(user):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def test_partnership_section_lists_its_measures_with_status_and_target_groups(client, organisation, member, outsider):
    from samspill.partnerships.tests.factories import PartnershipFactory
    from samspill.taxonomy.models import TargetGroup

    partnership = PartnershipFactory()
    public = MeasureFactory(owner=organisation, partnership=partnership, title="Åpent tiltak")
    public.target_groups.set([TargetGroup.objects.get(slug="eldre")])
    IndicatorFactory(measure=public, name="Besøk")
    MeasureFactory(owner=organisation, partnership=partnership, is_public=False, title="Internt tiltak")
    (section,) = for_object(request_as(outsider), partnership)
    assert [m.title for m in section.context["measures"]] == ["Åpent tiltak"]
    (section,) = for_object(request_as(member), partnership)
    assert {m.title for m in section.context["measures"]} == {"Åpent tiltak", "Internt tiltak"}
    html = client.get(partnership.get_absolute_url()).content.decode()
    assert "Tiltak i partnerskapet" in html and "Åpent tiltak" in html and "Internt tiltak" not in html
    assert "Eldre" in html and "Besøk" in html


def test_municipality_section(client, private_measure, indicator, municipality, member):
    html = client.get(municipality.get_absolute_url()).content.decode()
    assert "Tiltak i kommunen" in html and private_measure.title not in html
    client.force_login(member)
    html = client.get(municipality.get_absolute_url()).content.decode()
    assert private_measure.title in html and "Besøk gjennomført" in html


def test_municipality_section_query_count_does_not_grow(municipality, organisation, django_assert_max_num_queries):
    def make(n):
        for _ in range(n):
            measure = MeasureFactory(owner=organisation)
            measure.municipalities.set([municipality])
            IndicatorFactory(measure=measure)

    make(2)
    with django_assert_max_num_queries(6):
        for_object(request_as(None), municipality)
    make(10)
    with django_assert_max_num_queries(6):
        (section,) = for_object(request_as(None), municipality)
    assert len(section.context["measures"]) == 12


def test_other_objects_get_nothing(organisation):
    assert for_object(request_as(None), organisation) == []


def test_measure_rows_hide_non_public_from_anonymous(private_measure, municipality):
    assert Measure.objects.visible_to(request_as(None).user).count() == 0

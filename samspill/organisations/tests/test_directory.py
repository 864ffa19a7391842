import pytest
from django.urls import reverse

from samspill.organisations.tests.factories import OrganisationFactory, kind
from samspill.places.models import County, Municipality
from samspill.taxonomy.models import OrganisationCategory

pytestmark = pytest.mark.django_db
URL = reverse("organisations:directory")


def names(response):
    return [o.name for o in response.context["page_obj"]]


def test_search_by_name_folds_norwegian_letters(client, municipality):
    OrganisationFactory(name="Ålesund Røde Kors", home_municipality=municipality)
    OrganisationFactory(name="Bergen Sanitetsforening", home_municipality=municipality)
    response = client.get(URL, {"q": "ålesund røde"})
    assert names(response) == ["Ålesund Røde Kors"]
    assert names(client.get(URL, {"q": "ÅLESUND"})) == ["Ålesund Røde Kors"]


def test_filters_by_county_municipality_kind_and_category(client, municipality, other_municipality):
    sports = OrganisationCategory.objects.get(code="1200")  # Idrett, under 1 Kultur og rekreasjon
    bergen = OrganisationFactory(name="Bergen idrettslag", home_municipality=municipality, category=sports)
    centre = OrganisationFactory(
        name="Oslo frivilligsentral", home_municipality=other_municipality, kind=kind("frivilligsentral")
    )
    served = OrganisationFactory(name="Kystlaget", home_municipality=other_municipality)
    served.municipalities_served.add(municipality)

    assert set(names(client.get(URL, {"county": "46"}))) == {bergen.name, served.name}
    assert set(names(client.get(URL, {"municipality": "4601"}))) == {bergen.name, served.name}
    assert names(client.get(URL, {"kind": "frivilligsentral"})) == [centre.name]
    # A main category includes its subgroups.
    assert names(client.get(URL, {"category": "1"})) == [bergen.name]


def test_unknown_filter_values_are_ignored_instead_of_failing(client, organisation, other_organisation):
    response = client.get(URL, {"county": "99", "page": "abc", "kind": "<script>"})
    assert response.status_code == 200
    assert organisation.name in names(response)
    # The valid filter still applies.
    response = client.get(URL, {"county": "99", "q": organisation.name})
    assert names(response) == [organisation.name]


def test_it_paginates_and_sorts_norwegian_alphabetically(client, municipality):
    for i in range(25):
        OrganisationFactory(name=f"Lag {i:02d}", home_municipality=municipality)
    OrganisationFactory(name="Ås lag")
    OrganisationFactory(name="Øvre lag")
    OrganisationFactory(name="Ærlig lag")
    first = client.get(URL)
    assert len(names(first)) == 20
    last = client.get(URL, {"page": 2})
    assert names(last)[-3:] == ["Ærlig lag", "Øvre lag", "Ås lag"]
    assert 'aria-current="page"' in last.content.decode()


def test_empty_result_offers_to_remove_filters(client):
    response = client.get(URL, {"q": "finnes ikke"})
    assert "Ingen organisasjoner passer søket ditt" in response.content.decode()


def test_htmx_request_gets_only_the_results(client, organisation):
    response = client.get(URL, {"q": organisation.name}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert organisation.name in html
    assert "<html" not in html


def test_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries, municipality):
    for _ in range(3):
        OrganisationFactory(home_municipality=municipality)
    with django_assert_max_num_queries(12) as small:
        client.get(URL)
    for _ in range(30):
        OrganisationFactory(home_municipality=municipality)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_county_and_municipality_pages_list_organisations(client, organisation, municipality):
    county = County.objects.get(number="46")
    assert organisation.name in client.get(county.get_absolute_url()).content.decode()
    response = client.get(municipality.get_absolute_url())
    assert organisation.name in response.content.decode()
    assert client.get(Municipality.objects.get(number="0301").get_absolute_url()).status_code == 200
    assert client.get("/kommuner/9999/").status_code == 404

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samspill.organisations.tests.factories import OrganisationFactory, kind
from samspill.taxonomy.models import OrganisationCategory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/organisations"


def names(response):
    assert response.status_code == 200, response.content
    return [o["name"] for o in response.json()["items"]]


def test_list_is_alphabetical_and_paginated(client, municipality):
    for name in ["Ørsta lag", "Bergen lag", "Ålesund lag", "Arendal lag", "Zebra lag"]:
        OrganisationFactory(name=name, home_municipality=municipality)
    response = client.get(LIST, {"page_size": 2})
    body = response.json()
    assert body["count"] == 5
    assert body["page"] == 1
    assert body["pages"] == 3
    assert [o["name"] for o in body["items"]] == ["Arendal lag", "Bergen lag"]
    assert names(client.get(LIST, {"page_size": 2, "page": 3})) == ["Ålesund lag"]
    # Past the end: an empty page, not an error.
    past = client.get(LIST, {"page_size": 2, "page": 9}).json()
    assert past["items"] == [] and past["count"] == 5


def test_list_item_has_public_profile_fields(client, organisation):
    item = client.get(LIST).json()["items"][0]
    assert item["id"] == organisation.pk
    assert item["kind"]["slug"] == "frivillig-organisasjon"
    assert item["home_municipality"] == {
        "number": "4601",
        "name": "Bergen",
        "county": {"number": "46", "name": "Vestland"},
    }
    assert item["url"] == f"http://testserver/organisasjoner/{organisation.slug}/"


def test_search_is_case_insensitive_with_norwegian_letters(client, municipality):
    OrganisationFactory(name="Ålesund Røde Kors", home_municipality=municipality)
    OrganisationFactory(name="Bergen Sanitetsforening", home_municipality=municipality)
    assert names(client.get(LIST, {"q": "ålesund røde"})) == ["Ålesund Røde Kors"]
    assert names(client.get(LIST, {"q": "ÅLESUND RØDE"})) == ["Ålesund Røde Kors"]
    assert names(client.get(LIST, {"q": "kors"})) == ["Ålesund Røde Kors"]


def test_filters_by_municipality_county_kind_and_category(client, municipality, other_municipality):
    sports = OrganisationCategory.objects.get(code="1200")  # under main group 1
    bergen = OrganisationFactory(name="Bergen idrettslag", home_municipality=municipality, category=sports)
    centre = OrganisationFactory(
        name="Oslo frivilligsentral", home_municipality=other_municipality, kind=kind("frivilligsentral")
    )
    served = OrganisationFactory(name="Kystlaget", home_municipality=other_municipality)
    served.municipalities_served.add(municipality)

    assert set(names(client.get(LIST, {"municipality": "4601"}))) == {bergen.name, served.name}
    assert set(names(client.get(LIST, {"county": "46"}))) == {bergen.name, served.name}
    assert names(client.get(LIST, {"kind": "frivilligsentral"})) == [centre.name]
    assert names(client.get(LIST, {"category": "1200"})) == [bergen.name]
    assert names(client.get(LIST, {"category": "1"})) == [bergen.name]  # a main group includes its subgroups
    assert names(client.get(LIST, {"county": "03", "q": "kyst"})) == [served.name]


@pytest.mark.parametrize(
    "params",
    [{"county": "99"}, {"municipality": "9999"}, {"kind": "finnes-ikke"}, {"category": "9999"}],
)
def test_unknown_filter_value_is_404_with_message(client, params):
    response = client.get(LIST, params)
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page_size": "1000"},
        {"county": "Vestland"},
        {"q": "a\x00b"},
        {"page": "9" * 30},
    ],
)
def test_malformed_filter_value_is_422_json(client, params):
    response = client.get(LIST, params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert body["errors"]


@pytest.mark.parametrize("params", [{}, {"county": "46", "category": "1"}])
def test_list_uses_same_number_of_queries_for_3_and_30(client, municipality, params, django_assert_max_num_queries):
    category = OrganisationCategory.objects.get(code="1200")

    def make(n):
        for _ in range(n):
            org = OrganisationFactory(home_municipality=municipality, category=category)
            org.municipalities_served.add(municipality)

    make(3)
    with CaptureQueriesContext(connection) as with_three:
        assert len(client.get(LIST, {"page_size": 100, **params}).json()["items"]) == 3
    make(27)
    with django_assert_max_num_queries(len(with_three)):
        assert len(client.get(LIST, {"page_size": 100, **params}).json()["items"]) == 30


def test_detail_shows_public_profile_and_served_municipalities(client, organisation, other_municipality, owner):
    organisation.municipalities_served.add(other_municipality)
    organisation.description = "Vi besøker eldre."
    organisation.phone = "55 55 55 55"
    organisation.save()
    response = client.get(f"{LIST}/{organisation.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == organisation.name
    assert body["municipalities_served"] == [{"number": "0301", "name": "Oslo"}]
    assert body["description"] == "Vi besøker eldre."
    assert body["email"] == organisation.email
    assert body["phone"] == "55 55 55 55"


def test_detail_never_exposes_members_or_personal_data(client, organisation, owner, member):
    text = client.get(f"{LIST}/{organisation.pk}").content.decode()
    for person in (owner, member):
        assert person.email not in text
    assert "member" not in text.lower()
    assert "invitation" not in text.lower()


def test_detail_query_count_is_fixed(
    client, organisation, municipality, other_municipality, django_assert_max_num_queries
):
    organisation.municipalities_served.add(municipality, other_municipality)
    with django_assert_max_num_queries(2):
        client.get(f"{LIST}/{organisation.pk}")


def test_unknown_id_is_json_404(client):
    response = client.get(f"{LIST}/987654321")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_non_numeric_id_is_json_4xx(client):
    response = client.get(f"{LIST}/bergen")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_outsider_gets_only_the_public_profile(client, outsider, organisation, member):
    client.force_login(outsider)
    response = client.get(f"{LIST}/{organisation.pk}")
    assert response.status_code == 200
    assert member.email not in response.content.decode()


def test_english_error_messages_with_accept_language(client):
    response = client.get(LIST, {"county": "99"}, headers={"accept-language": "en"})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_member_of_organisation_sees_no_extra_fields(client, member, organisation):
    anonymous = client.get(f"{LIST}/{organisation.pk}").json()
    client.force_login(member)
    assert client.get(f"{LIST}/{organisation.pk}").json() == anonymous

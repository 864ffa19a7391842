import pytest

from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory
from samspill.places.models import County, Municipality

pytestmark = pytest.mark.django_db


def test_county_list_shows_all_counties_in_norwegian_order(client):
    response = client.get("/kommuner-og-fylker/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('href="/fylker/') == 15
    assert html.index("Vestland") < html.index("Østfold")


def test_county_page_lists_its_municipalities_and_organisations(client, organisation):
    response = client.get("/fylker/46/")
    html = response.content.decode()
    assert html.count('href="/kommuner/') == 43
    assert organisation.name in html


def test_municipality_page_shows_facts_and_own_organisation(client, municipality):
    own = OrganisationFactory(name="Bergen kommune", governs_municipality=municipality)
    response = client.get("/kommuner/4601/")
    html = response.content.decode()
    assert "Vestland" in html
    assert own.get_absolute_url() in html


def test_sami_official_name_is_shown(client):
    assert "Guovdageaidnu" in client.get("/kommuner/5612/").content.decode()


def test_unknown_places_are_404(client):
    assert client.get("/fylker/99/").status_code == 404
    assert client.get("/kommuner/abcd/").status_code == 404


def test_place_pages_show_no_personal_data_to_outsiders(client, organisation, member, outsider):
    """Place pages are public: they list organisations, never the people in them."""
    client.force_login(outsider)
    for url in ("/fylker/46/", "/kommuner/4601/"):
        html = client.get(url).content.decode()
        assert member.email not in html
        assert member.name not in html


def test_place_pages_use_a_bounded_number_of_queries(client, municipality, django_assert_max_num_queries):
    for _ in range(3):
        OrganisationFactory(home_municipality=municipality)
    with django_assert_max_num_queries(15) as small:
        client.get("/kommuner/4601/")
        client.get("/fylker/46/")
    for _ in range(30):
        org = OrganisationFactory(home_municipality=municipality)
        org.municipalities_served.add(Municipality.objects.get(number="4621"))
        MembershipFactory(organisation=org)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/kommuner/4601/")
        client.get("/fylker/46/")
    assert County.objects.get(number="46").municipalities.count() == 43

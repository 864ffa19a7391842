"""What volunteering adds to organisation and municipality pages."""

import pytest
from django.urls import reverse

from samspill.volunteering.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_the_organisation_page_lists_published_opportunities_and_links_coordinators_on(
    client, organisation, coordinator
):
    OpportunityFactory(organisation=organisation, title="Leksehjelp")
    OpportunityFactory(organisation=organisation, title="Hemmelig utkast", status="draft")
    response = client.get(organisation.get_absolute_url())
    assert "Leksehjelp" in response.text and "Hemmelig utkast" not in response.text
    manage = reverse("volunteering:organisation", args=[organisation.slug])
    assert manage not in response.text
    client.force_login(coordinator)
    assert manage in client.get(organisation.get_absolute_url()).text


def test_the_municipality_page_lists_opportunities_there_with_a_link_to_the_search(client, organisation, municipality):
    OpportunityFactory(organisation=organisation, title="Besøksvenn", municipality=municipality)
    response = client.get(municipality.get_absolute_url())
    assert "Besøksvenn" in response.text
    assert reverse("volunteering:search") + "?kommune=4601" in response.text

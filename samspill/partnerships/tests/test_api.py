from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from samspill.partnerships import services
from samspill.partnerships.tests.factories import (
    AgreementFactory,
    ContributionFactory,
    MeetingFactory,
    PartnershipFactory,
)
from samspill.places.models import County, Municipality
from samspill.taxonomy.models import FocusArea

pytestmark = pytest.mark.django_db


def test_list_has_public_partnerships_only_with_filters(client, world, django_assert_max_num_queries):
    public = PartnershipFactory(name="Åpent", is_public=True, status="active")
    public.counties.set([County.objects.get(number="46")])
    public.focus_areas.set([FocusArea.objects.get(slug="fysisk-aktivitet")])
    other = PartnershipFactory(name="Annet", is_public=True, status="forming")
    other.municipalities.set([Municipality.objects.get(number="0301")])
    client.force_login(world.member_user)  # a session does not reveal private ones in the API
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/partnerships").json()
    assert [p["slug"] for p in data["items"]] == [other.slug, public.slug]
    assert data["count"] == 2
    item = data["items"][1]
    assert item["lead"]["id"] == public.lead_id and item["member_count"] == 1
    assert item["url"].endswith(f"/partnerskap/{public.slug}/")

    def slugs(query):
        return [p["slug"] for p in client.get("/api/v1/partnerships?" + query).json()["items"]]

    assert slugs("county=46") == [public.slug]
    assert slugs("municipality=4601") == [public.slug]  # Bergen lies in Vestland
    assert slugs("municipality=0301") == [other.slug]
    assert slugs("focus_area=fysisk-aktivitet") == [public.slug]
    assert slugs("status=forming") == [other.slug]
    assert slugs("county=99") == []
    response = client.get("/api/v1/partnerships?status=secret")
    assert response.status_code == 422 and "detail" in response.json()


def test_detail_has_public_fields_only(client, world):
    world.partnership.is_public = True
    world.partnership.save()
    v1 = services.propose_guidelines(world.partnership, text="Regler", change_note="", by=None)
    services.adopt_guidelines(v1, adopted_on=date(2026, 1, 1))
    signed = AgreementFactory(partnership=world.partnership, status="signed", text="Hemmelig avtaletekst")
    signed.parties.set([world.lead, world.member_org])
    AgreementFactory(partnership=world.partnership, status="draft", title="Utkast som ikke skal vises")
    ContributionFactory(agreement=signed, organisation=world.lead, amount=Decimal(1000))
    MeetingFactory(partnership=world.partnership, minutes="Hemmelig referat")
    response = client.get(f"/api/v1/partnerships/{world.partnership.slug}")
    assert response.status_code == 200
    data = response.json()
    assert {m["organisation"]["name"] for m in data["members"]} == {world.lead.name, world.member_org.name}
    assert data["guidelines"]["number"] == 1
    assert [a["title"] for a in data["agreements"]] == [signed.title]
    assert {p["id"] for p in data["agreements"][0]["parties"]} == {world.lead.pk, world.member_org.pk}
    assert data["contribution_totals"] == [{"year": 2026, "kind": "money", "unit": "NOK", "amount": "1000.00"}]
    text = response.content.decode()
    for secret in ("Hemmelig avtaletekst", "Utkast som ikke skal vises", "Hemmelig referat", world.member_admin.email):
        assert secret not in text


def test_private_and_unknown_partnerships_are_404_for_everyone(client, world):
    for who in (None, world.other_admin, world.member_user):
        if who:
            client.force_login(who)
        response = client.get(f"/api/v1/partnerships/{world.partnership.slug}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Fant ikke det du spurte etter."}
    assert client.get("/api/v1/partnerships/finnes-ikke").status_code == 404
    assert client.get("/api/v1/partnerships/%C3%A6%C3%B8").status_code in (404, 422)

"""GET /api/v1/opportunities, GET /api/v1/opportunities/{id}, and signing up through the API."""

import pytest
from django.test import Client
from django.urls import reverse

from samspill.accounts.tests.factories import UserFactory
from samspill.organisations.tokens import create_api_token
from samspill.places.models import Municipality
from samspill.volunteering.models import SignUp
from samspill.volunteering.services import sign_up
from samspill.volunteering.tests.factories import OpportunityFactory, ShiftFactory

pytestmark = pytest.mark.django_db


def token_for(organisation) -> str:
    return create_api_token(organisation=organisation, name="Test", created_by=None)[1]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_the_list_filters_like_the_search_and_is_paginated(client, organisation):
    OpportunityFactory(organisation=organisation, title="Bergen", municipality=Municipality.objects.get(number="4601"))
    OpportunityFactory(organisation=organisation, title="Oslo", municipality=Municipality.objects.get(number="0301"))
    OpportunityFactory(organisation=organisation, title="Utkast", status="draft")
    body = client.get("/api/v1/opportunities").json()
    assert body["count"] == 2 and body["pages"] == 1
    assert {o["title"] for o in body["items"]} == {"Bergen", "Oslo"}
    assert [o["title"] for o in client.get("/api/v1/opportunities?municipality=4601").json()["items"]] == ["Bergen"]
    near_oslo = client.get("/api/v1/opportunities?sort=distance&postal_code=0150").json()["items"]
    assert [o["title"] for o in near_oslo] == ["Oslo", "Bergen"]
    assert client.get("/api/v1/opportunities?page_size=1&page=2").json()["items"][0]["title"] in {"Bergen", "Oslo"}


def test_unknown_filter_values_are_404_and_malformed_ones_422(client):
    assert client.get("/api/v1/opportunities?municipality=9999").status_code == 404
    response = client.get("/api/v1/opportunities?municipality=abc")
    assert response.status_code == 422 and "detail" in response.json()


def test_the_detail_has_upcoming_shifts_with_free_places(client, shift, volunteer):
    sign_up(shift=shift, user=volunteer)
    body = client.get(f"/api/v1/opportunities/{shift.opportunity_id}").json()
    assert body["title"] == "Leksehjelp på biblioteket"
    assert [(s["id"], s["capacity"], s["free_places"]) for s in body["shifts"]] == [(shift.pk, 2, 1)]


def test_a_draft_is_404_in_the_api(client, organisation):
    draft = OpportunityFactory(organisation=organisation, status="draft")
    assert client.get(f"/api/v1/opportunities/{draft.pk}").status_code == 404


def test_a_person_signs_up_with_their_login_and_csrf_and_gets_201(shift, volunteer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(volunteer)
    url = f"/api/v1/shifts/{shift.pk}/signups"
    assert browser.post(url, content_type="application/json").status_code == 403  # no CSRF token
    browser.get(reverse("volunteering:search"))  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(url, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["position"], body["shift"]) == ("confirmed", None, shift.pk)
    # The audit trail: one history row for the new sign-up, by the person themselves.
    history = SignUp.history.filter(id=body["id"]).get()
    assert (history.history_type, history.status, history.history_user_id) == ("+", "confirmed", volunteer.pk)
    again = browser.post(url, content_type="application/json", headers={"X-CSRFToken": token})
    assert again.status_code == 409 and "allerede" in again.json()["detail"]


def test_a_full_shift_gives_waitlisted_with_the_position(client, shift):
    for _ in range(2):
        sign_up(shift=shift, user=UserFactory())
    late = UserFactory()
    client.force_login(late)
    body = client.post(f"/api/v1/shifts/{shift.pk}/signups", {}, content_type="application/json").json()
    assert (body["status"], body["position"]) == ("waitlisted", 1)


def test_anonymous_callers_get_401(client, shift):
    response = client.post(f"/api/v1/shifts/{shift.pk}/signups", content_type="application/json")
    assert response.status_code == 401 and "detail" in response.json()
    assert not SignUp.objects.exists()


def test_a_person_cancels_their_own_signup_but_never_someone_elses(client, shift, volunteer, user):
    mine = sign_up(shift=shift, user=volunteer)
    theirs = sign_up(shift=shift, user=user)
    client.force_login(volunteer)
    assert client.delete(f"/api/v1/shifts/{shift.pk}/signups/{theirs.pk}").status_code == 404
    response = client.delete(f"/api/v1/shifts/{shift.pk}/signups/{mine.pk}")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_an_organisation_key_adds_a_named_person_to_its_own_shift(client, shift, organisation):
    raw = token_for(organisation)
    url = f"/api/v1/shifts/{shift.pk}/signups"
    response = client.post(
        url, {"name": "Per Innom", "email": "per@example.no"}, content_type="application/json", headers=bearer(raw)
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Per Innom"
    assert SignUp.objects.get().email == "per@example.no"
    missing = client.post(url, {"name": "Per"}, content_type="application/json", headers=bearer(raw))
    assert missing.status_code == 400
    signup_id = response.json()["id"]
    assert client.delete(f"{url}/{signup_id}", headers=bearer(raw)).json()["status"] == "cancelled"


def test_another_organisations_key_gets_403_and_never_sees_the_signups(client, shift, volunteer, other_organisation):
    signup = sign_up(shift=shift, user=volunteer)
    raw = token_for(other_organisation)
    url = f"/api/v1/shifts/{shift.pk}/signups"
    response = client.post(
        url, {"name": "X", "email": "x@example.no"}, content_type="application/json", headers=bearer(raw)
    )
    assert response.status_code == 403
    assert client.delete(f"{url}/{signup.pk}", headers=bearer(raw)).status_code == 404
    signup.refresh_from_db()
    assert signup.status == "confirmed"


def test_a_draft_shift_is_404_for_other_keys_and_people(client, organisation, other_organisation, volunteer):
    shift = ShiftFactory(opportunity=OpportunityFactory(organisation=organisation, status="draft"))
    raw = token_for(other_organisation)
    url = f"/api/v1/shifts/{shift.pk}/signups"
    assert (
        client.post(
            url, {"name": "X", "email": "x@example.no"}, content_type="application/json", headers=bearer(raw)
        ).status_code
        == 404
    )
    client.force_login(volunteer)
    assert client.post(url, content_type="application/json").status_code == 404


def test_who_may_see_the_shift_is_decided_before_the_body_is_judged(client, shift, organisation, other_organisation):
    url = f"/api/v1/shifts/{shift.pk}/signups"
    stranger = token_for(other_organisation)
    assert client.post(url, {"name": "X"}, content_type="application/json", headers=bearer(stranger)).status_code == 403
    missing = client.post(
        "/api/v1/shifts/999999/signups",
        {"name": "X", "email": "x@example.no"},
        content_type="application/json",
        headers=bearer(token_for(organisation)),
    )
    assert missing.status_code == 404
    assert not SignUp.objects.exists()


def test_a_person_cannot_sign_up_for_a_shift_of_a_paused_opportunity(client, organisation, volunteer):
    shift = ShiftFactory(opportunity=OpportunityFactory(organisation=organisation, status="paused"))
    client.force_login(volunteer)

    response = client.post(f"/api/v1/shifts/{shift.pk}/signups", content_type="application/json")

    assert response.status_code == 409
    assert "tar ikke imot påmeldinger" in response.json()["detail"]
    assert not SignUp.objects.exists()

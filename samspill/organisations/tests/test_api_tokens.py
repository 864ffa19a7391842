from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.organisations.models import ApiToken, hash_token
from samspill.organisations.tokens import authenticate, create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db
WHOAMI = "/api/v1/token"


def bearer(raw):
    return {"authorization": f"Bearer {raw}"}


def tokens_url(organisation):
    return reverse("organisations:api_tokens", args=[organisation.slug])


def revoke_url(organisation, token):
    return reverse("organisations:revoke_api_token", args=[organisation.slug, token.pk])


# --- Services ----------------------------------------------------------------


def test_only_the_hash_of_a_new_key_is_stored(organisation, owner):
    token, raw = create_api_token(organisation=organisation, name="Nettsiden", created_by=owner)
    assert raw.startswith("samspill_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_token(raw)
    assert raw not in {str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()}
    assert raw.startswith(stored.key_hint)
    assert len(stored.key_hint) < len(raw) // 2


def test_authenticate_updates_last_used_at_most_once_a_minute(organisation, owner, django_assert_num_queries):
    token, raw = create_api_token(organisation=organisation, name="Integrasjon", created_by=owner)
    with django_assert_num_queries(2):  # lookup + stamp
        assert authenticate(raw).pk == token.pk
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # lookup only
        authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@pytest.mark.parametrize("raw", ["", "samspill_", "samspill_feil", "noe-annet", "samspill_" + "x" * 500])
def test_authenticate_refuses_unknown_keys(raw):
    assert authenticate(raw) is None


def test_revoked_key_no_longer_authenticates(organisation, owner):
    token, raw = create_api_token(organisation=organisation, name="Gammel", created_by=owner)
    revoke_api_token(token=token, revoked_by=owner)
    assert authenticate(raw) is None
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    revoke_api_token(token=token, revoked_by=owner)  # again: nothing changes
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at


# --- The API -----------------------------------------------------------------


def test_token_endpoint_names_the_organisation(client, organisation, owner):
    _token, raw = create_api_token(organisation=organisation, name="Nettsiden", created_by=owner)
    response = client.get(WHOAMI, headers=bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == {"id": organisation.pk, "name": organisation.name, "slug": organisation.slug}
    assert body["token"]["name"] == "Nettsiden"
    assert body["token"]["last_used_at"] is not None
    assert raw not in response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("samspill_feil"), bearer(""), {"authorization": "Basic dXNlcjpwYXNz"}, {"authorization": "Bearer"}],
)
def test_token_endpoint_without_a_valid_key_is_json_401(client, headers):
    response = client.get(WHOAMI, headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_in_session_is_not_a_key(client, owner):
    client.force_login(owner)
    assert client.get(WHOAMI).status_code == 401


# --- Management pages --------------------------------------------------------


def test_admin_creates_a_key_and_sees_it_once(client, owner, organisation):
    client.force_login(owner)
    response = client.post(tokens_url(organisation), {"name": "Nettsiden vår"})
    assert response.status_code == 200
    token = ApiToken.objects.get(organisation=organisation)
    raw = response.context["raw_key"]
    assert hash_token(raw) == token.key_hash
    assert token.created_by == owner
    page = response.content.decode()
    assert raw in page
    assert "Kopier den nå" in page
    assert response["Cache-Control"].startswith("max-age=0")
    # The key works for the API …
    assert client.get(WHOAMI, headers=bearer(raw)).json()["organisation"]["id"] == organisation.pk
    # … and the list shows it without ever showing the key again.
    listing = client.get(tokens_url(organisation))
    text = listing.content.decode()
    assert "Nettsiden vår" in text
    assert token.key_hint in text
    assert raw not in text
    assert "Aktiv" in text


def test_a_key_needs_a_name(client, owner, organisation):
    client.force_login(owner)
    response = client.post(tokens_url(organisation), {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_admin_revokes_a_key_and_it_stops_working(client, owner, organisation):
    token, raw = create_api_token(organisation=organisation, name="Utgått", created_by=owner)
    assert client.get(WHOAMI, headers=bearer(raw)).status_code == 200
    client.force_login(owner)
    response = client.post(revoke_url(organisation, token), follow=True)
    assert response.status_code == 200
    assert "trukket tilbake" in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    client.logout()
    assert client.get(WHOAMI, headers=bearer(raw)).status_code == 401


def test_revoke_is_post_only(client, owner, organisation):
    token, _ = create_api_token(organisation=organisation, name="Nøkkel", created_by=owner)
    client.force_login(owner)
    assert client.get(revoke_url(organisation, token)).status_code == 405
    assert ApiToken.objects.get(pk=token.pk).is_active


def test_another_organisations_key_cannot_be_revoked_through_this_url(
    client, owner, organisation, other_organisation, outsider
):
    # owner administers organisation; outsider administers other_organisation.
    foreign, raw = create_api_token(organisation=other_organisation, name="Deres", created_by=outsider)
    client.force_login(owner)
    assert client.post(revoke_url(organisation, foreign)).status_code == 404
    assert ApiToken.objects.get(pk=foreign.pk).is_active
    assert client.get(WHOAMI, headers=bearer(raw)).status_code == 200


def test_member_who_is_not_admin_gets_403(client, member, organisation, owner):
    token, _ = create_api_token(organisation=organisation, name="Nøkkel", created_by=owner)
    client.force_login(member)
    assert client.get(tokens_url(organisation)).status_code == 403
    assert client.post(tokens_url(organisation), {"name": "Snik"}).status_code == 403
    assert client.post(revoke_url(organisation, token)).status_code == 403
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get(pk=token.pk).is_active


def test_outsider_gets_403_and_sees_no_keys(client, outsider, organisation, owner):
    token, _ = create_api_token(organisation=organisation, name="Hemmelig navn", created_by=owner)
    client.force_login(outsider)
    response = client.get(tokens_url(organisation))
    assert response.status_code == 403
    assert "Hemmelig navn" not in response.content.decode()
    assert client.post(tokens_url(organisation), {"name": "Snik"}).status_code == 403
    assert client.post(revoke_url(organisation, token)).status_code == 403
    assert ApiToken.objects.get(pk=token.pk).is_active


def test_anonymous_is_sent_to_login(client, organisation, owner):
    token, _ = create_api_token(organisation=organisation, name="Nøkkel", created_by=owner)
    for response in (client.get(tokens_url(organisation)), client.post(revoke_url(organisation, token))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert ApiToken.objects.get(pk=token.pk).is_active


def test_unknown_organisation_is_404(client, owner):
    client.force_login(owner)
    assert client.get(reverse("organisations:api_tokens", args=["finnes-ikke"])).status_code == 404

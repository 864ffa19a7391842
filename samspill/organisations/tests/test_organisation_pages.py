import pytest
from django.urls import reverse

from samspill.organisations.models import Organisation
from samspill.organisations.tests.factories import OrganisationFactory, kind

pytestmark = pytest.mark.django_db


def test_anyone_sees_the_public_profile_but_not_the_members(client, organisation, member):
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    assert organisation.name in response.content.decode()
    assert member.email not in response.content.decode()


def test_unknown_organisation_is_a_helpful_404(client):
    response = client.get("/organisasjoner/finnes-ikke/")
    assert response.status_code == 404


def test_admin_edits_the_profile_and_it_is_audited(client, owner, organisation):
    client.force_login(owner)
    url = reverse("organisations:edit", args=[organisation.slug])
    response = client.post(
        url,
        {
            "name": "Nytt navn",
            "kind": organisation.kind.pk,
            "org_number": "NO 974 760 673 MVA",
            "email": "post@example.no",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nytt navn"
    assert organisation.org_number == "974760673"
    last = organisation.history.first()
    assert last.history_user == owner
    history = client.get(reverse("organisations:history", args=[organisation.slug]))
    assert "Nytt navn" in history.content.decode()


def test_invalid_org_number_keeps_what_was_typed_and_says_what_to_fix(client, owner, organisation):
    client.force_login(owner)
    url = reverse("organisations:edit", args=[organisation.slug])
    response = client.post(
        url,
        {
            "name": "Mitt lag",
            "kind": organisation.kind.pk,
            "org_number": "974760674",
            "description": "Vi besøker eldre.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Organisasjonsnummeret er ikke gyldig" in html
    assert "Vi besøker eldre." in html
    assert 'value="974760674"' in html


def test_org_number_is_unique(client, owner, organisation):
    OrganisationFactory(org_number="974760673")
    client.force_login(owner)
    response = client.post(
        reverse("organisations:edit", args=[organisation.slug]),
        {"name": "X", "kind": organisation.kind.pk, "org_number": "974760673"},
    )
    assert "finnes allerede" in response.content.decode()


def test_admin_cannot_make_an_organisation_a_public_body(client, owner, organisation):
    """A kind like "kommune" carries rights; only site admins may give it."""
    client.force_login(owner)
    response = client.post(
        reverse("organisations:edit", args=[organisation.slug]), {"name": "X", "kind": kind("nasjonal-aktor").pk}
    )
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.kind.slug == "frivillig-organisasjon"


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_and_outsiders_cannot_edit(client, request, organisation, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("organisations:edit", args=[organisation.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Kapret", "kind": organisation.kind.pk}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name != "Kapret"


def test_anonymous_is_sent_to_login(client, organisation):
    response = client.get(reverse("organisations:edit", args=[organisation.slug]))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_a_logged_in_person_registers_an_organisation_and_becomes_its_admin(client, user, municipality):
    client.force_login(user)
    response = client.post(
        reverse("organisations:create"),
        {
            "name": "Besøksvennene i Bergen",
            "kind": kind("frivillig-organisasjon").pk,
            "home_municipality": municipality.pk,
            "municipalities_served": [municipality.pk],
        },
    )
    organisation = Organisation.objects.get(name="Besøksvennene i Bergen")
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.slug == "besoksvennene-i-bergen"
    assert organisation.memberships.get().user == user
    assert organisation.memberships.get().role == "admin"


def test_history_is_for_admins_only(client, member, outsider, organisation):
    url = reverse("organisations:history", args=[organisation.slug])
    for person in (member, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 403

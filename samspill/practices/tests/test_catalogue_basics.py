import pytest

from samspill.practices.tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_published_practices_only(client):
    PracticeFactory(title="Besøksvenner for eldre")
    PracticeFactory(title="Hemmelig utkast", status="draft")
    html = client.get("/eksempler/").content.decode()
    assert "Besøksvenner for eldre" in html
    assert "Hemmelig utkast" not in html


def test_drafts_are_404_for_the_public_and_outsiders(client, outsider):
    draft = PracticeFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(PracticeFactory().get_absolute_url()).status_code == 200


def test_editors_find_the_desk_and_the_edit_link_and_others_do_not(client, user):
    from samspill.accounts.tests.factories import enable_totp
    from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind

    practice = PracticeFactory()
    editor = MembershipFactory(organisation=OrganisationFactory(kind=kind("nasjonal-aktor")), role="coordinator").user
    enable_totp(editor)
    client.force_login(user)
    assert "/eksempler/behandling/" not in client.get("/eksempler/").content.decode()
    assert f"/eksempler/{practice.slug}/rediger/" not in client.get(practice.get_absolute_url()).content.decode()
    client.force_login(editor)
    assert "/eksempler/behandling/" in client.get("/eksempler/").content.decode()
    assert f"/eksempler/{practice.slug}/rediger/" in client.get(practice.get_absolute_url()).content.decode()

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

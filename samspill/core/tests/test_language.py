import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_norwegian_is_the_default_even_for_english_browsers(client):
    response = client.get("/organisasjoner/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.headers["Content-Language"] == "nb"
    assert "Organisasjoner" in response.content.decode()


def test_the_language_switch_chooses_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/organisasjoner/"})
    html = client.get("/organisasjoner/").content.decode()
    assert '<html lang="en"' in html
    assert "Organisations" in html
    client.post("/i18n/setlang/", {"language": "nb", "next": "/organisasjoner/"})
    assert '<html lang="nb"' in client.get("/organisasjoner/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_norwegian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/").headers["Content-Language"] == "nb"

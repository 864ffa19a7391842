"""The content pages, the error pages and the health check, in both languages."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from samspill.core import views

CONTENT_PAGES = {
    "core:home": "Samspill er en felles plattform",
    "core:accessibility": "WCAG 2.1",
    "core:privacy": "Slett kontoen min",
    "core:about_data": "Kartverket",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "text"), CONTENT_PAGES.items())
def test_content_page_renders_in_norwegian(client, url_name, text):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="nb"' in body
    assert text in body


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", CONTENT_PAGES)
def test_content_page_renders_in_english_after_switching_language(client, url_name):
    url = reverse(url_name)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert switched.status_code == 302
    assert switched.headers["Location"] == url

    response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en"' in body
    # The language button now offers the way back to Norwegian.
    assert 'name="language" value="nb"' in body


@pytest.mark.django_db
def test_home_counts_organisations_and_counties(client, organisation):
    response = client.get(reverse("core:home"))

    assert response.context["counts"] == {"organisations": 1, "counties": 15}
    body = response.content.decode()
    assert reverse("organisations:directory") in body
    assert reverse("places:counties") in body
    assert reverse("account_signup") in body
    assert reverse("api-v1:openapi-view") in body


@pytest.mark.django_db
def test_home_links_logged_in_user_to_own_page(client, user):
    client.force_login(user)

    body = client.get(reverse("core:home")).content.decode()

    assert reverse("accounts:profile") in body


@pytest.mark.django_db
def test_missing_page_gives_helpful_404(client):
    response = client.get("/finnes-ikke/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Fant ikke siden" in body
    assert "/finnes-ikke/" in body
    assert reverse("organisations:directory") in body
    assert reverse("places:counties") in body


@pytest.mark.django_db
def test_missing_page_escapes_the_path(client):
    response = client.get("/<script>alert(1)</script>/")

    assert response.status_code == 404
    assert "<script>alert(1)" not in response.content.decode()


@pytest.mark.django_db
def test_missing_api_endpoint_gives_json_404(client):
    response = client.get("/api/v1/nope")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_server_error_handler_renders_standalone_page():
    request = RequestFactory().get("/noe/")

    response = views.server_error(request)

    assert response.status_code == 500
    body = response.content.decode()
    assert "<html lang=" in body
    assert "<h1" in body
    assert 'href="/"' in body


def test_server_error_handler_answers_json_under_api():
    request = RequestFactory().get("/api/v1/organisations")

    response = views.server_error(request)

    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_bad_request_handler_renders():
    request = RequestFactory().get("/noe/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()

    response = views.bad_request(request)

    assert response.status_code == 400
    assert "Ugyldig forespørsel" in response.content.decode()


@pytest.mark.django_db
def test_permission_denied_explains_two_step_login(rf):
    from django.contrib.auth.models import AnonymousUser

    from samspill.core.exceptions import MfaRequired

    request = rf.get("/noe/")
    request.user = AnonymousUser()

    response = views.permission_denied(request, MfaRequired())

    assert response.status_code == 403
    body = response.content.decode()
    assert "totrinnsinnlogging" in body
    assert reverse("mfa_activate_totp") in body


@pytest.mark.django_db
def test_permission_denied_suggests_logging_in(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/noe/")
    request.user = AnonymousUser()

    response = views.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    body = response.content.decode()
    assert "Ingen tilgang" in body
    assert reverse("account_login") in body
    assert reverse("mfa_activate_totp") not in body


@pytest.mark.django_db
def test_expired_form_explains_what_to_do(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 403
    assert "Skjemaet er utløpt" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_json(client):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"] or "max-age=0" in response.headers["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("core:accessibility", "<title>Tilgjengelighetserklæring – Samspill</title>"),
        ("core:privacy", "<title>Personvern – Samspill</title>"),
        ("core:about_data", "<title>Om dataene – Samspill</title>"),
    ],
)
def test_page_title_names_the_page_and_the_site(client, url_name, title):
    assert title in client.get(reverse(url_name)).content.decode()


@pytest.mark.django_db
def test_front_page_title_says_what_samspill_is(client):
    body = client.get(reverse("core:home")).content.decode()

    assert "<title>Samspill – samarbeid om frivillighet i helse og omsorg</title>" in body

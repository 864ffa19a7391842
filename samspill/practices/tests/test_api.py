"""The practices API: search with facets, one practice, and writes for editor keys only."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from samspill.organisations.tests.factories import OrganisationFactory, kind
from samspill.organisations.tokens import create_api_token
from samspill.places.models import Municipality
from samspill.practices import services
from samspill.practices.models import Practice
from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import Theme

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def editor_key(db):
    ministry = OrganisationFactory(name="Helse- og omsorgsdepartementet", kind=kind("nasjonal-aktor"))
    return create_api_token(organisation=ministry, name="Redaksjon", created_by=None)[1]


@pytest.fixture
def key(organisation):
    """A key of an ordinary voluntary organisation."""
    return create_api_token(organisation=organisation, name="Fagsystem", created_by=None)[1]


def published(title, *, themes=(), municipalities=(), evidence="described", summary="Et godt eksempel."):
    practice = services.create_practice(
        values={
            "title": title,
            "summary": summary,
            "themes": Theme.objects.filter(slug__in=themes),
            "municipalities": Municipality.objects.filter(number__in=municipalities),
            "evidence_level": evidence,
        },
        by=None,
    )
    return services.publish(practice=practice, by=None)


@pytest.fixture
def corpus(db):
    return [
        published(
            "Besøksvenn for eldre på sykehjem",
            themes=["rekruttering-og-oppfolging"],
            municipalities=["4601"],
            summary="Frivillige besøker eldre.",
        ),
        published("Turvenner", themes=["samspill-og-samarbeid"], municipalities=["0301"], evidence="evaluated"),
        published("Leksehjelp med middag", themes=["samspill-og-samarbeid"], municipalities=["4621"]),
    ]


def test_search_returns_results_and_facet_counts(client, corpus):
    PracticeFactory(title="Hemmelig utkast", status="draft")
    response = client.get("/api/v1/practices")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["page"] == 1 and body["pages"] == 1
    assert {item["title"] for item in body["items"]} == {p.title for p in corpus}
    assert set(body["facets"]) >= {"theme", "county", "municipality", "evidence"}
    themes = {f["value"]: f for f in body["facets"]["theme"]}
    assert themes["samspill-og-samarbeid"]["count"] == 2 and not themes["samspill-og-samarbeid"]["selected"]
    first = body["items"][0]
    assert first["url"].startswith("http") and "snippet" in first


def test_facets_repeat_or_take_commas_and_combine_with_the_query(client, corpus):
    one = client.get("/api/v1/practices?municipality=0301&municipality=4621").json()
    two = client.get("/api/v1/practices?municipality=0301,4621").json()
    assert one["count"] == two["count"] == 2
    selected = [f["value"] for f in two["facets"]["municipality"] if f["selected"]]
    assert sorted(selected) == ["0301", "4621"]
    narrowed = client.get("/api/v1/practices?theme=samspill-og-samarbeid&evidence=evaluated").json()
    assert [item["title"] for item in narrowed["items"]] == ["Turvenner"]
    found = client.get("/api/v1/practices", {"q": "besøksvenn"}).json()
    assert [item["title"] for item in found["items"]] == ["Besøksvenn for eldre på sykehjem"]
    assert client.get("/api/v1/practices?theme=finnes-ikke").json()["count"] == 0


def test_a_page_past_the_end_is_empty_and_bad_input_is_a_422(client, corpus):
    assert client.get("/api/v1/practices?page=5").json()["items"] == []
    for bad in ("page=0", "sort=tilfeldig", "theme=%3Cscript%3E", "q=a%00b"):
        response = client.get(f"/api/v1/practices?{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"]


def test_one_practice_is_public_only_when_published(client, corpus):
    practice = corpus[0]
    response = client.get(f"/api/v1/practices/{practice.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == practice.title and body["status"] == "published"
    assert body["municipalities"] == [
        {"number": "4601", "name": "Bergen", "county": {"number": "46", "name": "Vestland"}}
    ]
    draft = PracticeFactory(status="draft")
    assert client.get(f"/api/v1/practices/{draft.slug}").status_code == 404
    response = client.get("/api/v1/practices/finnes-ikke")
    assert response.status_code == 404 and response.json()["detail"]


def test_an_editor_key_creates_and_publishes_a_practice(client, editor_key):
    data = {
        "title": "Digital hjelp for eldre",
        "summary": "Ungdom hjelper eldre med nettbank.",
        "themes": ["samspill-og-samarbeid"],
        "municipalities": ["4601"],
        "evidence_level": "measured",
        "status": "published",
    }
    response = client.post("/api/v1/practices", data, content_type="application/json", **bearer(editor_key))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "digital-hjelp-for-eldre" and body["status"] == "published"
    assert body["source"] == "direct" and body["evidence_level"] == "measured"
    assert client.get("/api/v1/practices/digital-hjelp-for-eldre").status_code == 200
    response = client.patch(
        "/api/v1/practices/digital-hjelp-for-eldre",
        {"title": "Digital hjelp for eldre på biblioteket", "status": "withdrawn"},
        content_type="application/json",
        **bearer(editor_key),
    )
    assert response.status_code == 200
    practice = Practice.objects.get()
    assert practice.title == "Digital hjelp for eldre på biblioteket" and practice.status == "withdrawn"
    assert practice.slug == "digital-hjelp-for-eldre"
    assert client.get("/api/v1/practices/digital-hjelp-for-eldre").status_code == 404


def test_unknown_codes_and_bad_values_give_422_at_the_field(client, editor_key):
    data = {"title": "Turvenner", "summary": "x", "themes": ["finnes-ikke"], "municipalities": ["9999"]}
    response = client.post("/api/v1/practices", data, content_type="application/json", **bearer(editor_key))
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["errors"]}
    assert fields == {"themes", "municipalities"}
    response = client.post(
        "/api/v1/practices",
        {"title": "Turvenner", "summary": "x", "contact_email": "ikke-epost"},
        content_type="application/json",
        **bearer(editor_key),
    )
    assert response.status_code == 422
    response = client.post("/api/v1/practices", {"summary": "x"}, content_type="application/json", **bearer(editor_key))
    assert response.status_code == 422
    assert not Practice.objects.exists()


def test_other_keys_and_anonymous_clients_cannot_write(client, key, corpus):
    practice = corpus[0]
    data = {"title": "Turvenner", "summary": "x"}
    response = client.post("/api/v1/practices", data, content_type="application/json", **bearer(key))
    assert response.status_code == 403 and response.json()["detail"]
    response = client.patch(
        f"/api/v1/practices/{practice.slug}", {"title": "Kapret"}, content_type="application/json", **bearer(key)
    )
    assert response.status_code == 403
    assert client.post("/api/v1/practices", data, content_type="application/json").status_code == 401
    practice.refresh_from_db()
    assert practice.title == "Besøksvenn for eldre på sykehjem"
    assert Practice.objects.count() == 3


def test_patching_an_unknown_practice_is_a_404(client, editor_key):
    response = client.patch(
        "/api/v1/practices/finnes-ikke", {"title": "x"}, content_type="application/json", **bearer(editor_key)
    )
    assert response.status_code == 404


# --- The write operations, fuzzed with an editor key ----------------------------------
# tests/test_openapi_schema.py runs every operation with an ordinary key (so writes are 403);
# here the practices operations run with an editor key, so the write paths are exercised too.

practices_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/practices"
)


@pytest.fixture
def fuzz_data(db):
    published("Besøksvenn for eldre på sykehjem", themes=["rekruttering-og-oppfolging"], municipalities=["4601"])
    ministry = OrganisationFactory(name="Nasjonal redaksjon", kind=kind("nasjonal-aktor"))
    raw = create_api_token(organisation=ministry, name="Redaksjon", created_by=None)[1]
    # Django's WSGI handler closes "old" connections at each request, which would close the
    # test's transaction; Django's own test client switches this off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield raw
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@practices_schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_practices_api_conforms_to_its_schema_with_an_editor_key(case, fuzz_data):
    # Schema-valid bodies may still name unknown codes or an invalid e-mail address: those are
    # a documented 422, so the "valid data is accepted" check does not apply to these writes.
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_data}"}, excluded_checks=[positive_data_acceptance])

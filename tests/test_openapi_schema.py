"""The OpenAPI schema is valid 3.1, documents every operation, and the API keeps its promises.

Schemathesis generates requests from the schema and runs them in-process against the WSGI
application: no 5xx, and every response matches what the schema says.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from samspill.organisations.models import Organisation
from samspill.organisations.tests.factories import OrganisationFactory
from samspill.organisations.tokens import create_api_token
from samspill.places.models import Municipality
from samspill.taxonomy.models import OrganisationCategory

SCHEMA_URL = "/api/v1/openapi.json"


@pytest.mark.django_db
def test_schema_is_openapi_31_and_every_operation_is_described(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1.")
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert {(path, method) for path, method, _ in operations} >= {
        ("/api/v1/counties", "get"),
        ("/api/v1/municipalities", "get"),
        ("/api/v1/organisations", "get"),
        ("/api/v1/organisations/{id}", "get"),
        ("/api/v1/token", "get"),
    }
    for path, method, op in operations:
        assert op.get("summary"), f"{method.upper()} {path} has no summary"
        assert op.get("description"), f"{method.upper()} {path} has no description"
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_docs_page_renders_without_javascript(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "GET /api/v1/organisations" in page
    assert "page_size" in page
    assert 'href="#schema-OrganisationDetailOut"' in page
    assert "cdn" not in page.lower()
    # Only our own scripts, all with the CSP nonce.
    assert page.count("<script") == page.count("nonce=")


# Loaded once at collection: the schema view touches no database.
schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())


@pytest.fixture
def api_data(db):
    category = OrganisationCategory.objects.get(code="1200")
    bergen = Municipality.objects.get(number="4601")
    for n in range(5):
        OrganisationFactory(name=f"Lag {n} Ærlig Øst", home_municipality=bergen, category=category if n % 2 else None)
    # Django's WSGI handler closes "old" connections at each request, which would close the
    # test's transaction; Django's own test client switches this off the same way.
    _token, raw_key = create_api_token(organisation=Organisation.objects.first(), name="Schemathesis", created_by=None)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield raw_key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# Derandomized: CI must give the same answer for the same code. Broader random runs belong
# to the fuzzing drill (issue 8), which can drop this.
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, api_data):
    case.call_and_validate()
    if case.operation.definition.raw.get("security"):
        # Also as a client with a valid key, so the authenticated answers are checked too.
        case.call_and_validate(headers={"Authorization": f"Bearer {api_data}"})

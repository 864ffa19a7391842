import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from samspill.calls.forms import REQUIRED_TO_SEND
from samspill.calls.models import Submission
from samspill.calls.tests.factories import CallFactory, SubmissionFactory
from samspill.organisations.tokens import create_api_token, revoke_api_token
from samspill.taxonomy.models import FocusArea, TargetGroup, Theme

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def key(organisation):
    return create_api_token(organisation=organisation, name="Fagsystem", created_by=None)[1]


@pytest.fixture
def other_key(other_organisation):
    return create_api_token(organisation=other_organisation, name="Annet", created_by=None)[1]


def body(**overrides):
    data = {
        "title": "Besøksvenner i Bergen",
        "summary": "Frivillige besøker eldre hjemme.",
        "what": "Vi rekrutterte 40 besøksvenner.",
        "why": "For å redusere ensomhet.",
        "themes": [Theme.objects.first().slug],
        "municipality": "4601",
        "target_groups": [TargetGroup.objects.first().slug],
        "focus_areas": [FocusArea.objects.first().slug],
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.no",
        "consent_to_publish": True,
    }
    data.update(overrides)
    return data


def post(client, call, raw, data, **headers):
    return client.post(
        f"/api/v1/calls/{call.slug}/submissions", data, content_type="application/json", **bearer(raw), **headers
    )


# --- Public calls ------------------------------------------------------------


def test_calls_are_listed_open_first_with_themes_and_organisations(client, organisation):
    closed = CallFactory(
        organisations=[organisation],
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=1),
    )
    open_call = CallFactory(organisations=[organisation])
    CallFactory(is_published=False, title="Hemmelig utkast")
    response = client.get("/api/v1/calls")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [c["slug"] for c in items] == [open_call.slug, closed.slug]
    first = items[0]
    assert first["status"] == "open" and items[1]["status"] == "closed"
    assert first["organisations"] == [{"id": organisation.pk, "name": organisation.name}]
    assert {"slug", "name", "description"} <= set(first["themes"][0])
    assert first["audience"] == "logged_in"


def test_call_list_query_count_does_not_grow(client, organisation, django_assert_max_num_queries):
    for _ in range(10):
        CallFactory(organisations=[organisation])
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/calls").json()["items"]) == 10


def test_call_detail_and_404_for_unknown_or_unpublished(client, call):
    response = client.get(f"/api/v1/calls/{call.slug}")
    assert response.status_code == 200
    assert response.json()["introduction"] == call.introduction
    draft = CallFactory(is_published=False)
    for slug in (draft.slug, "finnes-ikke"):
        response = client.get(f"/api/v1/calls/{slug}")
        assert response.status_code == 404
        assert response.json()["detail"]


# --- Submitting --------------------------------------------------------------


def test_an_organisation_key_submits_and_the_contact_gets_a_receipt(
    client, call, key, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, call, key, body())
    assert response.status_code == 201, response.json()
    answer = response.json()
    submission = Submission.objects.get()
    assert answer["reference"] == submission.reference == f"INN-{timezone.localdate().year}-0001"
    assert answer["status"] == "received" and answer["call"] == call.slug
    assert submission.organisation == organisation
    assert submission.submitter is None
    assert submission.municipality.number == "4601"
    assert submission.consent_to_publish is True
    assert submission.target_groups.count() == 1 and submission.focus_areas.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kari@example.no"]
    assert submission.reference in mail.outbox[0].subject


def test_the_schema_requires_what_the_form_requires(client):
    schema = client.get("/api/v1/openapi.json").json()
    required = set(schema["components"]["schemas"]["SubmissionIn"]["required"])
    assert required == {"consent_to_publish" if name == "consent" else name for name in REQUIRED_TO_SEND}


def test_after_the_deadline_is_409_and_nothing_is_stored(client, organisation, key):
    closed = CallFactory(
        organisations=[organisation],
        opens_at=timezone.now() - timedelta(days=10),
        closes_at=timezone.now() - timedelta(seconds=1),
    )
    response = post(client, closed, key, body())
    assert response.status_code == 409
    assert "Fristen" in response.json()["detail"]
    upcoming = CallFactory(opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9))
    assert post(client, upcoming, key, body()).status_code == 409
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"what": "   "}, "what"),
        ({"contact_email": "ikke-en-adresse"}, "contact_email"),
        ({"themes": []}, "themes"),
        ({"themes": ["finnes-ikke"]}, "themes"),
        ({"municipality": "9999"}, "municipality"),
        ({"target_groups": ["finnes-ikke"]}, "target_groups"),
        ({"title": "x" * 201}, "title"),
        ({"what": "x" * 5001}, "what"),
        ({"summary": "nul\x00tegn"}, "summary"),
    ],
)
def test_invalid_bodies_are_422_with_the_field_named(client, call, key, overrides, field):
    response = post(client, call, key, body(**overrides))
    assert response.status_code == 422, response.content
    answer = response.json()
    assert field in answer["detail"]
    assert any(error["loc"][-1] == field for error in answer["errors"])
    assert not Submission.objects.exists()


def test_a_theme_outside_the_call_is_refused(client, organisation, key):
    first, second = Theme.objects.all()[:2]
    narrow = CallFactory(organisations=[organisation], themes=[first])
    response = post(client, narrow, key, body(themes=[second.slug]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "themes"


def test_a_retried_post_with_the_same_key_gives_the_same_submission(
    client, call, key, django_capture_on_commit_callbacks
):
    idempotency = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, call, key, body(), **idempotency)
        again = post(client, call, key, body(), **idempotency)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert Submission.objects.count() == 1
    assert len(mail.outbox) == 1
    # Without a key, two posts are two submissions.
    post(client, call, key, body())
    assert Submission.objects.count() == 2


def test_a_key_used_by_another_organisation_is_a_conflict(client, call, key, other_key):
    idempotency = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    assert post(client, call, key, body(), **idempotency).status_code == 201
    response = post(client, call, other_key, body(), **idempotency)
    assert response.status_code == 409
    assert Submission.objects.count() == 1


def test_submitting_needs_a_valid_key(client, call, organisation, key):
    assert post(client, call, "samspill_feil", body()).status_code == 401
    response = client.post(f"/api/v1/calls/{call.slug}/submissions", body(), content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"]
    token = organisation.api_tokens.get()
    revoke_api_token(token=token, revoked_by=None)
    assert post(client, call, key, body()).status_code == 401
    assert not Submission.objects.exists()


def test_unknown_or_unpublished_call_is_404(client, key):
    draft = CallFactory(is_published=False)
    assert post(client, draft, key, body()).status_code == 404


# --- Editors -----------------------------------------------------------------


def sent(call, **kwargs):
    kwargs.setdefault("status", "received")
    submission = SubmissionFactory(call=call, submitted_at=timezone.now(), **kwargs)
    submission.themes.set(call.themes.all()[:1])
    return submission


def test_the_organisation_behind_the_call_lists_sent_submissions_never_drafts(client, call, key):
    received = sent(call, reference="INN-2026-0001")
    sent(call, reference="INN-2026-0002", status="accepted")
    SubmissionFactory(call=call, title="Utkast som ikke skal vises")
    response = client.get(f"/api/v1/calls/{call.slug}/submissions", **bearer(key))
    assert response.status_code == 200
    answer = response.json()
    assert answer["count"] == 2
    assert {item["reference"] for item in answer["items"]} == {"INN-2026-0001", "INN-2026-0002"}
    assert "Utkast som ikke skal vises" not in response.content.decode()

    filtered = client.get(f"/api/v1/calls/{call.slug}/submissions?status=received", **bearer(key)).json()
    assert [item["reference"] for item in filtered["items"]] == [received.reference]
    theme = call.themes.first()
    by_theme = client.get(f"/api/v1/calls/{call.slug}/submissions?theme={theme.slug}", **bearer(key)).json()
    assert by_theme["count"] == 2
    assert client.get(f"/api/v1/calls/{call.slug}/submissions?theme=ukjent", **bearer(key)).status_code == 404

    detail = client.get(f"/api/v1/submissions/{received.reference}", **bearer(key))
    assert detail.status_code == 200
    assert detail.json()["title"] == received.title
    assert detail.json()["themes"][0]["slug"] == theme.slug


def test_a_draft_is_not_found_by_reference_either(client, call, key):
    SubmissionFactory(call=call, reference="INN-2026-0009")  # a draft (should not have one, but still)
    assert client.get("/api/v1/submissions/INN-2026-0009", **bearer(key)).status_code == 404


def test_the_submission_list_runs_a_fixed_number_of_queries(client, call, key, django_assert_max_num_queries):
    for n in range(12):
        submission = sent(call, reference=f"INN-2026-{n:04d}")
        submission.target_groups.set(TargetGroup.objects.all()[:2])
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/calls/{call.slug}/submissions", **bearer(key))
    assert len(response.json()["items"]) == 12


def test_a_key_of_an_organisation_not_behind_the_call_gets_404(client, call, other_key):
    submission = sent(call, reference="INN-2026-0001")
    for url in (f"/api/v1/calls/{call.slug}/submissions", f"/api/v1/submissions/{submission.reference}"):
        response = client.get(url, **bearer(other_key))
        assert response.status_code == 404
        assert submission.title not in response.content.decode()


def test_editor_endpoints_need_a_key(client, call, outsider):
    submission = sent(call, reference="INN-2026-0001")
    client.force_login(outsider)  # a session is not a key
    for url in (f"/api/v1/calls/{call.slug}/submissions", f"/api/v1/submissions/{submission.reference}"):
        assert client.get(url).status_code == 401

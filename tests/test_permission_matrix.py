"""Every URL pattern, requested by every role: who gets in, and that outsiders never see private people.

The patterns come from the URL resolver, so a new view cannot be forgotten: a pattern
without a row in ``MATRIX`` (or a reason in ``NOT_HERE``) fails
``test_every_url_pattern_has_a_row``. Each row names the roles that get the page; every
other role must be refused (403/404, or a redirect to the login page when anonymous).
For pages that only take POST, the refused roles post an empty form and must be refused
the same way; the allowed roles' POSTs are tested in each app's own tests.

Whatever a role gets, no page shown to ``anonymous``, ``outsider`` or ``admin_b`` may
contain the name, e-mail or phone number of organisation A's private volunteer.

Run with ``SAMSPILL_MATRIX_DISCOVER=1`` to print what each role actually gets.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_world import ROLES, World, build_world

ALL = frozenset(ROLES)
LOGGED_IN = ALL - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
# Roles that must never see organisation A's private volunteer, whatever the page.
STRANGERS = ("anonymous", "outsider", "admin_b")


def roles(*names: str) -> frozenset[str]:
    unknown = set(names) - ALL
    assert not unknown, unknown
    return frozenset(names)


@dataclass(frozen=True)
class Row:
    ok: frozenset[str]
    kwargs: Callable[[World], dict[str, Any]] | None = None
    method: str = "GET"
    query: str = ""
    ok_status: tuple[int, ...] = (200,)


def obj(key: str, attr: str = "pk", name: str = "pk") -> Callable[[World], dict[str, Any]]:
    return lambda w: {name: getattr(w.objects[key], attr)}


def slug_a(w: World) -> dict[str, Any]:
    return {"slug": w.org_a.slug}


def call_slug(w: World) -> dict[str, Any]:
    return {"slug": w.objects["call"].slug}


EDITORS = roles("editor")
ORG_A_ADMIN = roles("admin_a")
ORG_A_MEMBERS = roles("member_a", "admin_a", "volunteer")
# People who may start things in an organisation: coordinators and admins of any organisation.
ELEVATED = roles("admin_a", "admin_b", "coordinator", "editor")
# The private partnership is led by Bergen kommune (coordinator); A is a member.
PARTNERSHIP_LEAD = roles("coordinator")
PARTNERSHIP_INSIDERS = ORG_A_MEMBERS | PARTNERSHIP_LEAD
# A's private measure: A's people and its partner Bergen kommune see it; A's admin runs it.
MEASURE_INVOLVED = ORG_A_MEMBERS | roles("coordinator")
SECRET_SELF = roles("volunteer")


def partnership(w: World) -> dict[str, Any]:
    return {"slug": w.objects["partnership"].slug}


def in_partnership(key: str, name: str = "pk", which: str = "partnership") -> Callable[[World], dict[str, Any]]:
    return lambda w: {"slug": w.objects[which].slug, name: w.objects[key].pk}


def measure(w: World) -> dict[str, Any]:
    return {"pk": w.objects["measure"].pk}


def in_measure(key: str, name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w.objects["measure"].pk, name: w.objects[key].pk}


def volunteer_of_a(w: World) -> dict[str, Any]:
    return {"slug": w.org_a.slug, "user_pk": w.secret.pk}


MATRIX: dict[str, Row] = {
    # core, places, organisations
    "core:home": Row(ALL),
    "core:accessibility": Row(ALL),
    "core:privacy": Row(ALL),
    "core:about_data": Row(ALL),
    "core:healthz": Row(ALL),
    "places:counties": Row(ALL),
    "places:county": Row(ALL, lambda w: {"number": w.municipality_a.county.number}),
    "places:municipality": Row(ALL, lambda w: {"number": w.municipality_a.number}),
    "organisations:directory": Row(ALL),
    "organisations:create": Row(LOGGED_IN),
    # The long random token in the link is the right to see the invitation.
    "organisations:accept_invitation": Row(LOGGED_IN, obj("invitation", "token", "token")),
    "organisations:detail": Row(ALL, slug_a),
    "organisations:edit": Row(ORG_A_ADMIN, slug_a),
    "organisations:members": Row(ORG_A_MEMBERS, slug_a),
    "organisations:change_role": Row(
        ORG_A_ADMIN, lambda w: {"slug": w.org_a.slug, "pk": w.objects["membership_secret"].pk}, "POST"
    ),
    "organisations:remove_member": Row(
        ORG_A_ADMIN, lambda w: {"slug": w.org_a.slug, "pk": w.objects["membership_secret"].pk}, "POST"
    ),
    "organisations:revoke_invitation": Row(
        ORG_A_ADMIN, lambda w: {"slug": w.org_a.slug, "pk": w.objects["invitation"].pk}, "POST"
    ),
    "organisations:history": Row(ORG_A_ADMIN, slug_a),
    "organisations:api_tokens": Row(ORG_A_ADMIN, slug_a),
    "organisations:revoke_api_token": Row(
        ORG_A_ADMIN, lambda w: {"slug": w.org_a.slug, "pk": w.objects["api_token"].pk}, "POST"
    ),
    # calls
    "calls:list": Row(ALL),
    "calls:my_submissions": Row(LOGGED_IN),
    # Logged-in people are sent on to the ordinary form.
    "calls:anonymous_start": Row(ALL, call_slug, ok_status=(200, 302)),
    "calls:anonymous_edit": Row(NOBODY, lambda w: {"slug": w.objects["call"].slug, "token": "feil-lenke"}),
    "calls:anonymous_review": Row(NOBODY, lambda w: {"slug": w.objects["call"].slug, "token": "feil-lenke"}),
    "calls:call_create": Row(roles("coordinator", "editor")),
    # The secret volunteer submitted both: they see their own submission, draft and attachment.
    "calls:submission": Row(EDITORS | SECRET_SELF, obj("submission")),
    # A received submission cannot be changed: its submitter is sent on to read it.
    "calls:submission_edit": Row(SECRET_SELF, obj("submission"), ok_status=(302,)),
    "calls:submission_review": Row(SECRET_SELF, obj("draft")),
    "calls:attachment": Row(EDITORS | SECRET_SELF, obj("attachment")),
    "calls:detail": Row(ALL, call_slug),
    "calls:submission_new": Row(LOGGED_IN, call_slug),
    "calls:review_submission": Row(EDITORS, obj("submission")),
    "calls:review_status": Row(EDITORS, obj("submission"), "POST"),
    "calls:review_note": Row(EDITORS, obj("submission"), "POST"),
    "calls:review_tags": Row(EDITORS, obj("submission"), "POST"),
    "calls:call_edit": Row(EDITORS, call_slug),
    "calls:desk": Row(EDITORS, call_slug),
    "calls:call_history": Row(EDITORS, call_slug),
    "calls:call_extend": Row(EDITORS, call_slug, "POST"),
    "calls:call_archive": Row(EDITORS, call_slug, "POST"),
    "calls:exports": Row(EDITORS, call_slug),
    "calls:export": Row(EDITORS, obj("export")),
    "calls:export_download": Row(NOBODY, obj("export")),  # not finished: nothing to download yet
    # practices
    "practices:catalogue": Row(ALL),
    "practices:feed": Row(ALL),
    "practices:theme_feed": Row(ALL, lambda w: {"slug": _theme_slug()}),
    "practices:pdf": Row(ALL, obj("practice", "slug", "slug")),
    "practices:create": Row(EDITORS),
    "practices:propose": Row(roles("coordinator", "editor")),
    "practices:desk": Row(roles("coordinator", "editor")),
    "practices:from_submission": Row(EDITORS, obj("submission"), "POST"),
    "practices:detail": Row(ALL, obj("practice", "slug", "slug")),
    "practices:edit": Row(roles("coordinator", "editor"), obj("practice_draft", "slug", "slug")),
    "practices:publish": Row(EDITORS, obj("practice_draft", "slug", "slug"), "POST"),
    "practices:withdraw": Row(EDITORS, obj("practice", "slug", "slug"), "POST"),
    "practices:reject": Row(EDITORS, obj("practice_draft", "slug", "slug"), "POST"),
    # a person's own pages
    "accounts:profile": Row(LOGGED_IN),
    "accounts:edit_profile": Row(LOGGED_IN),
    "accounts:export_data": Row(LOGGED_IN),
    "accounts:delete_account": Row(LOGGED_IN),
    "accounts:account_deleted": Row(ALL),
    # The devices a person is logged in on: their own only; nobody ends another person's session.
    "accounts:sessions": Row(LOGGED_IN),
    "accounts:end_session": Row(SECRET_SELF, obj("login_session"), "POST"),
    "accounts:end_other_sessions": Row(LOGGED_IN, method="POST"),
    "core:health": Row(ALL),
    # partnerships (the private one, led by Bergen kommune with A as a member, unless named)
    "partnerships:list": Row(ALL),
    "partnerships:create": Row(roles("coordinator")),
    "partnerships:detail": Row(PARTNERSHIP_INSIDERS, partnership),
    "partnerships:edit": Row(PARTNERSHIP_LEAD, partnership),
    "partnerships:history": Row(PARTNERSHIP_INSIDERS, partnership),
    "partnerships:members": Row(PARTNERSHIP_INSIDERS, partnership),
    "partnerships:invite": Row(PARTNERSHIP_LEAD, partnership),
    # The public partnership: A is invited, B asked to join, the kommune leads; only the editor's body is free.
    "partnerships:request_to_join": Row(roles("editor"), lambda w: {"slug": w.objects["partnership_public"].slug}),
    "partnerships:answer_invitation": Row(
        ORG_A_ADMIN, in_partnership("partnership_invited", which="partnership_public"), "POST"
    ),
    "partnerships:decide_request": Row(
        PARTNERSHIP_LEAD, in_partnership("partnership_requested", which="partnership_public"), "POST"
    ),
    "partnerships:member_edit": Row(PARTNERSHIP_LEAD | ORG_A_ADMIN, in_partnership("partnership_member")),
    "partnerships:guidelines": Row(PARTNERSHIP_INSIDERS, partnership),
    "partnerships:guidelines_propose": Row(PARTNERSHIP_LEAD, partnership),
    "partnerships:guidelines_version": Row(
        PARTNERSHIP_INSIDERS, lambda w: {"slug": w.objects["partnership"].slug, "number": 1}
    ),
    "partnerships:guidelines_adopt": Row(
        PARTNERSHIP_LEAD, lambda w: {"slug": w.objects["partnership"].slug, "number": 1}, "POST"
    ),
    "partnerships:agreements": Row(PARTNERSHIP_INSIDERS, partnership),
    "partnerships:agreement_create": Row(PARTNERSHIP_LEAD, partnership),
    "partnerships:agreement": Row(PARTNERSHIP_INSIDERS, in_partnership("agreement")),
    "partnerships:agreement_edit": Row(PARTNERSHIP_LEAD, in_partnership("agreement")),
    "partnerships:contribution_add": Row(PARTNERSHIP_LEAD, in_partnership("agreement"), "POST"),
    "partnerships:contribution_delete": Row(
        PARTNERSHIP_LEAD,
        lambda w: {
            "slug": w.objects["partnership"].slug,
            "pk": w.objects["agreement"].pk,
            "contribution_pk": w.objects["contribution"].pk,
        },
        "POST",
    ),
    "partnerships:agreement_propose": Row(PARTNERSHIP_LEAD, in_partnership("agreement"), "POST"),
    "partnerships:agreement_withdraw": Row(PARTNERSHIP_LEAD, in_partnership("agreement_proposed"), "POST"),
    # Signing is for an admin of a party that has not signed yet (A; the kommune's coordinator is no admin).
    "partnerships:agreement_sign": Row(ORG_A_ADMIN, in_partnership("agreement_proposed"), "POST"),
    "partnerships:agreement_new_version": Row(PARTNERSHIP_LEAD, in_partnership("agreement_signed"), "POST"),
    "partnerships:meetings": Row(PARTNERSHIP_INSIDERS, partnership),
    "partnerships:meeting_create": Row(PARTNERSHIP_LEAD, partnership),
    "partnerships:meeting": Row(PARTNERSHIP_INSIDERS, in_partnership("meeting")),
    "partnerships:meeting_edit": Row(PARTNERSHIP_LEAD, in_partnership("meeting")),
    "partnerships:action_items": Row(PARTNERSHIP_INSIDERS, partnership),
    # The lead, and the people of the organisation that owns the item (A).
    "partnerships:action_item_status": Row(PARTNERSHIP_INSIDERS, in_partnership("action_item"), "POST"),
    # measures (A's non-public measure, with Bergen kommune as partner)
    "measures:list": Row(ALL),
    "measures:create": Row(ELEVATED),
    "measures:adopt": Row(ELEVATED, obj("practice", "slug", "slug")),
    "measures:detail": Row(MEASURE_INVOLVED, measure),
    "measures:edit": Row(ORG_A_ADMIN, measure),
    "measures:status": Row(ORG_A_ADMIN, measure, "POST"),
    "measures:add_partner": Row(ORG_A_ADMIN, measure, "POST"),
    "measures:remove_partner": Row(ORG_A_ADMIN, in_measure("measure_partner", "partner_pk"), "POST"),
    "measures:add_plan_item": Row(ORG_A_ADMIN, measure, "POST"),
    "measures:plan_item_done": Row(ORG_A_ADMIN, in_measure("plan_item", "item_pk"), "POST"),
    "measures:add_resource": Row(ORG_A_ADMIN, measure, "POST"),
    "measures:remove_resource": Row(ORG_A_ADMIN, in_measure("resource", "resource_pk"), "POST"),
    "measures:indicator_create": Row(ORG_A_ADMIN, measure),
    "measures:indicator": Row(MEASURE_INVOLVED, in_measure("indicator", "indicator_pk")),
    "measures:indicator_edit": Row(ORG_A_ADMIN, in_measure("indicator", "indicator_pk")),
    # Values are entered by the people of the organisation responsible for reporting (A).
    "measures:import": Row(ORG_A_MEMBERS, measure),
    "measures:import_confirm": Row(ORG_A_MEMBERS, measure, "POST"),
    # Only a completed measure can be proposed as a practice; A's is still active.
    "measures:propose_practice": Row(NOBODY, measure, "POST"),
    # volunteering (A's published opportunity with a shift; the secret volunteer is signed up)
    "volunteering:search": Row(ALL),
    "volunteering:create": Row(ELEVATED),
    "volunteering:mine": Row(LOGGED_IN),
    "volunteering:calendar": Row(LOGGED_IN),
    # The token in the link is the right; a wrong token finds nothing (the right one: test below).
    "volunteering:calendar_feed": Row(NOBODY, lambda w: {"token": "feil-lenke"}),
    "volunteering:organisation": Row(ORG_A_ADMIN, slug_a),
    "volunteering:detail": Row(ALL, obj("opportunity")),
    "volunteering:interest": Row(LOGGED_IN, obj("ongoing")),
    "volunteering:edit": Row(ORG_A_ADMIN, obj("opportunity")),
    "volunteering:manage": Row(ORG_A_ADMIN, obj("opportunity")),
    "volunteering:shift_create": Row(ORG_A_ADMIN, obj("opportunity")),
    "volunteering:series_create": Row(ORG_A_ADMIN, obj("opportunity")),
    "volunteering:series_edit": Row(
        ORG_A_ADMIN, lambda w: {"pk": w.objects["opportunity"].pk, "series_pk": w.objects["series"].pk}
    ),
    "volunteering:shift": Row(ORG_A_ADMIN, obj("shift")),
    "volunteering:shift_signup": Row(LOGGED_IN, obj("shift")),
    "volunteering:shift_edit": Row(ORG_A_ADMIN, obj("shift")),
    "volunteering:cancel": Row(SECRET_SELF | ORG_A_ADMIN, obj("signup")),
    "volunteering:attendance": Row(ORG_A_ADMIN, obj("signup"), "POST"),
    "volunteering:answer": Row(ORG_A_ADMIN, obj("interest"), "POST"),
    # followup (the secret volunteer's hours, follow-ups and records in A)
    "followup:my_hours": Row(LOGGED_IN),
    "followup:checkin": Row(SECRET_SELF, obj("followup")),
    # The declaration text is for anyone who is to sign it; it names nobody.
    "followup:sign_declaration": Row(LOGGED_IN, slug_a),
    "followup:my_certificate": Row(SECRET_SELF, slug_a),
    "followup:hours_approve": Row(ORG_A_ADMIN, obj("hours_pending"), "POST"),
    "followup:hours_reject": Row(ORG_A_ADMIN, obj("hours_pending")),
    "followup:hours_delete": Row(SECRET_SELF, obj("hours_pending"), "POST"),
    "followup:followup": Row(ORG_A_ADMIN, obj("followup")),
    "followup:overview": Row(ORG_A_ADMIN, slug_a),
    "followup:volunteers": Row(ORG_A_ADMIN, slug_a),
    "followup:volunteer": Row(ORG_A_ADMIN, volunteer_of_a),
    "followup:police_certificate": Row(ORG_A_ADMIN, lambda w: volunteer_of_a(w) | {"what": "requested"}, "POST"),
    "followup:training_done": Row(
        ORG_A_ADMIN, lambda w: volunteer_of_a(w) | {"item_pk": w.objects["training"].pk}, "POST"
    ),
    "followup:end_role": Row(ORG_A_ADMIN, volunteer_of_a),
    "followup:certificate_for": Row(ORG_A_ADMIN, volunteer_of_a),
    "followup:hours": Row(ORG_A_ADMIN, slug_a),
    "followup:report": Row(ORG_A_ADMIN, slug_a),
    "followup:report_csv": Row(ORG_A_ADMIN, slug_a),
    "followup:declarations": Row(ORG_A_ADMIN, slug_a),
    "followup:training": Row(ORG_A_ADMIN, slug_a),
    "followup:schedule": Row(ORG_A_ADMIN, slug_a),
    "followup:schedule_standard": Row(ORG_A_ADMIN, slug_a, "POST"),
}

# Patterns tested elsewhere, with the reason.
NOT_HERE = {
    "set_language": "a POST that only sets a cookie; tests/test_pages.py",
    "api-v1:*": "the API: test_every_api_operation_is_in_the_matrix below and tests/test_openapi_schema.py",
    "admin:*": "Django admin, site admins only (is_staff); Django's own tests",
    "account_*": "allauth's account pages act on the logged-in person only; samspill/accounts/tests",
    "mfa_*": "allauth's two-step login pages act on the logged-in person only; samspill/accounts/tests",
    "_feil": "the error pages, DEBUG only",
}


def _theme_slug() -> str:
    from samspill.taxonomy.models import Theme

    theme = Theme.objects.order_by("pk").first()
    assert theme is not None
    return theme.slug


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"_feil{pattern.pattern}"
            yield f"{namespace}:{name}" if namespace else name


def _excluded(name: str) -> bool:
    for key in NOT_HERE:
        if key.endswith("*") and name.startswith(key[:-1]):
            return True
        if name == key or (name.startswith(key) and key == "_feil"):
            return True
    return False


def url_names() -> list[str]:
    return sorted({name for name in _walk(get_resolver().url_patterns) if not _excluded(name)})


def test_every_url_pattern_has_a_row():
    missing = [name for name in url_names() if name not in MATRIX]
    stale = [name for name in MATRIX if name not in url_names()]
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


@pytest.fixture
def world(db) -> World:
    return build_world()


def _client(world: World, role: str) -> Client:
    client = Client()
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    return client


def _is_refusal(role: str, response: Any) -> bool:
    if response.status_code in (403, 404):
        return True
    if role == "anonymous" and response.status_code == 302:
        return response.headers["Location"].startswith(reverse("account_login"))
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_exactly_what_the_matrix_says(world, name):
    row = MATRIX[name]
    path = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    observed: dict[str, int] = {}
    problems: list[str] = []
    for role in ROLES:
        if row.method == "POST" and role in row.ok:
            continue  # the allowed roles' POSTs are tested where the view lives
        client = _client(world, role)
        response = client.post(path, {}) if row.method == "POST" else client.get(path)
        observed[role] = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if role in STRANGERS:
            for marker in world.markers():
                if marker.encode() in body:
                    problems.append(f"{role} sees {marker!r} on {path}")
        if role in row.ok:
            if response.status_code not in row.ok_status:
                problems.append(f"{role} should get {row.ok_status} on {path}, got {response.status_code}")
        elif not _is_refusal(role, response):
            problems.append(f"{role} should be refused on {row.method} {path}, got {response.status_code}")
    if os.environ.get("SAMSPILL_MATRIX_DISCOVER"):
        print(name, observed)
    assert not problems, "\n".join(problems)


# --- The API -----------------------------------------------------------------------
# Callers: nobody, a logged-in browser session of a role, or an organisation's API key.
CALLERS = ("anonymous", "session:outsider", "session:member_a", "token:a", "token:b", "token:national")
ANY_CALLER = frozenset(CALLERS)
NO_CALLER: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ApiRow:
    ok: frozenset[str]
    params: Callable[[World], dict[str, Any]] | None = None
    ok_status: tuple[int, ...] = (200,)
    # Statuses that also count as a refusal for a caller, besides 401/403/404/405 (say why on the row).
    refusal: dict[str, tuple[int, ...]] = field(default_factory=dict)


def callers(*names: str) -> frozenset[str]:
    unknown = set(names) - ANY_CALLER
    assert not unknown, unknown
    return frozenset(names)


API_MATRIX: dict[str, ApiRow] = {
    "GET /api/v1/counties": ApiRow(ANY_CALLER),
    "GET /api/v1/municipalities": ApiRow(ANY_CALLER),
    "GET /api/v1/organisations": ApiRow(ANY_CALLER),
    "GET /api/v1/organisations/{id}": ApiRow(ANY_CALLER, lambda w: {"id": w.org_a.pk}),
    "GET /api/v1/token": ApiRow(callers("token:a", "token:b", "token:national")),
    "GET /api/v1/calls": ApiRow(ANY_CALLER),
    "GET /api/v1/calls/{slug}": ApiRow(ANY_CALLER, call_slug),
    # Any organisation may submit with its key; the body is checked after the key (tested in calls).
    "POST /api/v1/calls/{slug}/submissions": ApiRow(callers("token:a", "token:b", "token:national"), call_slug),
    "GET /api/v1/calls/{slug}/submissions": ApiRow(callers("token:national"), call_slug),
    "GET /api/v1/submissions/{reference}": ApiRow(
        callers("token:national"), lambda w: {"reference": w.objects["submission"].reference}
    ),
    "GET /api/v1/practices": ApiRow(ANY_CALLER),
    "POST /api/v1/practices": ApiRow(callers("token:national")),
    "GET /api/v1/practices/{slug}": ApiRow(ANY_CALLER, lambda w: {"slug": w.objects["practice"].slug}),
    "PATCH /api/v1/practices/{slug}": ApiRow(callers("token:national"), lambda w: {"slug": w.objects["practice"].slug}),
    # Only public partnerships and measures are in the API, whoever asks: A's private ones are 404 for all.
    "GET /api/v1/partnerships": ApiRow(ANY_CALLER),
    "GET /api/v1/partnerships/{slug}": ApiRow(NO_CALLER, lambda w: {"slug": w.objects["partnership"].slug}),
    "GET /api/v1/measures": ApiRow(ANY_CALLER),
    "GET /api/v1/measures/{measure_id}": ApiRow(NO_CALLER, lambda w: {"measure_id": w.objects["measure"].pk}),
    # Only the organisation responsible for the indicator reports values, with its key. Ninja checks the
    # key first (no key, or a browser session: 401), then the body, then the indicator: other keys'
    # empty bodies are 422 before the view can refuse them. With a valid body they get 403/404:
    # test_other_keys_with_a_valid_body_are_refused below.
    "POST /api/v1/indicators/{indicator_id}/measurements": ApiRow(
        callers("token:a"),
        lambda w: {"indicator_id": w.objects["indicator"].pk},
        refusal={"token:b": (422,), "token:national": (422,)},
    ),
    "GET /api/v1/opportunities": ApiRow(ANY_CALLER),
    "GET /api/v1/opportunities/{id}": ApiRow(ANY_CALLER, lambda w: {"id": w.objects["opportunity"].pk}),
    # A person signs themself up for any published shift; a key only for its own organisation's shifts.
    "POST /api/v1/shifts/{id}/signups": ApiRow(
        callers("session:outsider", "session:member_a", "token:a"), lambda w: {"id": w.objects["shift"].pk}
    ),
    # The secret volunteer's sign-up: only A's key (and the volunteer themself) may cancel it.
    "DELETE /api/v1/shifts/{id}/signups/{signup_id}": ApiRow(
        callers("token:a"), lambda w: {"id": w.objects["shift"].pk, "signup_id": w.objects["signup"].pk}
    ),
}


def api_operations() -> list[str]:
    from config.api import api

    paths = api.get_openapi_schema()["paths"]
    return sorted(f"{method.upper()} {path}" for path, ops in paths.items() for method in ops)


def test_every_api_operation_has_a_row():
    operations = api_operations()
    missing = [op for op in operations if op not in API_MATRIX]
    stale = [op for op in API_MATRIX if op not in operations]
    assert not missing, f"API operations without a row in the permission matrix: {missing}"
    assert not stale, f"rows for API operations that no longer exist: {stale}"


def _api_call(world: World, caller: str, method: str, path: str) -> Any:
    client = Client()
    headers: dict[str, str] = {}
    kind, _, who = caller.partition(":")
    if kind == "session":
        client.force_login(world.people[who])
    elif kind == "token":
        headers["Authorization"] = f"Bearer {world.tokens[who]}"
    if method == "GET":
        return client.get(path, headers=headers)
    return client.generic(method, path, "{}", content_type="application/json", headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API_MATRIX))
def test_each_api_caller_gets_exactly_what_the_matrix_says(world, operation):
    method, template = operation.split(" ", 1)
    row = API_MATRIX[operation]
    path = template.format(**(row.params(world) if row.params else {}))
    problems: list[str] = []
    for caller in CALLERS:
        if method != "GET" and caller in row.ok:
            continue  # the allowed callers' writes are tested where the endpoint lives
        response = _api_call(world, caller, method, path)
        if caller in ("anonymous", "session:outsider", "token:b"):
            for marker in world.markers():
                if marker.encode() in response.content:
                    problems.append(f"{caller} sees {marker!r} from {operation}")
        if caller in row.ok:
            if response.status_code not in row.ok_status:
                problems.append(f"{caller} should get {row.ok_status} from {path}, got {response.status_code}")
        elif response.status_code not in (401, 403, 404, 405, *row.refusal.get(caller, ())):
            problems.append(f"{caller} should be refused by {method} {path}, got {response.status_code}")
        elif "detail" not in response.json():
            problems.append(f"{caller}'s refusal from {operation} has no JSON detail")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_other_keys_with_a_valid_body_are_refused(world):
    """The writes whose refusal depends on the object, asked with a body that would be accepted."""
    from samspill.measures.models import Measurement
    from samspill.volunteering.models import SignUp

    client = Client()
    indicator = world.objects["indicator"]
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    before = Measurement.objects.filter(indicator=indicator).count()
    for key in ("b", "national"):
        response = client.post(
            url,
            {"period": "2025-03", "value": 12},
            content_type="application/json",
            headers={"Authorization": f"Bearer {world.tokens[key]}"},
        )
        assert response.status_code in (403, 404), (key, response.status_code)
        assert "detail" in response.json()
    assert Measurement.objects.filter(indicator=indicator).count() == before
    response = client.post(
        url,
        {"period": "2025-03", "value": 12},
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['a']}"},
    )
    assert response.status_code in (200, 201), response.content
    assert Measurement.objects.filter(indicator=indicator).count() == before + 1

    shift = world.objects["shift"]
    signups = SignUp.objects.filter(shift=shift).count()
    for key in ("b", "national"):
        response = client.post(
            f"/api/v1/shifts/{shift.pk}/signups",
            {"name": "Noen Andre", "email": "noen.andre@example.no"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {world.tokens[key]}"},
        )
        assert response.status_code == 403, (key, response.status_code)
        response = client.delete(
            f"/api/v1/shifts/{shift.pk}/signups/{world.objects['signup'].pk}",
            headers={"Authorization": f"Bearer {world.tokens[key]}"},
        )
        assert response.status_code == 404, (key, response.status_code)
    assert SignUp.objects.filter(shift=shift).count() == signups
    assert SignUp.objects.get(pk=world.objects["signup"].pk).status == "confirmed"


@pytest.mark.django_db
def test_public_partnerships_and_measures_are_in_the_api(world):
    client = Client()
    response = client.get(f"/api/v1/partnerships/{world.objects['partnership_public'].slug}")
    assert response.status_code == 200
    response = client.get(f"/api/v1/measures/{world.objects['measure_public'].pk}")
    assert response.status_code == 200
    listed = client.get("/api/v1/partnerships").content + client.get("/api/v1/measures").content
    assert world.objects["partnership"].name.encode() not in listed
    assert world.objects["measure"].title.encode() not in listed


@pytest.mark.django_db
def test_the_calendar_feed_answers_only_its_own_token(world):
    """The long random token in the link is the right: it gives its owner's shifts, a wrong one nothing."""
    client = Client()
    response = client.get(reverse("volunteering:calendar_feed", kwargs={"token": world.tokens["calendar"]}))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"].startswith("text/calendar")
    assert world.objects["opportunity"].title.encode() in body
    wrong = world.tokens["calendar"][:-1] + ("A" if world.tokens["calendar"][-1] != "A" else "B")
    assert client.get(reverse("volunteering:calendar_feed", kwargs={"token": wrong})).status_code == 404


@pytest.mark.django_db
def test_nobody_ends_another_persons_session(world):
    from samspill.accounts.models import LoginSession

    login_session = world.objects["login_session"]
    for role in ("outsider", "member_a", "admin_a", "coordinator"):
        client = _client(world, role)
        assert client.post(reverse("accounts:end_session", kwargs={"pk": login_session.pk})).status_code == 404
        client.post(reverse("accounts:end_other_sessions"))
    assert LoginSession.objects.filter(pk=login_session.pk).exists()

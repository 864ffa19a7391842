"""Every right in Samspill, decided in one place.

A right is held through a membership (person × organisation × role). The organisation's
kind and place give the scope: a coordinator in a municipality's own organisation
coordinates that municipality, a county's advisers see the county's municipalities,
and coordinators of a national body are national editors.

Coordinator and admin roles in a municipality, county or national body count only when
the person has turned on two-step login (TOTP). Without it those memberships confer the
rights of a plain member, and the interface asks the person to turn it on.

Views fetch every object named in a URL through ``get_object_for_user``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404, HttpRequest

from samspill.core.exceptions import MfaRequired, NoAccess

ELEVATED_ROLES = frozenset({"admin", "coordinator"})
PUBLIC_KINDS = frozenset({"kommune", "fylkeskommune", "nasjonal-aktor"})

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Grant:
    organisation_id: int
    role: str
    kind: str
    municipality_id: int | None  # the municipality this organisation governs, if any
    county_id: int | None  # the county this organisation governs, if any

    @property
    def needs_mfa(self) -> bool:
        return self.role in ELEVATED_ROLES and self.kind in PUBLIC_KINDS


def user_has_mfa(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_samspill_has_mfa", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._samspill_has_mfa = cached
    return cached


def all_grants(user: Any) -> list[Grant]:
    """The user's memberships, loaded once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_samspill_grants", None)
    if cached is None:
        from samspill.organisations.models import Membership

        rows = Membership.objects.filter(user=user).values_list(
            "organisation_id",
            "role",
            "organisation__kind__slug",
            "organisation__governs_municipality_id",
            "organisation__governs_county_id",
        )
        cached = [Grant(*row) for row in rows]
        user._samspill_grants = cached
    return cached


def forget_cached_rights(user: Any) -> None:
    for attr in ("_samspill_grants", "_samspill_has_mfa"):
        if hasattr(user, attr):
            delattr(user, attr)


def effective_grants(user: Any) -> list[Grant]:
    """Grants whose rights apply now: elevated public-sector roles need MFA."""
    grants = all_grants(user)
    if any(g.needs_mfa for g in grants) and not user_has_mfa(user):
        return [
            Grant(g.organisation_id, "member", g.kind, g.municipality_id, g.county_id) if g.needs_mfa else g
            for g in grants
        ]
    return grants


def grants_waiting_for_mfa(user: Any) -> list[Grant]:
    if user_has_mfa(user):
        return []
    return [g for g in all_grants(user) if g.needs_mfa]


def _org_id(obj: Any) -> int | None:
    return getattr(obj, "pk", None)


# --- Predicates --------------------------------------------------------------


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_org_member(user: Any, organisation: Any) -> bool:
    return any(g.organisation_id == _org_id(organisation) for g in effective_grants(user))


@rules.predicate
def is_org_coordinator(user: Any, organisation: Any) -> bool:
    return any(g.organisation_id == _org_id(organisation) and g.role in ELEVATED_ROLES for g in effective_grants(user))


@rules.predicate
def is_org_admin(user: Any, organisation: Any) -> bool:
    return any(g.organisation_id == _org_id(organisation) and g.role == "admin" for g in effective_grants(user))


@rules.predicate
def is_municipality_coordinator(user: Any, municipality: Any) -> bool:
    """Coordinator or admin in the municipality's own organisation."""
    return any(g.role in ELEVATED_ROLES and g.municipality_id == _org_id(municipality) for g in effective_grants(user))


@rules.predicate
def is_county_adviser(user: Any, county: Any) -> bool:
    """Coordinator or admin in the county's own organisation."""
    return any(g.role in ELEVATED_ROLES and g.county_id == _org_id(county) for g in effective_grants(user))


@rules.predicate
def is_national_editor(user: Any) -> bool:
    return any(g.role in ELEVATED_ROLES and g.kind == "nasjonal-aktor" for g in effective_grants(user))


def coordinates_municipality(user: Any, municipality: Any) -> bool:
    """Municipality coordinator, or adviser of the county the municipality lies in."""
    return bool(
        is_municipality_coordinator(user, municipality)
        or is_county_adviser(user, getattr(municipality, "county", None))
    )


# --- Calls for input ----------------------------------------------------------


def editable_call_ids(user: Any) -> Any:
    """A subquery of the calls this user edits: those behind which they coordinate an organisation."""
    from samspill.calls.models import Call

    org_ids = [g.organisation_id for g in effective_grants(user) if g.role in ELEVATED_ROLES]
    return Call.organisations.through.objects.filter(organisation_id__in=org_ids).values("call_id")


def _call_organisation_ids(call: Any) -> set[int]:
    cached = getattr(call, "_samspill_org_ids", None)
    if cached is None:
        cached = set(call.organisations.values_list("pk", flat=True))
        call._samspill_org_ids = cached
    return cached


@rules.predicate
def is_call_editor(user: Any, call: Any) -> bool:
    if call is None:
        return False
    ids = _call_organisation_ids(call)
    return any(g.organisation_id in ids and g.role in ELEVATED_ROLES for g in effective_grants(user))


@rules.predicate
def can_create_calls(user: Any) -> bool:
    """National editors, county advisers and municipality coordinators."""
    return any(g.role in ELEVATED_ROLES and g.kind in PUBLIC_KINDS for g in effective_grants(user))


@rules.predicate
def may_submit_to(user: Any, call: Any) -> bool:
    audience = getattr(call, "audience", None)
    if audience == "members":
        return bool(all_grants(user))
    if audience == "anyone":
        return True
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_submitter(user: Any, submission: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and submission.submitter_id == user.pk


@rules.predicate
def edits_submissions_call(user: Any, submission: Any) -> bool:
    return submission.status != "draft" and is_call_editor(user, submission.call)


@rules.predicate
def submission_is_editable(user: Any, submission: Any) -> bool:
    return submission.is_editable_by_submitter


# --- Catalogue of good practices -----------------------------------------------


@rules.predicate
def is_catalogue_editor(user: Any) -> bool:
    """National editors edit the catalogue: they publish, approve proposals and write practices."""
    return bool(is_national_editor(user))


@rules.predicate
def can_propose_practices(user: Any) -> bool:
    """Municipality coordinators and county advisers propose practices for their own area."""
    return any(g.role in ELEVATED_ROLES and (g.municipality_id or g.county_id) for g in effective_grants(user))


@rules.predicate
def is_practice_proposer(user: Any, practice: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and practice.proposed_by_id == user.pk
        and practice.status in ("draft", "proposed")
    )


# --- Partnerships (owned by the partnerships work; edit only inside this section) ---------


# --- end partnerships ---


# --- Measures and indicators (owned by the measures work; edit only inside this section) --


# --- end measures ---


# --- Volunteering: opportunities, shifts, sign-ups (edit only inside this section) --------


# --- end volunteering ---


# --- Follow-up: onboarding records, hours, follow-ups, certificates (edit only inside) ----


# --- end followup ---


# --- Rights ------------------------------------------------------------------
# Organisation profiles are public; changing them and seeing their people is not.
rules.add_perm("organisations.view_organisation", rules.always_allow)
rules.add_perm("organisations.change_organisation", is_org_admin | is_site_admin)
rules.add_perm("organisations.view_members", is_org_member | is_site_admin)
rules.add_perm("organisations.manage_members", is_org_admin | is_site_admin)
rules.add_perm("organisations.manage_api_tokens", is_org_admin | is_site_admin)
rules.add_perm("places.coordinate_municipality", is_municipality_coordinator | is_site_admin)
rules.add_perm("places.advise_county", is_county_adviser | is_site_admin)
rules.add_perm("core.national_editor", is_national_editor | is_site_admin)
rules.add_perm("calls.add_call", can_create_calls | is_site_admin)
rules.add_perm("calls.change_call", is_call_editor | is_site_admin)
rules.add_perm("calls.review_submissions", is_call_editor | is_site_admin)
rules.add_perm("calls.submit_to_call", may_submit_to)
rules.add_perm("calls.view_submission", is_submitter | edits_submissions_call | is_site_admin)
rules.add_perm("calls.change_submission", is_submitter & submission_is_editable)
rules.add_perm("calls.review_submission", edits_submissions_call | is_site_admin)
rules.add_perm("practices.add_practice", is_catalogue_editor | is_site_admin)
rules.add_perm("practices.publish_practice", is_catalogue_editor | is_site_admin)
rules.add_perm("practices.propose_practice", can_propose_practices | is_catalogue_editor | is_site_admin)
rules.add_perm("practices.change_practice", is_catalogue_editor | is_practice_proposer | is_site_admin)
# partnerships perms
# end partnerships perms
# measures perms
# end measures perms
# volunteering perms
# end volunteering perms
# followup perms
# end followup perms


# --- The gate ----------------------------------------------------------------


def get_object_for_user(
    request: HttpRequest, queryset: models.QuerySet[M], *, perm: str | None = None, **lookup: Any
) -> M:
    """Fetch one object named in a URL, or refuse.

    ``queryset`` should already be narrowed to what the user may see (``visible_to``):
    anything outside it is a 404, so its existence is not revealed. ``perm`` is then
    checked on the object; a visible object without the right is a 403.
    """
    try:
        obj = queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if perm:
        require_perm(request, perm, obj)
    return obj


def require_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Refuse unless the user has ``perm`` (on ``obj``): MfaRequired if two-step login would give it."""
    if request.user.has_perm(perm, obj):
        return
    if grants_waiting_for_mfa(request.user) and _would_have_perm_with_mfa(request.user, perm, obj):
        raise MfaRequired
    raise NoAccess


def _would_have_perm_with_mfa(user: Any, perm: str, obj: Any) -> bool:
    user._samspill_has_mfa = True
    try:
        return bool(user.has_perm(perm, obj))
    finally:
        user._samspill_has_mfa = False

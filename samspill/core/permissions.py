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


def partnership_org_ids(partnership: Any) -> set[int]:
    """The lead and the active member organisations of a partnership (cached on the object)."""
    cached = getattr(partnership, "_samspill_member_org_ids", None)
    if cached is None:
        cached = set(partnership.members.filter(status="active").values_list("organisation_id", flat=True))
        cached.add(partnership.lead_id)
        partnership._samspill_member_org_ids = cached
    return cached


def _partnership_of(obj: Any) -> Any:
    """A partnership, or the partnership an agreement, meeting, member row or action item belongs to."""
    return getattr(obj, "partnership", obj)


@rules.predicate
def can_create_partnerships(user: Any) -> bool:
    """Coordinators and admins of a municipality's or a county's own organisation."""
    return any(g.role in ELEVATED_ROLES and (g.municipality_id or g.county_id) for g in effective_grants(user))


@rules.predicate
def is_partnership_lead(user: Any, obj: Any) -> bool:
    """Coordinator or admin in the lead organisation."""
    partnership = _partnership_of(obj)
    return partnership is not None and is_org_coordinator(user, partnership.lead)


@rules.predicate
def is_partnership_member(user: Any, obj: Any) -> bool:
    """Anyone with a role in the lead or an active member organisation."""
    partnership = _partnership_of(obj)
    if partnership is None:
        return False
    ids = partnership_org_ids(partnership)
    return any(g.organisation_id in ids for g in effective_grants(user))


@rules.predicate
def can_request_to_join(user: Any, partnership: Any) -> bool:
    """An admin or coordinator of an organisation that is not yet in the partnership or asked already."""
    from samspill.partnerships.models import PartnershipMember

    mine = {g.organisation_id for g in effective_grants(user) if g.role in ELEVATED_ROLES}
    if not mine or partnership is None:
        return False
    busy = set(
        PartnershipMember.objects.filter(
            partnership=partnership, status__in=("active", "invited", "requested")
        ).values_list("organisation_id", flat=True)
    )
    return bool(mine - busy - {partnership.lead_id})


@rules.predicate
def answers_invitation(user: Any, member: Any) -> bool:
    """An admin of the invited organisation, while the invitation is open."""
    return member.status == "invited" and is_org_admin(user, member.organisation)


@rules.predicate
def edits_member_contact(user: Any, member: Any) -> bool:
    return member.status == "active" and is_org_admin(user, member.organisation)


@rules.predicate
def agreement_is_draft(user: Any, agreement: Any) -> bool:
    return agreement.status == "draft"


@rules.predicate
def agreement_is_signed(user: Any, agreement: Any) -> bool:
    return agreement.status == "signed"


def agreement_parties_to_sign(user: Any, agreement: Any) -> list[int]:
    """The party organisations this user may still sign for: they must be its admin."""
    if agreement.status != "proposed":
        return []
    signed = {s.organisation_id for s in agreement.signatures.all()}
    return [org.pk for org in agreement.parties.all() if org.pk not in signed and is_org_admin(user, org)]


@rules.predicate
def may_sign_agreement(user: Any, agreement: Any) -> bool:
    return bool(agreement_parties_to_sign(user, agreement))


@rules.predicate
def owns_action_item(user: Any, item: Any) -> bool:
    if getattr(user, "is_authenticated", False) and item.owner_person_id == user.pk:
        return True
    return bool(item.owner_organisation_id) and is_org_member(user, item.owner_organisation)


# --- end partnerships ---


# --- Measures and indicators (owned by the measures work; edit only inside this section) --


def _measure_partner_ids(measure: Any) -> set[int]:
    cached = getattr(measure, "_samspill_partner_ids", None)
    if cached is None:
        cached = {p.organisation_id for p in measure.partners.all()}
        measure._samspill_partner_ids = cached
    return cached


@rules.predicate
def is_measure_involved(user: Any, measure: Any) -> bool:
    """A member (any role) of the owner or of a partner organisation."""
    if measure is None:
        return False
    ids = {measure.owner_id} | _measure_partner_ids(measure)
    return any(g.organisation_id in ids for g in effective_grants(user))


@rules.predicate
def is_measure_visible(user: Any, measure: Any) -> bool:
    return measure is not None and (measure.is_public or bool(is_measure_involved(user, measure)))


@rules.predicate
def coordinates_measure_owner(user: Any, measure: Any) -> bool:
    """Coordinator or admin of the organisation that owns the measure."""
    return measure is not None and is_org_coordinator(user, measure.owner)


@rules.predicate
def may_start_measures(user: Any) -> bool:
    """Coordinators and admins of any organisation start measures (and adopt practices) in it."""
    return any(g.role in ELEVATED_ROLES for g in effective_grants(user))


@rules.predicate
def reports_for_indicator(user: Any, indicator: Any) -> bool:
    """Members of the organisation responsible for reporting the indicator enter its values."""
    return indicator is not None and any(g.organisation_id == indicator.responsible_id for g in effective_grants(user))


@rules.predicate
def measure_is_publishable(user: Any, measure: Any) -> bool:
    return measure is not None and measure.status == "completed" and measure.published_as_id is None


# --- end measures ---


# --- Volunteering: opportunities, shifts, sign-ups (edit only inside this section) --------


def coordinated_organisation_ids(user: Any) -> list[int]:
    """Organisations in which the user is coordinator or admin (with TOTP where needed)."""
    return [g.organisation_id for g in effective_grants(user) if g.role in ELEVATED_ROLES]


def _volunteering_organisation_id(obj: Any) -> int | None:
    """The organisation behind an opportunity, shift, series or sign-up."""
    if obj is None:
        return None
    if hasattr(obj, "organisation_id"):
        return obj.organisation_id
    return obj.opportunity.organisation_id


@rules.predicate
def coordinates_volunteering(user: Any, obj: Any) -> bool:
    """Coordinator or admin of the organisation behind an opportunity, shift, series or sign-up."""
    org_id = _volunteering_organisation_id(obj)
    return org_id is not None and org_id in coordinated_organisation_ids(user)


@rules.predicate
def can_post_opportunities(user: Any) -> bool:
    return bool(coordinated_organisation_ids(user))


@rules.predicate
def owns_signup(user: Any, signup: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and signup.user_id == user.pk


@rules.predicate
def opportunity_takes_signups(user: Any, opportunity: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and opportunity.status == "published"


# --- end volunteering ---


# --- Follow-up: onboarding records, hours, follow-ups, certificates (edit only inside) ----


def _coordinates_org_id(user: Any, organisation_id: int | None) -> bool:
    return any(g.organisation_id == organisation_id and g.role in ELEVATED_ROLES for g in effective_grants(user))


def followup_coordinated_org_ids(user: Any) -> list[int]:
    """Organisations whose volunteers this user follows up (coordinator or admin)."""
    return [g.organisation_id for g in effective_grants(user) if g.role in ELEVATED_ROLES]


@rules.predicate
def coordinates_records_org(user: Any, record: Any) -> bool:
    """Coordinator or admin of the organisation a follow-up record (hours, follow-up …) belongs to."""
    return _coordinates_org_id(user, getattr(record, "organisation_id", None))


@rules.predicate
def owns_record(user: Any, record: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(record, "user_id", None) == user.pk


@rules.predicate
def hours_are_pending(user: Any, entry: Any) -> bool:
    return entry.status == "pending"


@rules.predicate
def checkin_is_open(user: Any, followup: Any) -> bool:
    return followup.done_at is None


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
rules.add_perm("partnerships.add_partnership", can_create_partnerships | is_site_admin)
rules.add_perm("partnerships.change_partnership", is_partnership_lead | is_site_admin)
rules.add_perm("partnerships.view_internals", is_partnership_member | is_site_admin)
rules.add_perm("partnerships.manage_members", is_partnership_lead | is_site_admin)
rules.add_perm("partnerships.request_to_join", can_request_to_join)
rules.add_perm("partnerships.answer_invitation", answers_invitation)
rules.add_perm("partnerships.change_member", is_partnership_lead | edits_member_contact | is_site_admin)
rules.add_perm("partnerships.propose_guidelines", is_partnership_lead | is_site_admin)
rules.add_perm("partnerships.comment_guidelines", is_partnership_member)
rules.add_perm("partnerships.adopt_guidelines", is_partnership_lead | is_site_admin)
rules.add_perm("partnerships.add_agreement", is_partnership_lead | is_site_admin)
rules.add_perm("partnerships.change_agreement", (is_partnership_lead | is_site_admin) & agreement_is_draft)
rules.add_perm("partnerships.replace_agreement", (is_partnership_lead | is_site_admin) & agreement_is_signed)
rules.add_perm("partnerships.sign_agreement", may_sign_agreement)
rules.add_perm("partnerships.manage_meetings", is_partnership_lead | is_site_admin)
rules.add_perm("partnerships.change_action_item", is_partnership_lead | owns_action_item | is_site_admin)
# end partnerships perms
# measures perms
rules.add_perm("measures.view_measure", is_measure_visible | is_site_admin)
rules.add_perm("measures.add_measure", may_start_measures | is_site_admin)
rules.add_perm("measures.change_measure", coordinates_measure_owner | is_site_admin)
rules.add_perm("measures.adopt_practice", may_start_measures)
rules.add_perm("measures.add_measurement", reports_for_indicator | is_site_admin)
rules.add_perm("measures.publish_as_practice", coordinates_measure_owner & measure_is_publishable)
# end measures perms
# volunteering perms
rules.add_perm("volunteering.add_opportunity", can_post_opportunities | is_site_admin)
rules.add_perm("volunteering.change_opportunity", coordinates_volunteering | is_site_admin)
rules.add_perm("volunteering.manage_signups", coordinates_volunteering | is_site_admin)
rules.add_perm("volunteering.sign_up", opportunity_takes_signups)
rules.add_perm("volunteering.cancel_signup", owns_signup | coordinates_volunteering | is_site_admin)
# end volunteering perms
# followup perms
rules.add_perm("followup.coordinate", is_org_coordinator | is_site_admin)
rules.add_perm("followup.view_response_times", is_org_admin | is_site_admin)
rules.add_perm("followup.decide_hours", coordinates_records_org | is_site_admin)
rules.add_perm("followup.change_hours", owns_record & hours_are_pending)
rules.add_perm("followup.answer_checkin", owns_record & checkin_is_open)
rules.add_perm("followup.handle_followup", coordinates_records_org | is_site_admin)
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

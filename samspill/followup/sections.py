"""What followup adds to other pages: Min side, and the coordinator's shift and opportunity pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils import timezone

from samspill.core.sections import Section
from samspill.followup import services
from samspill.followup.models import (
    ConfidentialityDeclaration,
    ConfidentialitySignature,
    FollowUp,
    HoursEntry,
    PoliceCertificate,
    TrainingCompletion,
)


def my_page(request: HttpRequest) -> list[Section]:
    user = request.user
    if not user.is_authenticated:
        return []
    from samspill.organisations.models import Organisation

    totals = HoursEntry.objects.filter(user=user).aggregate(
        logged=Sum("hours"), approved=Sum("hours", filter=Q(status="approved"))
    )
    certificates = Organisation.objects.filter(hours_entries__user=user, hours_entries__status="approved").distinct()
    checkins = list(
        FollowUp.objects.filter(user=user, done_at__isnull=True, checkin__isnull=True, due_on__lte=timezone.localdate())
        .select_related("organisation")
        .order_by("due_on")
    )
    return [
        Section(
            "followup/sections/my_page.html",
            {
                "totals": totals,
                "certificates": list(certificates),
                "checkins": checkins,
                "onboarding": onboarding_status(user),
            },
        )
    ]


def onboarding_status(user: Any) -> list[dict[str, Any]]:
    """Per organisation the person volunteers for: police certificate, confidentiality, training."""
    from samspill.organisations.models import Organisation
    from samspill.volunteering.models import SignUp

    org_ids = set(
        SignUp.objects.filter(user=user)
        .exclude(status__in=("cancelled", "declined"))
        .values_list("opportunity__organisation_id", flat=True)
    )
    police = {p.organisation_id: p for p in PoliceCertificate.objects.filter(user=user)}
    completions = list(TrainingCompletion.objects.filter(user=user).select_related("item"))
    org_ids |= set(police) | {c.item.organisation_id for c in completions}
    if not org_ids:
        return []
    latest: dict[int, Any] = {}
    for version in ConfidentialityDeclaration.objects.filter(organisation_id__in=org_ids).order_by("version"):
        latest[version.organisation_id] = version
    signed = set(
        ConfidentialitySignature.objects.filter(user=user, declaration__in=latest.values()).values_list(
            "declaration_id", flat=True
        )
    )
    rows = []
    for organisation in Organisation.objects.filter(pk__in=org_ids).order_by("name_sort"):
        declaration = latest.get(organisation.pk)
        rows.append(
            {
                "organisation": organisation,
                "police": police.get(organisation.pk),
                "declaration": declaration,
                "signed": declaration is not None and declaration.pk in signed,
                "training": [c for c in completions if c.item.organisation_id == organisation.pk],
            }
        )
    return rows


def for_object(request: HttpRequest, obj: Any) -> list[Section]:
    """On a shift or opportunity page: who of the signed-up lacks a record the opportunity requires.

    On an organisation's page: the way to its follow-up desk, for its coordinators.
    """
    if obj._meta.label == "organisations.Organisation":
        if not request.user.has_perm("followup.coordinate", obj):
            return []
        pending = HoursEntry.objects.filter(organisation=obj, status="pending").count()
        return [Section("followup/sections/organisation.html", {"organisation": obj, "pending_hours": pending})]
    if obj._meta.label not in ("volunteering.Shift", "volunteering.Opportunity"):
        return []
    from samspill.volunteering.models import SignUp

    signups: Any
    if obj._meta.label == "volunteering.Shift":
        opportunity = obj.opportunity
        signups = SignUp.objects.filter(shift=obj)
    else:
        opportunity = obj
        signups = SignUp.objects.filter(Q(shift__isnull=True) | Q(shift__ends_at__gt=timezone.now()), opportunity=obj)
    if not request.user.has_perm("followup.coordinate", opportunity.organisation):
        return []
    people = list(
        signups.filter(status__in=("confirmed", "waitlisted", "pending")).select_related("user").order_by("pk")
    )
    lacks = services.missing_records(opportunity, people)
    if not lacks and not (opportunity.requires_police_certificate or opportunity.requires_confidentiality):
        return []
    return [
        Section(
            "followup/sections/lacks.html",
            {"lacks": lacks, "opportunity": opportunity, "organisation": opportunity.organisation},
        )
    ]

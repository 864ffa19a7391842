"""What partnerships add to other pages: invitations and requests on "Min side", and an
organisation's partnerships on its page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from samspill.core.permissions import ELEVATED_ROLES, effective_grants
from samspill.core.sections import Section
from samspill.partnerships.models import Partnership, PartnershipMember


def my_page(request: HttpRequest) -> list[Section]:
    grants = effective_grants(request.user)
    admin_of = [g.organisation_id for g in grants if g.role == "admin"]
    leads = [g.organisation_id for g in grants if g.role in ELEVATED_ROLES]
    invitations = list(
        PartnershipMember.objects.filter(status="invited", organisation_id__in=admin_of).select_related(
            "partnership", "organisation"
        )
    )
    requests = list(
        PartnershipMember.objects.filter(status="requested", partnership__lead_id__in=leads).select_related(
            "partnership", "organisation"
        )
    )
    mine = list(Partnership.objects.member_of(request.user).order_by("name")[:20])
    if not (invitations or requests or mine):
        return []
    return [
        Section(
            "partnerships/sections/my_page.html",
            {"invitations": invitations, "requests": requests, "partnerships": mine},
        )
    ]


def for_object(request: HttpRequest, obj: Any) -> list[Section]:
    from samspill.organisations.models import Organisation

    if not isinstance(obj, Organisation):
        return []
    partnerships = list(
        Partnership.objects.visible_to(request.user)
        .filter(members__organisation=obj, members__status="active")
        .distinct()
        .order_by("name")[:50]
    )
    if not partnerships:
        return []
    return [Section("partnerships/sections/organisation.html", {"partnerships": partnerships, "organisation": obj})]

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models

# A member organisation's people see the partnership; so do the people of an organisation
# with an open invitation or request (they must read it to answer).
SEEING_STATUSES = ("active", "invited", "requested")


def _org_ids(user: Any) -> list[int]:
    from samspill.core.permissions import effective_grants

    return [g.organisation_id for g in effective_grants(user)]


class PartnershipQuerySet(models.QuerySet):
    def public(self) -> PartnershipQuerySet:
        return self.filter(is_public=True)

    def visible_to(self, user: Any) -> PartnershipQuerySet:
        """Public partnerships for everyone; members' people also see their own; site admins see all."""
        if getattr(user, "is_superuser", False):
            return self.all()
        org_ids = _org_ids(user)
        if not org_ids:
            return self.public()
        from samspill.partnerships.models import PartnershipMember

        mine = PartnershipMember.objects.filter(organisation_id__in=org_ids, status__in=SEEING_STATUSES).values(
            "partnership_id"
        )
        return self.filter(models.Q(is_public=True) | models.Q(lead_id__in=org_ids) | models.Q(pk__in=mine))

    def member_of(self, user: Any) -> PartnershipQuerySet:
        """Partnerships in which one of the user's organisations is an active member or the lead."""
        org_ids = _org_ids(user)
        if not org_ids:
            return self.none()
        from samspill.partnerships.models import PartnershipMember

        mine = PartnershipMember.objects.filter(organisation_id__in=org_ids, status="active").values("partnership_id")
        return self.filter(models.Q(lead_id__in=org_ids) | models.Q(pk__in=mine))


class PartnershipMemberQuerySet(models.QuerySet):
    def active(self) -> PartnershipMemberQuerySet:
        return self.filter(status="active")


class AgreementQuerySet(models.QuerySet):
    def in_force(self) -> AgreementQuerySet:
        return self.filter(status="signed")

    def expiring(self, today: date, days: int = 60) -> AgreementQuerySet:
        """Signed agreements whose period ends within ``days`` days from ``today`` (inclusive)."""
        return self.filter(status="signed", ends_on__gte=today, ends_on__lte=today + timedelta(days=days))


class ActionItemQuerySet(models.QuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=("open", "in_progress"))

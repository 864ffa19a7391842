from __future__ import annotations

from typing import Any

from django.db import models


class MeasureQuerySet(models.QuerySet):
    def public(self) -> MeasureQuerySet:
        return self.filter(is_public=True)

    def involving(self, organisation_ids: list[int]) -> MeasureQuerySet:
        """Measures an organisation owns or is a partner in."""
        return self.filter(
            models.Q(owner_id__in=organisation_ids) | models.Q(partners__organisation_id__in=organisation_ids)
        ).distinct()

    def visible_to(self, user: Any) -> MeasureQuerySet:
        """Public measures for everyone; the others for members of the organisations involved (and site admins)."""
        from samspill.core.permissions import effective_grants

        if getattr(user, "is_superuser", False):
            return self.all()
        org_ids = [g.organisation_id for g in effective_grants(user)]
        if not org_ids:
            return self.public()
        from samspill.measures.models import MeasurePartner

        partnered = MeasurePartner.objects.filter(organisation_id__in=org_ids).values("measure_id")
        return self.filter(models.Q(is_public=True) | models.Q(owner_id__in=org_ids) | models.Q(pk__in=partnered))

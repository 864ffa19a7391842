from __future__ import annotations

from django.db import models

from samspill.core.text import fold


class OrganisationQuerySet(models.QuerySet):
    def search(self, query: str):
        """Name contains every word of ``query`` (case-insensitive, æøå included)."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(name_folded__contains=word)
        return qs

    def in_municipality(self, municipality):
        """Based in or serving ``municipality`` (a subquery, so no DISTINCT over the M2M)."""
        served = self.model.municipalities_served.through.objects.filter(municipality=municipality)
        return self.filter(models.Q(home_municipality=municipality) | models.Q(pk__in=served.values("organisation_id")))

    def in_county(self, county):
        served = self.model.municipalities_served.through.objects.filter(municipality__county=county)
        return self.filter(
            models.Q(home_municipality__county=county)
            | models.Q(governs_county=county)
            | models.Q(pk__in=served.values("organisation_id"))
        )

    def for_listing(self):
        return self.select_related("kind", "category", "home_municipality__county")


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

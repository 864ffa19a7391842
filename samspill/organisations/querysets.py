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
        """Based in or serving ``municipality``.

        A UNION of two indexed lookups: an OR across the join would make the database scan
        every organisation (measured in bench/ at national scale).
        """
        served = self.model.municipalities_served.through.objects.filter(municipality=municipality)
        ids = (
            self.model.objects.filter(home_municipality=municipality)
            .order_by()
            .values("pk")
            .union(served.values("organisation_id"))
        )
        return self.filter(pk__in=ids)

    def in_county(self, county):
        """Based in, serving or governing ``county`` (a UNION of indexed lookups, as above)."""
        served = self.model.municipalities_served.through.objects.filter(municipality__county=county)
        ids = (
            self.model.objects.filter(home_municipality__county=county)
            .order_by()
            .values("pk")
            .union(
                served.values("organisation_id"),
                self.model.objects.filter(governs_county=county).order_by().values("pk"),
            )
        )
        return self.filter(pk__in=ids)

    def for_listing(self):
        return self.select_related("kind", "category", "home_municipality__county")


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

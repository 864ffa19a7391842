"""The public search of opportunities, shared by /frivillig/ and GET /api/v1/opportunities.

Sorting by distance uses the centre of each opportunity's municipality (reference data) and
the centre of the municipality of the chosen postal code; the distance is computed in Python
(haversine) over the matching ids, which stays cheap at the size of the catalogue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone

from samspill.volunteering.models import Opportunity

EARTH_RADIUS_KM = 6371.0


@dataclass
class Filters:
    municipality: Any = None
    county: Any = None
    form: str = ""
    focus_area: Any = None
    target_group: Any = None
    for_me: bool = False
    sort: str = "start"
    postal_code: Any = None  # places.PostalCode; falls back to the person's own


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def profile_of(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False):
        return None
    from samspill.accounts.models import Profile

    return Profile.objects.select_related("postal_code__municipality").filter(user=user).first()


def with_next_shift(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    now = timezone.now()
    return queryset.annotate(
        next_shift_at=Min("shifts__starts_at", filter=Q(shifts__starts_at__gt=now, shifts__cancelled=False))
    )


def search(filters: Filters, user: Any) -> tuple[QuerySet[Opportunity] | list[int], Any]:
    """Published opportunities matching ``filters``, in the chosen order.

    Returns either an ordered queryset, or (sorting by distance) an ordered list of ids,
    and the postal code the distance is measured from (None when not sorting by distance).
    """
    queryset = Opportunity.objects.published()
    if filters.municipality is not None:
        queryset = queryset.filter(municipality=filters.municipality)
    if filters.county is not None:
        queryset = queryset.filter(municipality__county=filters.county)
    if filters.form:
        queryset = queryset.filter(form=filters.form)
    if filters.focus_area is not None:
        queryset = queryset.filter(
            pk__in=Opportunity.focus_areas.through.objects.filter(focusarea=filters.focus_area).values("opportunity_id")
        )
    if filters.target_group is not None:
        queryset = queryset.filter(
            pk__in=Opportunity.target_groups.through.objects.filter(targetgroup=filters.target_group).values(
                "opportunity_id"
            )
        )
    profile = profile_of(user) if (filters.for_me or filters.sort == "avstand") else None
    if filters.for_me and profile is not None:
        interests = list(profile.interests.values_list("pk", flat=True))
        if interests:
            queryset = queryset.filter(
                pk__in=Opportunity.focus_areas.through.objects.filter(focusarea_id__in=interests).values(
                    "opportunity_id"
                )
            )
        home = profile.postal_code.municipality_id if profile.postal_code_id else None
        if home:
            queryset = queryset.filter(
                Q(municipality_id=home) | Q(form=Opportunity.Form.REMOTE) | Q(municipality__isnull=True)
            )
    queryset = with_next_shift(queryset)
    if filters.sort != "avstand":
        return queryset.order_by(F("next_shift_at").asc(nulls_last=True), "-created_at", "pk"), None
    origin = filters.postal_code or (profile.postal_code if profile is not None else None)
    centre = origin.municipality if origin is not None and origin.municipality_id else None
    if centre is None or centre.centre_lat is None:
        return queryset.order_by(F("next_shift_at").asc(nulls_last=True), "-created_at", "pk"), None
    lat, lon = float(centre.centre_lat), float(centre.centre_lon or 0)
    rows = queryset.values_list(  # type: ignore[misc]
        "pk", "municipality__centre_lat", "municipality__centre_lon", "next_shift_at"
    )
    far = float("inf")
    latest = timezone.now().replace(year=9999)

    def key(row: tuple) -> tuple:
        pk, rlat, rlon, next_at = row
        distance = far if rlat is None else haversine_km(lat, lon, float(rlat), float(rlon))
        return (round(distance, 1), next_at or latest, pk)

    return [row[0] for row in sorted(rows, key=key)], origin


def distances_from(origin: Any, opportunities: list[Opportunity]) -> dict[int, float]:
    centre = origin.municipality if origin is not None else None
    if centre is None or centre.centre_lat is None:
        return {}
    out = {}
    for opportunity in opportunities:
        m = opportunity.municipality
        if m is not None and m.centre_lat is not None:
            out[opportunity.pk] = haversine_km(
                float(centre.centre_lat),
                float(centre.centre_lon or 0),
                float(m.centre_lat),
                float(m.centre_lon or 0),
            )
    return out


def page_objects(result: QuerySet[Opportunity] | list[int], page_items: list[Any]) -> list[Opportunity]:
    """The opportunities of one page, loaded with what the list shows."""
    if isinstance(result, list):
        ids = list(page_items)
        loaded = {
            o.pk: o
            for o in with_next_shift(Opportunity.objects.filter(pk__in=ids))
            .select_related("organisation", "municipality__county")
            .prefetch_related("focus_areas")
        }
        return [loaded[pk] for pk in ids if pk in loaded]
    return list(page_items)


def listing(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.select_related("organisation", "municipality__county").prefetch_related("focus_areas")

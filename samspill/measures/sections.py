"""What measures add to other pages: a partnership's and a municipality's measures with their
indicators' status, and on a practice the "adopt" button and where it has been adopted.

Each section shows only measures the user may see (``Measure.objects.visible_to``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from samspill.core.sections import Section

SHOWN = 50  # measures per section; the list page has the rest


def _measures(request: HttpRequest, **lookup: Any) -> list[Any]:
    from samspill.measures.models import Measure
    from samspill.measures.views import indicators_with_values, with_progress

    queryset = (
        Measure.objects.visible_to(request.user)
        .filter(**lookup)
        .select_related("owner")
        .prefetch_related("target_groups", indicators_with_values())
        .order_by("-updated_at", "-pk")
        .distinct()[:SHOWN]
    )
    return with_progress(queryset)


def for_object(request: HttpRequest, obj: Any) -> list[Section]:
    label = obj._meta.label
    if label == "partnerships.Partnership":
        measures = _measures(request, partnership=obj)
        return [Section("measures/sections/partnership.html", {"measures": measures, "partnership": obj})]
    if label == "places.Municipality":
        measures = _measures(request, municipalities=obj)
        return [Section("measures/sections/municipality.html", {"measures": measures, "municipality": obj})]
    if label == "practices.Practice":
        from samspill.measures.views import elevated_organisations

        adoptions = _measures(request, adopted_practice=obj)
        can_adopt = obj.status == "published" and request.user.has_perm("measures.adopt_practice")
        owners = list(elevated_organisations(request.user)) if can_adopt else []
        return [
            Section(
                "measures/sections/practice.html",
                {"practice": obj, "measures": adoptions, "can_adopt": can_adopt, "owners": owners},
            )
        ]
    return []

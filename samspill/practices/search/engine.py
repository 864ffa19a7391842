"""Provisional engine: filters and facet counts with the ORM, words matched with icontains.

To be replaced by the PostgreSQL (FTS + pg_trgm) and SQLite (FTS5 + Snowball + trigram)
backends behind the same functions.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.html import escape

from samspill.practices.search.base import Facet, Filters, SearchPage

FACET_FIELDS = {
    # facet name → (Filters attribute, lookup on Practice, value field, label fields)
    "theme": ("themes", "themes__slug", "themes__slug", ("themes__name", "themes__name_en")),
    "focus_area": (
        "focus_areas",
        "focus_areas__slug",
        "focus_areas__slug",
        ("focus_areas__name", "focus_areas__name_en"),
    ),
    "target_group": (
        "target_groups",
        "target_groups__slug",
        "target_groups__slug",
        ("target_groups__name", "target_groups__name_en"),
    ),
    "county": (
        "counties",
        "municipalities__county__number",
        "municipalities__county__number",
        ("municipalities__county__name", "municipalities__county__name"),
    ),
    "municipality": (
        "municipalities",
        "municipalities__number",
        "municipalities__number",
        ("municipalities__name", "municipalities__name"),
    ),
    "organisation_kind": (
        "organisation_kinds",
        "organisations__kind__slug",
        "organisations__kind__slug",
        ("organisations__kind__name", "organisations__kind__name_en"),
    ),
    "evidence": ("evidence", "evidence_level", "evidence_level", ("evidence_level", "evidence_level")),
}


def _base():
    from samspill.practices.models import Practice

    return Practice.objects.published()


def _text_q(query: str) -> Q:
    q = Q()
    for word in query.split():
        q &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(what__icontains=word) | Q(how__icontains=word)
    return q


def _apply(qs: QuerySet, query: str, filters: Filters, skip: str | None = None) -> QuerySet:
    if query.strip():
        qs = qs.filter(_text_q(query))
    for name, (attr, lookup, _, _) in FACET_FIELDS.items():
        values = getattr(filters, attr)
        if values and name != skip:
            qs = qs.filter(pk__in=_base().filter(**{f"{lookup}__in": values}).values("pk"))
    return qs


def search(*, query: str, filters: Filters, sort: str = "relevance", page: int = 1, per_page: int = 20) -> SearchPage:
    from samspill.practices.models import Practice

    matching = _apply(_base(), query, filters)
    total = matching.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    order = {"adopted": ["-adoption_count", "-published_at"]}.get(sort, ["-published_at"])
    ids = list(matching.order_by(*order).values_list("pk", flat=True)[(page - 1) * per_page : page * per_page])
    by_id = Practice.objects.in_bulk(ids)
    results = [by_id[i] for i in ids]
    facets: dict[str, list[Facet]] = {}
    evidence_labels = dict(Practice.Evidence.choices)
    for name, (attr, _lookup, value_field, label_fields) in FACET_FIELDS.items():
        rows = (
            _apply(_base(), query, filters, skip=name)
            .exclude(**{f"{value_field}__isnull": True})
            .values(value_field, *label_fields)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", value_field)
        )
        selected = set(getattr(filters, attr))
        facets[name] = [
            Facet(
                value=row[value_field],
                label=str(evidence_labels.get(row[value_field], row[value_field]))
                if name == "evidence"
                else row[label_fields[0]],
                count=row["n"],
                selected=row[value_field] in selected,
            )
            for row in rows
        ]
    snippets: dict[int, str] = {p.pk: str(escape(p.summary[:240])) for p in results}
    return SearchPage(results=results, total=total, page=page, pages=pages, facets=facets, snippets=snippets)


def index_practice(practice: Any) -> None:
    """Nothing to keep current in the provisional engine."""


def remove_from_index(practice_id: int) -> None:
    """Nothing to remove in the provisional engine."""


def rebuild_index() -> None:
    """Nothing to rebuild in the provisional engine."""

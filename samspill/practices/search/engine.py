"""The search engine: text matching by the database's backend, filters and facets by the ORM.

``postgres.py`` (full-text search with the ``norwegian`` configuration + pg_trgm) and
``sqlite.py`` (FTS5 over Snowball stems + an FTS5 trigram index) each turn a query into SQL
conditions on ``practices_practice.id`` and a relevance score; everything else (published
only, facet filters, facet counts, sorting, paging, snippets) is shared here, so both
backends behave the same. See docs/decisions/0005-norwegian-search.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.translation import get_language

from samspill.core.text import sort_key
from samspill.practices.search import text
from samspill.practices.search.base import SORTS, Facet, Filters, SearchPage

FACET_FIELDS = {
    # facet name → (Filters attribute, value lookup on Practice, Norwegian label, English label)
    "theme": ("themes", "themes__slug", "themes__name", "themes__name_en"),
    "focus_area": ("focus_areas", "focus_areas__slug", "focus_areas__name", "focus_areas__name_en"),
    "target_group": ("target_groups", "target_groups__slug", "target_groups__name", "target_groups__name_en"),
    "county": (
        "counties",
        "municipalities__county__number",
        "municipalities__county__name",
        "municipalities__county__name",
    ),
    "municipality": ("municipalities", "municipalities__number", "municipalities__name", "municipalities__name"),
    "organisation_kind": (
        "organisation_kinds",
        "organisations__kind__slug",
        "organisations__kind__name",
        "organisations__kind__name_en",
    ),
    "evidence": ("evidence", "evidence_level", "evidence_level", "evidence_level"),
}
SNIPPET_LENGTH = 200


def backend():
    if connection.vendor == "postgresql":
        from samspill.practices.search import postgres

        return postgres
    from samspill.practices.search import sqlite

    return sqlite


def _published() -> QuerySet:
    from samspill.practices.models import Practice

    return Practice.objects.published()


def _text_filter(term_conditions: list[tuple[str, list]], any_term: bool = False) -> Q:
    # The backends build the SQL from constants; the query's words are parameters.
    conditions = [Q(pk__in=RawSQL(sql, params)) for sql, params in term_conditions]  # noqa: S611
    combined = Q()
    for condition in conditions:
        combined = (combined | condition) if any_term else (combined & condition)
    return combined


def _facet_filters(qs: QuerySet, filters: Filters, skip: str | None = None) -> QuerySet:
    for name, (attr, lookup, _, _) in FACET_FIELDS.items():
        values = getattr(filters, attr)
        if values and name != skip:
            qs = qs.filter(pk__in=_published().filter(**{f"{lookup}__in": values}).values("pk"))
    return qs


def search(*, query: str, filters: Filters, sort: str = "relevance", page: int = 1, per_page: int = 20) -> SearchPage:
    from samspill.practices.models import Practice

    terms = text.query_terms(query or "")
    term_conditions = backend().term_conditions(terms) if terms else []
    text_q = _text_filter(term_conditions) if terms else Q()
    matching = _facet_filters(_published().filter(text_q), filters)
    total = matching.count()
    if not total and len(terms) > 1:
        # No practice has every word: rank the practices that have some of them instead.
        text_q = _text_filter(term_conditions, any_term=True)
        matching = _facet_filters(_published().filter(text_q), filters)
        total = matching.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    if sort not in SORTS or (sort == "relevance" and not terms):
        sort = "newest"
    if sort == "relevance" and hasattr(backend(), "ranked_ids"):
        ordered = None
        ids = backend().ranked_ids(terms, matching)[(page - 1) * per_page : page * per_page]
    elif sort == "relevance":
        score_sql, score_params = backend().score(terms)
        ordered = matching.annotate(score=RawSQL(score_sql, score_params)).order_by(  # noqa: S611
            "-score", F("published_at").desc(nulls_last=True), "-pk"
        )
    elif sort == "adopted":
        ordered = matching.order_by("-adoption_count", F("published_at").desc(nulls_last=True), "-pk")
    else:
        ordered = matching.order_by(F("published_at").desc(nulls_last=True), "-pk")
    if ordered is not None:
        ids = list(ordered.values_list("pk", flat=True)[(page - 1) * per_page : page * per_page])
    by_id = Practice.objects.in_bulk(ids)
    results = [by_id[i] for i in ids]
    facets = {
        name: _facet(name, _facet_filters(_published().filter(text_q), filters, skip=name), filters)
        for name in FACET_FIELDS
    }
    snippets = {p.pk: snippet(p, terms) for p in results}
    return SearchPage(results=results, total=total, page=page, pages=pages, facets=facets, snippets=snippets)


def _english() -> bool:
    return (get_language() or "nb").startswith("en")


def _facet(name: str, qs: QuerySet, filters: Filters) -> list[Facet]:
    from samspill.practices.models import Practice

    attr, value_field, label_nb, label_en = FACET_FIELDS[name]
    label_fields = {label_nb, label_en}
    rows = (
        qs.exclude(**{f"{value_field}__isnull": True})
        .values(value_field, *label_fields)
        .annotate(n=Count("pk", distinct=True))
    )
    english = _english()
    evidence_labels = dict(Practice.Evidence.choices)
    selected = set(getattr(filters, attr))

    def label(row: dict[str, Any]) -> str:
        if name == "evidence":
            return str(evidence_labels.get(row[value_field], row[value_field]))
        return (english and row[label_en]) or row[label_nb]

    facets = [
        Facet(value=row[value_field], label=label(row), count=row["n"], selected=row[value_field] in selected)
        for row in rows
    ]
    missing = selected - {f.value for f in facets}
    facets += [Facet(value=v, label=lbl, count=0, selected=True) for v, lbl in _labels(name, missing)]
    facets.sort(key=lambda f: (-f.count, sort_key(f.label)))
    return facets


def _labels(name: str, values: Iterable[str]) -> list[tuple[str, str]]:
    """Labels of selected facet values that no practice has under the current search."""
    from samspill.places.models import County, Municipality
    from samspill.practices.models import Practice
    from samspill.taxonomy.models import FocusArea, OrganisationKind, TargetGroup, Term, Theme

    values = list(values)
    if not values:
        return []
    if name == "evidence":
        labels = dict(Practice.Evidence.choices)
        return [(v, str(labels[v])) for v in values if v in labels]
    if name in ("county", "municipality"):
        place_model: type[County] | type[Municipality] = County if name == "county" else Municipality
        return [(o.number, o.name) for o in place_model.objects.filter(number__in=values)]
    term_models: dict[str, type[Term]] = {
        "theme": Theme,
        "focus_area": FocusArea,
        "target_group": TargetGroup,
        "organisation_kind": OrganisationKind,
    }
    return [(o.slug, o.label) for o in term_models[name]._default_manager.filter(slug__in=values)]


def snippet(practice: Any, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """Escaped HTML of about ``length`` characters around the best match, matches in <mark>."""
    body = " ".join(
        part for part in (practice.summary, *(getattr(practice, f) for f in practice.TEXT_FIELDS[1:])) if part
    )
    body = re.sub(r"\s+", " ", body).strip()
    stems = [(t, text.stem(t)) for t in terms]
    matches = [
        (m.start(), m.end())
        for m in text.WORD_RE.finditer(body)
        if stems and any(text.word_matches(t, s, text.fold(m.group())) for t, s in stems)
    ]
    start = 0
    if matches:
        # The window (starting a little before a match) that holds the most matches.
        best = max(matches, key=lambda m: sum(1 for o in matches if m[0] - 40 <= o[0] < m[0] + length - 40))
        start = max(0, best[0] - 40)
        if start:
            space = body.find(" ", start)
            start = space + 1 if 0 <= space < best[0] else start
    end = min(len(body), start + length)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start else end
    out, pos = [], start
    for m_start, m_end in matches:
        if m_start < start or m_end > end:
            continue
        out.append(str(escape(body[pos:m_start])))
        out.append(f"<mark>{escape(body[m_start:m_end])}</mark>")
        pos = m_end
    out.append(str(escape(body[pos:end])))
    return ("… " if start else "") + "".join(out) + (" …" if end < len(body) else "")


def _search_texts(practice: Any) -> tuple[str, str, str]:
    body = " ".join(getattr(practice, f) for f in practice.TEXT_FIELDS[1:])
    return practice.title, practice.summary, body


def index_practice(practice: Any) -> None:
    """Bring the index up to date for one practice; call after every change to a practice."""
    if practice.status != "published":
        remove_from_index(practice.pk)
        return
    backend().index([(practice.pk, *_search_texts(practice))])


def remove_from_index(practice_id: int) -> None:
    backend().remove([practice_id])


def rebuild_index(batch_size: int = 1000) -> int:
    """Index every published practice from scratch; returns how many."""
    from samspill.practices.models import Practice

    backend().clear()
    count = 0
    qs = Practice.objects.published().only("pk", "title", *Practice.TEXT_FIELDS).order_by("pk")
    batch: list[tuple[int, str, str, str]] = []
    for practice in qs.iterator(chunk_size=batch_size):
        batch.append((practice.pk, *_search_texts(practice)))
        if len(batch) >= batch_size:
            backend().index(batch)
            count += len(batch)
            batch = []
    if batch:
        backend().index(batch)
        count += len(batch)
    return count

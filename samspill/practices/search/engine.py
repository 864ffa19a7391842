"""The search engine: the query's words, facets, paging and snippets here; matching,
counting and ordering by the database's backend.

A backend module offers ``term_conditions(terms)`` (a condition per query word),
``count(conditions, any_term, chosen)`` (the total and every facet's counts) and
``page_ids(terms, conditions, any_term, chosen, sort, limit, offset)``, plus ``index``,
``remove`` and ``clear``. ``postgres.py`` (full-text search with the ``norwegian``
configuration + pg_trgm) counts on its own narrow search rows; ``sqlite.py`` (FTS5 over
Snowball stems + an FTS5 trigram index) uses the shared SQL over the practices and
``facets.TABLE`` in ``facets.py``. The same tests run against both, so they behave the same.
See docs/decisions/0005-norwegian-search.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils.html import escape
from django.utils.translation import get_language

from samspill.core.text import sort_key
from samspill.practices.search import facets, text
from samspill.practices.search.base import SORTS, Facet, Filters, SearchPage

SNIPPET_LENGTH = 200


def backend():
    if connection.vendor == "postgresql":
        from samspill.practices.search import postgres

        return postgres
    from samspill.practices.search import sqlite

    return sqlite


def search(*, query: str, filters: Filters, sort: str = "relevance", page: int = 1, per_page: int = 20) -> SearchPage:
    """The total with every facet's counts in one statement, then the ids of the page (plus
    the word lookups before and the practices themselves after)."""
    from samspill.practices.models import Practice

    terms = text.query_terms(query or "")
    engine = backend()
    term_conditions = engine.term_conditions(terms) if terms else []
    chosen = facets.chosen_values(filters)
    any_term = False
    total, counts = engine.count(term_conditions, any_term, chosen)
    if not total and len(terms) > 1:
        # No practice has every word: rank the practices that have some of them instead.
        any_term = True
        total, counts = engine.count(term_conditions, any_term, chosen)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    if sort not in SORTS or (sort == "relevance" and not terms):
        sort = "newest"
    ids: list[int] = []
    if total:
        ids = engine.page_ids(terms, term_conditions, any_term, chosen, sort, per_page, (page - 1) * per_page)
    by_id = Practice.objects.in_bulk(ids)
    results = [by_id[i] for i in ids if i in by_id]
    facet_lists = {name: _facet(name, counts[name], filters) for name in facets.ALL}
    snippets = {p.pk: snippet(p, terms) for p in results}
    return SearchPage(results=results, total=total, page=page, pages=pages, facets=facet_lists, snippets=snippets)


def _english() -> bool:
    return (get_language() or "nb").startswith("en")


def _facet(name: str, rows: list[tuple[str, str, str, int]], filters: Filters) -> list[Facet]:
    from samspill.practices.models import Practice

    english = _english()
    evidence_labels = dict(Practice.Evidence.choices)
    selected = set(getattr(filters, facets.FILTERS[name]))

    def label(value: str, label_nb: str, label_en: str) -> str:
        if name == "evidence":
            return str(evidence_labels.get(value, value))
        return (english and label_en) or label_nb

    found = [
        Facet(value=value, label=label(value, nb, en), count=n, selected=value in selected) for value, nb, en, n in rows
    ]
    missing = selected - {f.value for f in found}
    found += [Facet(value=v, label=lbl, count=0, selected=True) for v, lbl in _labels(name, missing)]
    found.sort(key=lambda f: (-f.count, _sort_key(f.label)))
    return found


@lru_cache(maxsize=4096)
def _sort_key(label: str) -> str:
    # The same few hundred facet labels on every search.
    return sort_key(label)


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


@lru_cache(maxsize=65536)
def _matches(word: str, stems: tuple[tuple[str, str], ...]) -> bool:
    """Whether a word of a text matches one of the (term, stem) pairs. Texts repeat their
    words and a page's snippets share the terms, so each word is folded and matched once."""
    folded = text.fold(word)
    return any(text.word_matches(term, stem, folded) for term, stem in stems)


def snippet(practice: Any, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """Escaped HTML of about ``length`` characters around the best match, matches in <mark>."""
    body = " ".join(
        part for part in (practice.summary, *(getattr(practice, f) for f in practice.TEXT_FIELDS[1:])) if part
    )
    body = re.sub(r"\s+", " ", body).strip()
    stems = tuple((t, text.stem(t)) for t in terms)
    matches = [(m.start(), m.end()) for m in text.WORD_RE.finditer(body) if stems and _matches(m.group(), stems)]
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
    facets.refresh([practice.pk], rows=False)
    if practice.status != "published":
        remove_from_index(practice.pk)
        return
    backend().index([(practice.pk, *_search_texts(practice))])


def refresh(practice_ids: Iterable[int]) -> None:
    """Bring the index up to date for these practices after a change to their links, date or
    adoption count made without ``index_practice`` (their text is unchanged)."""
    facets.refresh(practice_ids)


def remove_from_index(practice_id: int) -> None:
    backend().remove([practice_id])


def rebuild_index(batch_size: int = 1000) -> int:
    """Index every published practice from scratch; returns how many."""
    from samspill.practices.models import Practice

    backend().clear()
    facets.refresh(rows=False)
    count = 0
    qs = Practice.objects.published().only("pk", "title", *Practice.TEXT_FIELDS).order_by("pk")
    batch: list[tuple[int, str, str, str]] = []
    for practice in qs.iterator(chunk_size=batch_size):
        batch.append((practice.pk, *_search_texts(practice)))
        if len(batch) >= batch_size:
            backend().index(batch, fresh=True)
            count += len(batch)
            batch = []
    if batch:
        backend().index(batch, fresh=True)
        count += len(batch)
    if hasattr(backend(), "analyze"):
        backend().analyze()
    return count

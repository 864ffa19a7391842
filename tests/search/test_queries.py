"""The labelled Norwegian queries over the fixed corpus, on whichever database runs the suite.

Every expected practice must be in the top 5. The summary test prints precision@5 and
recall@10 over the whole set (run with -s to see the table) and holds the measured minimum.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from samspill.practices.models import Practice
from samspill.practices.search import Filters, index_practice, search
from tests.search.corpus import PRACTICES, QUERIES

MIN_PRECISION_AT_5 = 0.75
MIN_RECALL_AT_10 = 1.0


@pytest.fixture
def corpus(db):
    now = timezone.now()
    for i, (slug, title, summary, body) in enumerate(PRACTICES):
        practice = Practice.objects.create(
            slug=slug,
            title=title,
            summary=summary,
            what=body,
            status="published",
            published_at=now - timezone.timedelta(days=i),
        )
        index_practice(practice)
    # Not published: never found.
    hidden = Practice.objects.create(slug="utkast-besoksvenn", title="Besøksvenn (utkast)", summary="Besøksvenn.")
    index_practice(hidden)


def _slugs(query: str, n: int) -> list[str]:
    return [p.slug for p in search(query=query, filters=Filters(), per_page=n).results]


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_expected_practices_are_in_the_top_5(corpus, query, expected):
    top = _slugs(query, 5)
    missing = [slug for slug in expected if slug not in top]
    assert not missing, f"{query!r}: {missing} not in top 5 {top}"


def test_precision_and_recall_over_the_query_set(corpus):
    rows, precisions, recalls = [], [], []
    for query, expected in QUERIES:
        top10 = _slugs(query, 10)
        top5 = top10[:5]
        relevant_in_5 = sum(1 for s in top5 if s in expected)
        precision = relevant_in_5 / min(5, max(len(top5), 1)) if top5 else 0.0
        recall = sum(1 for s in expected if s in top10) / len(expected)
        precisions.append(precision)
        recalls.append(recall)
        rows.append(f"{query:32} P@5 {precision:4.2f}  R@10 {recall:4.2f}  {len(top10):2} hits")
    p5 = sum(precisions) / len(precisions)
    r10 = sum(recalls) / len(recalls)
    print(f"\nSearch quality on {connection.vendor} ({len(QUERIES)} queries, {len(PRACTICES)} practices)")
    print("\n".join(rows))
    print(f"mean precision@5 {p5:.3f}, mean recall@10 {r10:.3f}")
    assert len(QUERIES) >= 30
    assert p5 >= MIN_PRECISION_AT_5
    assert r10 >= MIN_RECALL_AT_10


def test_drafts_are_never_found(corpus):
    assert "utkast-besoksvenn" not in _slugs("besøksvenn", 50)

"""PostgreSQL's facet bitmaps (``practices_searchbits``, migration 0006).

The bitmaps are derived from the search rows by triggers; the catalogue's counts come from
them. These tests hold the bitmaps to the rows after every kind of change, and the counts
from the bitmaps to the counts from the rows (``count_rows``, the reference), over both ways a
pass can count (bitmaps, or the rows of a small set). SQLite has no bitmaps (its counts are
the shared SQL in ``facets.count``); the suite runs on PostgreSQL in CI (``make test-postgres``).
"""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samspill.places.models import Municipality
from samspill.practices.models import Practice
from samspill.practices.search import Filters, facets, index_practice, rebuild_index, remove_from_index, search, text
from samspill.practices.tests.factories import PracticeFactory
from samspill.taxonomy.models import TargetGroup, Theme

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bitmaps are PostgreSQL's (migration 0006)"),
]


def bitmaps() -> dict[tuple[int, int], set[int]]:
    """(kind, value) → the practice ids whose bit is set, read from the bitmaps."""
    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, value, chunk, bits::text FROM practices_searchbits")
        for kind, value, chunk, bits in cursor.fetchall():
            out[(kind, value)] |= {chunk * 8192 + i for i, bit in enumerate(bits) if bit == "1"}
    return {key: ids for key, ids in out.items() if ids}


def from_rows() -> dict[tuple[int, int], set[int]]:
    """The same, computed in Python from the search rows."""
    from samspill.practices.search import postgres

    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    columns = ", ".join(postgres.ARRAY_FACETS)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT practice_id, lexemes, evidence, practices_evidence_key(evidence),"  # noqa: S608
            f" {columns} FROM practices_searchrow"
        )
        for practice_id, lexemes, _, evidence_hash, *arrays in cursor.fetchall():
            out[(postgres.ALL_KIND, 0)].add(practice_id)
            out[(postgres.KINDS["evidence"], evidence_hash)].add(practice_id)
            for lexeme in lexemes:
                out[(postgres.LEXEME_KIND, lexeme)].add(practice_id)
            for name, values in zip(postgres.ARRAY_FACETS, arrays, strict=True):
                for value in values:
                    out[(postgres.KINDS[name], value)].add(practice_id)
    return dict(out)


def test_the_bitmaps_follow_every_change_to_the_search_rows():
    theme_a, theme_b = Theme.objects.order_by("pk")[:2]
    # Ids on both sides of a chunk boundary (8 192 practices a chunk) and far beyond.
    first = PracticeFactory(pk=8191, title="Besøksvenn for eldre", evidence_level="measured")
    second = PracticeFactory(pk=8192, title="Turvenn i Bergen")
    third = PracticeFactory(pk=20000, title="Middag til hjemmeboende")
    first.themes.add(theme_a)
    second.themes.add(theme_a, theme_b)
    third.municipalities.add(Municipality.objects.get(number="4601"))
    assert bitmaps() == from_rows()
    assert bitmaps()[(1, theme_a.pk)] == {8191, 8192}

    # Links removed, text changed, evidence changed: only the keys that changed move.
    second.themes.remove(theme_a)
    first.title = "Trygghetsalarm"
    first.evidence_level = "evaluated"
    first.save()
    index_practice(first)
    assert bitmaps() == from_rows()
    assert bitmaps()[(1, theme_a.pk)] == {8191}

    # A new adoption count changes no key.
    from samspill.practices.services import count_adoption

    count_adoption(third)
    assert bitmaps() == from_rows()

    # Withdrawn, deleted (the rows go by cascade), removed and rebuilt.
    second.status = "withdrawn"
    second.save()
    index_practice(second)
    assert 8192 not in set().union(*bitmaps().values())
    third.delete()
    assert 20000 not in set().union(*bitmaps().values())
    remove_from_index(first.pk)
    assert bitmaps() == from_rows() == {}
    assert rebuild_index() == 1
    assert bitmaps() == from_rows()
    assert bitmaps()[(8, 0)] == {8191}


def test_a_municipality_moving_county_moves_its_practices_bits():
    from samspill.places.models import County

    practice = PracticeFactory(title="Besøksvenn")
    bergen = Municipality.objects.get(number="4601")
    practice.municipalities.add(bergen)
    oslo = County.objects.get(number="03")
    bergen.county = oslo
    bergen.save()
    assert bitmaps() == from_rows()
    assert bitmaps()[(4, oslo.pk)] == {practice.pk}


WORDS = ["besøksvenn", "frivillig", "eldre", "demens", "pårørende", "turvenn", "helse", "middag"]


@pytest.fixture
def corpus(db):
    """A few dozen practices with random words, themes, target groups, municipalities and
    evidence, some with ids in a second chunk."""
    rng = random.Random(2026)
    themes = list(Theme.objects.all())
    groups = list(TargetGroup.objects.all())
    places = list(Municipality.objects.filter(number__in=["4601", "4621", "0301", "1508", "1804", "5001"]))
    for i in range(40):
        practice = PracticeFactory(
            pk=(8100 + i * 7) if i % 3 else None,
            title=" ".join(rng.sample(WORDS, 2)),
            summary=" ".join(rng.sample(WORDS, 3)),
            evidence_level=rng.choice(["described", "measured", "evaluated"]),
            status="published" if i % 9 else "draft",
        )
        practice.themes.set(rng.sample(themes, rng.randint(0, 2)))
        practice.target_groups.set(rng.sample(groups, rng.randint(0, 2)))
        practice.municipalities.set(rng.sample(places, rng.randint(0, 2)))
    return {
        "themes": [t.slug for t in themes],
        "groups": [g.slug for g in groups],
        "municipalities": [m.number for m in places],
        "counties": sorted({m.county.number for m in places}),
    }


def counts(query: str, filters: Filters, any_term: bool = False, **costs: int) -> tuple:
    from samspill.practices.search import postgres

    terms = text.query_terms(query)
    conditions = postgres.term_conditions(terms) if terms else []
    chosen = facets.chosen_values(filters)
    saved = {name: getattr(postgres, name) for name in costs}
    try:
        for name, value in costs.items():
            setattr(postgres, name, value)
        total, found = postgres.count_bits(conditions, any_term, chosen)
    finally:
        for name, value in saved.items():
            setattr(postgres, name, value)
    reference_total, reference = postgres.count_rows(conditions, any_term, chosen)
    return (total, {k: sorted(v) for k, v in found.items()}), (
        reference_total,
        {k: sorted(v) for k, v in reference.items()},
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_counts_from_the_bitmaps_equal_the_counts_from_the_rows(corpus, data):
    query = " ".join(data.draw(st.lists(st.sampled_from([*WORDS, "venn", "frivilig", "ukjentord"]), max_size=2)))
    pick = lambda values: tuple(data.draw(st.lists(st.sampled_from(values), max_size=2, unique=True)))  # noqa: E731
    filters = Filters(
        themes=pick(corpus["themes"]),
        target_groups=pick(corpus["groups"]),
        municipalities=pick(corpus["municipalities"]),
        counties=pick(corpus["counties"]),
        evidence=pick(["described", "measured", "evaluated"]),
    )
    any_term = data.draw(st.booleans())
    # Every pass by the bitmaps, every pass by the rows, and as the costs decide.
    for costs in ({"ROW_COST": 10**9}, {"ROW_COST": 0}, {}):
        from_bits, from_rows_ = counts(query, filters, any_term, **costs)
        assert from_bits == from_rows_, (query, filters, any_term, costs)


def test_the_catalogue_shows_the_counts_of_the_rows_for_a_broad_and_a_narrow_search(corpus):
    theme = Theme.objects.order_by("pk").first()
    page = search(query="", filters=Filters())
    assert page.total == Practice.objects.published().count() == counts("", Filters())[1][0]
    filters = Filters(themes=(theme.slug,))
    page = search(query="frivillig", filters=filters)
    from_bits, from_rows_ = counts("frivillig", filters)
    assert from_bits == from_rows_
    assert page.total == from_rows_[0] > 0
    assert {f.value: f.count for f in page.facets["county"] if f.count} == {
        value: n for value, _, _, n in from_rows_[1]["county"]
    }

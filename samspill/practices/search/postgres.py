"""PostgreSQL backend: full-text search with the ``norwegian`` configuration + pg_trgm.

``practices_searchdoc`` holds per published practice a tsvector weighted title (A) >
summary (B) > body (C) with a GIN index, the folded words of the title (ranking) and of the
whole text. ``practices_searchword`` is the vocabulary: every folded word indexed, with a
gin_trgm_ops index. A query word is looked up there first: the words that contain it
("besøksvenn" for "venn") and, when no practice has the word, the words one typo away; the
practices are then found by one tsquery over the GIN index (``venn:* | besøksvenn | …``),
never by scanning the text of every practice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from samspill.practices.search import text

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS practices_searchdoc ("
    " practice_id integer PRIMARY KEY"
    " REFERENCES practices_practice (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
    " document tsvector NOT NULL,"
    " title_words text NOT NULL,"
    " words text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS practices_searchdoc_document ON practices_searchdoc USING gin (document)",
    "CREATE INDEX IF NOT EXISTS practices_searchdoc_words ON practices_searchdoc USING gin (words gin_trgm_ops)",
]
# The vocabulary (migration 0004).
CREATE += [
    'CREATE TABLE IF NOT EXISTS practices_searchword (word text COLLATE "C" PRIMARY KEY)',
    "CREATE INDEX IF NOT EXISTS practices_searchword_trgm ON practices_searchword USING gin (word gin_trgm_ops)",
]
DROP = ["DROP TABLE IF EXISTS practices_searchword", "DROP TABLE IF EXISTS practices_searchdoc"]
INDEXES = ("practices_searchdoc_document", "practices_searchdoc_words", "practices_searchdoc_pkey")
# A word part found in more words than this is matched by LIKE over the practices' words instead.
MAX_COMPOUNDS = 200
FUZZY_LIMIT = 5


def _unique_words(*texts: str) -> str:
    return " ".join(dict.fromkeys(w for t in texts for w in text.words(t)))


def index(rows: Iterable[tuple[int, str, str, str]], fresh: bool = False) -> None:
    values = []
    vocabulary: set[str] = set()
    for pk, title, summary, body in rows:
        words = _unique_words(title, summary, body)
        vocabulary.update(words.split())
        values.append((pk, text.fold(title), text.fold(summary), text.fold(body), _unique_words(title), words))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO practices_searchdoc (practice_id, document, title_words, words) VALUES (%s,"
            " setweight(to_tsvector('norwegian', %s), 'A') || setweight(to_tsvector('norwegian', %s), 'B')"
            " || setweight(to_tsvector('norwegian', %s), 'C'), %s, %s)"
            " ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document,"
            " title_words = EXCLUDED.title_words, words = EXCLUDED.words",
            values,
        )
        # Words are never removed one by one (a stale word only widens a lookup); rebuild_index clears them.
        cursor.execute(
            "INSERT INTO practices_searchword (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
            [sorted(vocabulary)],
        )


def remove(ids: list[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM practices_searchdoc WHERE practice_id = ANY(%s)", [list(ids)])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_searchdoc")
        cursor.execute("DELETE FROM practices_searchword")


def analyze() -> None:
    """Fresh planner statistics after a rebuild (the facet filters depend on them)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE practices_searchdoc, practices_searchword, practices_searchfacet, practices_practice")


def _tsquery(words: Iterable[str]) -> str:
    return " | ".join(dict.fromkeys(words))


def _lookup(terms: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per term (4 letters or more): the vocabulary words containing it (None when more than
    MAX_COMPOUNDS) and the words with its first two letters (typo candidates). One statement."""
    long_terms = [t for t in terms if len(t) >= 4]
    compounds: dict[str, list[str]] = {t: [] for t in long_terms}
    prefixed: dict[str, list[str]] = {t: [] for t in long_terms}
    if not long_terms:
        return compounds, prefixed
    parts, params = [], []
    for i, term in enumerate(long_terms):
        parts.append(
            f"(SELECT {i}, 'c', word FROM practices_searchword WHERE word LIKE %s LIMIT {MAX_COMPOUNDS + 1})"  # noqa: S608
            f" UNION ALL (SELECT {i}, 'p', word FROM practices_searchword WHERE word >= %s AND word < %s)"
        )
        params += [f"%{term}%", term[:2], term[:2] + "\uffff"]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, kind, word in cursor.fetchall():
            (compounds if kind == "c" else prefixed)[long_terms[i]].append(word)
    return compounds, prefixed


def term_conditions(terms: list[str]) -> list[tuple[str, list]]:
    """Per term, a condition on ``practices_searchdoc`` for the practices that have the word
    or a form of it (stemmed, as a prefix so "besøk" finds "besøksvenn") or a word containing
    it ("venn" → "besøksvenn"); for a term no practice has, the words one typo away (same
    first two letters, ≥ 60 % of its trigrams, as on SQLite). The vocabulary is read once for
    all terms and the typo matching runs only for terms without a match."""
    compounds, prefixed = _lookup(terms)
    conditions: list[tuple[str, list]] = []
    for term in terms:
        found = compounds.get(term, [])
        if len(found) > MAX_COMPOUNDS:
            conditions.append(
                ("(document @@ to_tsquery('norwegian', %s) OR words LIKE %s)", [f"{term}:*", f"%{term}%"])
            )
        else:
            conditions.append(("document @@ to_tsquery('norwegian', %s)", [_tsquery([f"{term}:*", *found])]))
    typos = [i for i, term in enumerate(terms) if len(term) >= 4]
    if typos:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT "  # noqa: S608
                + ", ".join(f"EXISTS (SELECT 1 FROM practices_searchdoc WHERE {conditions[i][0]})" for i in typos),  # noqa: S608
                [param for i in typos for param in conditions[i][1]],
            )
            found_any = cursor.fetchone()
        for i, has_match in zip(typos, found_any, strict=True):
            if not has_match:
                fuzzy = text.typo_candidates(terms[i], prefixed[terms[i]], FUZZY_LIMIT)
                conditions[i] = (
                    ("document @@ to_tsquery('norwegian', %s)", [_tsquery(fuzzy)]) if fuzzy else ("FALSE", [])
                )
    return conditions


def combine(conditions: list[tuple[str, list]], any_term: bool = False) -> tuple[str, list]:
    """The terms' conditions as one condition on practice ``p``: one pass over the index."""
    joiner = " OR " if any_term else " AND "
    sql = joiner.join(f"({condition})" for condition, _ in conditions)
    params = [param for _, ps in conditions for param in ps]
    return f" AND p.id IN (SELECT practice_id FROM practices_searchdoc WHERE {sql})", params  # noqa: S608


def ranked_ids(
    terms: list[str],
    conditions: list[tuple[str, list]],
    matching: tuple[str, list],
    limit: int,
    offset: int,
    any_term: bool = False,
) -> list[int]:
    """The ids of one page of the practices ``p`` that meet ``matching``, best first: the
    weighted full-text rank of the words, plus how well they match the words of the title
    (parts of compounds, typos), newest first among equals. Only the matching practices are
    scored, so a search narrowed by facets scores few."""
    where, params = matching
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM practices_practice p JOIN practices_searchdoc d ON d.practice_id = p.id"  # noqa: S608
            f" WHERE {where} ORDER BY"
            " 10 * ts_rank('{0.1, 0.2, 0.4, 1.0}', d.document, to_tsquery('norwegian', %s))"
            " + 2 * word_similarity(%s, d.title_words) DESC, p.published_at DESC NULLS LAST, p.id DESC"
            " LIMIT %s OFFSET %s",
            [*params, _tsquery(f"{t}:*" for t in terms), " ".join(terms), limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]

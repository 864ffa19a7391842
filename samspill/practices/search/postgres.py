"""PostgreSQL backend: full-text search with the ``norwegian`` configuration + pg_trgm.

``practices_searchdoc`` holds per published practice a tsvector weighted title (A) >
summary (B) > body (C) with a GIN index, and the practice's distinct folded words with a
gin_trgm_ops index: ``LIKE '%venn%'`` finds a part of a compound, ``term <% words``
(word_similarity) a word with a small typo.
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
DROP = ["DROP TABLE IF EXISTS practices_searchdoc"]
INDEXES = ("practices_searchdoc_document", "practices_searchdoc_words", "practices_searchdoc_pkey")


def _unique_words(*texts: str) -> str:
    return " ".join(dict.fromkeys(w for t in texts for w in text.words(t)))


def index(rows: Iterable[tuple[int, str, str, str]]) -> None:
    values = [
        (
            pk,
            text.fold(title),
            text.fold(summary),
            text.fold(body),
            _unique_words(title),
            _unique_words(title, summary, body),
        )
        for pk, title, summary, body in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO practices_searchdoc (practice_id, document, title_words, words) VALUES (%s,"
            " setweight(to_tsvector('norwegian', %s), 'A') || setweight(to_tsvector('norwegian', %s), 'B')"
            " || setweight(to_tsvector('norwegian', %s), 'C'), %s, %s)"
            " ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document,"
            " title_words = EXCLUDED.title_words, words = EXCLUDED.words",
            values,
        )


def remove(ids: list[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM practices_searchdoc WHERE practice_id = ANY(%s)", [list(ids)])


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_searchdoc")


def term_conditions(terms: list[str]) -> list[tuple[str, list]]:
    """Per term, the ids of practices that have the word or a form of it (stemmed, as a
    prefix so "besøk" finds "besøksvenn") or a compound containing it; when none has, the
    words one typo away (word_similarity ≥ pg_trgm.word_similarity_threshold, 0.6).

    The ids are read once per search and handed back as an array parameter, so the count,
    the page and the seven facet counts do not each repeat the text matching."""
    conditions = []
    with connection.cursor() as cursor:
        for term in terms:
            sql = "SELECT practice_id FROM practices_searchdoc WHERE document @@ to_tsquery('norwegian', %s)"
            params: list = [f"{term}:*"]
            if len(term) >= 4:
                sql += " OR words LIKE %s"
                params.append(f"%{term}%")
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
            if not ids and len(term) >= 4:
                cursor.execute("SELECT practice_id FROM practices_searchdoc WHERE %s <%% words", [term])
                ids = [row[0] for row in cursor.fetchall()]
            conditions.append(("SELECT unnest(%s::integer[])", [ids]))
    return conditions


def score(terms: list[str]) -> tuple[str, list]:
    tsquery = " | ".join(f"{t}:*" for t in terms)
    joined = " ".join(terms)
    sql = (
        "(SELECT 10 * ts_rank('{0.1, 0.2, 0.4, 1.0}', document, to_tsquery('norwegian', %s))"
        " + 2 * word_similarity(%s, title_words)"
        ' FROM practices_searchdoc WHERE practice_id = "practices_practice"."id")'
    )
    return sql, [tsquery, joined]

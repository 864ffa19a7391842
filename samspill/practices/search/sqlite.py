"""SQLite backend: FTS5 over Snowball stems (stemmed in Python) + an FTS5 trigram index.

``practices_search`` holds each published practice's title, summary and body as folded,
stemmed words (rowid = practice id), ranked with bm25 weighted title 10 > summary 4 > body 1,
and its distinct folded words unstemmed (``words``, for typo correction).
``practices_search_tri`` (tokenize='trigram') holds the folded words, so a part of a compound
("venn" in "besøksvenn") is found as a substring. A small typo is corrected against the words
in the index (``practices_search_vocab``, an fts5vocab table), compared by trigram similarity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from samspill.practices.search import facets, text

FUZZY_LIMIT = 5

CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_search USING fts5("
    "title, summary, body, words, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_search_tri USING fts5(title, words, tokenize = 'trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_search_vocab USING fts5vocab(practices_search, 'row')",
]
DROP = [
    "DROP TABLE IF EXISTS practices_search_vocab",
    "DROP TABLE IF EXISTS practices_search_tri",
    "DROP TABLE IF EXISTS practices_search",
]


def _unique_words(*texts: str) -> str:
    return " ".join(dict.fromkeys(w for t in texts for w in text.words(t)))


def index(rows: Iterable[tuple[int, str, str, str]], fresh: bool = False) -> None:
    """Index these practices; ``fresh`` when they are known not to be in the index yet."""
    rows = list(rows)
    if not fresh:
        remove([r[0] for r in rows])
    search_rows, trigram_rows = [], []
    for pk, title, summary, body in rows:
        title_words, summary_words, body_words = text.words(title), text.words(summary), text.words(body)
        words = " ".join(dict.fromkeys([*title_words, *summary_words, *body_words]))
        search_rows.append(
            (
                pk,
                " ".join(text.stem(w) for w in title_words),
                " ".join(text.stem(w) for w in summary_words),
                " ".join(text.stem(w) for w in body_words),
                words,
            )
        )
        trigram_rows.append((pk, " ".join(dict.fromkeys(title_words)), words))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO practices_search (rowid, title, summary, body, words) VALUES (%s, %s, %s, %s, %s)",
            search_rows,
        )
        cursor.executemany("INSERT INTO practices_search_tri (rowid, title, words) VALUES (%s, %s, %s)", trigram_rows)


def remove(ids: list[int]) -> None:
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM practices_search WHERE rowid IN ({marks})", ids)  # noqa: S608
        cursor.execute(f"DELETE FROM practices_search_tri WHERE rowid IN ({marks})", ids)  # noqa: S608


def clear() -> None:
    # Dropping and creating the FTS5 tables again is far faster than deleting every row
    # (FTS5 reads each row back to remove its tokens): about 1 s instead of 9 s at 10 000.
    with connection.cursor() as cursor:
        for sql in (*DROP, *CREATE):
            cursor.execute(sql)


def _fuzzy(term: str) -> list[str]:
    """Words in the index that look like a misspelt ``term`` (same first two letters)."""
    if len(term) < 4:
        return []
    prefix = term[:2]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term FROM practices_search_vocab WHERE term >= %s AND term < %s",
            [prefix, prefix + "\uffff"],
        )
        return text.typo_candidates(term, (t for (t,) in cursor.fetchall()), FUZZY_LIMIT)


def _stem_expression(term: str) -> str:
    expression = f'({{title summary body}} : "{text.stem(term)}"*)'
    fuzzy = _fuzzy(term)
    if fuzzy:
        expression += " OR (words : (" + " OR ".join(f'"{t}"' for t in fuzzy) + "))"
    return "(" + expression + ")"


def term_conditions(terms: list[str]) -> list[tuple[str, list]]:
    """One SQL subquery per term: the ids of practices that have the word, a form of it,
    a compound containing it, or a word one typo away."""
    conditions = []
    for term in terms:
        sql = "SELECT rowid FROM practices_search WHERE practices_search MATCH %s"
        params = [_stem_expression(term)]
        if len(term) >= 4:
            sql += " UNION SELECT rowid FROM practices_search_tri WHERE practices_search_tri MATCH %s"
            params.append(f'words : "{term}"')
        conditions.append((sql, params))
    return conditions


def combine(conditions: list[tuple[str, list]], any_term: bool = False) -> tuple[str, list]:
    """The terms' subqueries as one condition on practice ``p`` (empty without terms)."""
    if not conditions:
        return "", []
    joiner = " OR " if any_term else " AND "
    sql = joiner.join(f"p.id IN ({condition})" for condition, _ in conditions)
    return f" AND ({sql})", [param for _, params in conditions for param in params]


def count(
    conditions: list[tuple[str, list]], any_term: bool, chosen: dict[str, list[Any]]
) -> tuple[int, dict[str, list[tuple[str, str, str, int]]]]:
    """The total and every facet's counts, by the shared SQL over ``facets.TABLE``."""
    text_sql, text_params = combine(conditions, any_term)
    return facets.count((facets.PUBLISHED + text_sql, text_params), facets.flags(chosen))


def page_ids(
    terms: list[str],
    conditions: list[tuple[str, list]],
    any_term: bool,
    chosen: dict[str, list[Any]],
    sort: str,
    limit: int,
    offset: int,
) -> list[int]:
    matching = facets.where(combine(conditions, any_term), chosen)
    if sort == "relevance":
        return ranked_ids(terms, conditions, matching, limit, offset, any_term)
    return facets.ordered_ids(matching, sort, limit, offset)


def ranked_ids(
    terms: list[str],
    conditions: list[tuple[str, list]],
    matching: tuple[str, list],
    limit: int,
    offset: int,
    any_term: bool = False,
) -> list[int]:
    """The ids of one page of the practices ``p`` that meet ``matching``, best first. The
    scores are read in one pass over the FTS index and combined here; a correlated bm25()
    subquery per row is far slower in SQLite. When every word must match, bm25 is read for
    the practices with every word (the same scores as for any word, on fewer practices)."""
    where, params = matching
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT p.id, p.published_at FROM practices_practice p WHERE {where}", params)  # noqa: S608
        rows = cursor.fetchall()
        if not rows:
            return []
        # Each term's expression as term_conditions() built it (its typo words read once).
        expressions = [ps[0] for _, ps in conditions]
        sql = (
            "SELECT rowid, -bm25(practices_search, 10.0, 4.0, 1.0, 1.0) FROM practices_search"
            " WHERE practices_search MATCH %s"
        )
        params = [(" OR " if any_term else " AND ").join(expressions)]
        substrings = " OR ".join(f'"{t}"' for t in terms if len(t) >= 4)
        if substrings:
            # A part of a compound in the title counts; one elsewhere counts a little.
            sql += (
                " UNION ALL SELECT rowid, 2.0 FROM practices_search_tri WHERE practices_search_tri MATCH %s"
                " UNION ALL SELECT rowid, 0.5 FROM practices_search_tri WHERE practices_search_tri MATCH %s"
            )
            params += [f"title : ({substrings})", f"words : ({substrings})"]
        cursor.execute(sql, params)
        scores: dict[int, float] = {}
        for rowid, score in cursor.fetchall():
            scores[rowid] = scores.get(rowid, 0.0) + score
    # published_at as stored (ISO 8601 text in UTC) sorts as the time does.
    rows.sort(key=lambda r: (scores.get(r[0], 0.0), str(r[1] or ""), r[0]), reverse=True)
    return [pk for pk, _ in rows[offset : offset + limit]]

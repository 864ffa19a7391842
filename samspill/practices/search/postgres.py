"""PostgreSQL backend: full-text search with the ``norwegian`` configuration + pg_trgm.

Three tables (migrations 0002, 0004, 0005):

- ``practices_searchdoc``: per published practice a tsvector weighted title (A) > summary (B)
  > body (C), the folded words of the title and of the whole text. Read only for the page of
  results (``ts_rank``, ``word_similarity``) and the rare ``LIKE`` fallback below.
- ``practices_searchrow``: the narrow row a search reads, one per published practice (about
  450 bytes): the ids of the practice's lexemes (the stems of its ``to_tsvector``, numbered in
  ``practices_searchlexeme``) under a GIN index, the facet value ids per facet as arrays under
  one multicolumn GIN index, the evidence level, publication date and adoption count. The
  total, every facet count and the page's order come from this table alone, so a search
  that matches tens of thousands of practices reads a few thousand small pages instead of the
  wide text rows (before: about 0.5 s at 100 000 practices, mostly reading ``searchdoc``).
- ``practices_searchword``: the vocabulary, every folded word with a trigram index. A query
  word is looked up there first: the words that contain it ("besøksvenn" for "venn") and,
  when no practice has the word, the words one typo away. The word's stem as a prefix and
  the stems of those words become lexeme ids (``venn:* | besøksvenn | …`` as in a tsquery),
  and a practice matches the word when its row has one of them (``lexemes && ids``).

The rows are written by ``index`` (text changed) and ``sync`` (facets, date or adoption
count changed; called by ``facets.refresh``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from samspill.practices.search import facets, text

# A word part found in more words than this is matched by LIKE over the practices' words instead.
MAX_COMPOUNDS = 200
FUZZY_LIMIT = 5
ARRAY_FACETS = ("theme", "focus_area", "target_group", "county", "municipality", "organisation_kind")

# Every lexeme of these practices' documents gets an id (ids are never reused or removed
# one by one; a stale lexeme matches no row; rebuild_index starts the numbering afresh).
LEXEMES = (
    "INSERT INTO practices_searchlexeme (lexeme)"
    " SELECT DISTINCT unnest(tsvector_to_array(d.document)) FROM practices_searchdoc d"
    " WHERE d.practice_id = ANY(%s) ORDER BY 1 ON CONFLICT DO NOTHING"
)
# The search rows of these practices (those in the text index) from their document, the
# practice and its facet rows. The same statement is frozen in migration 0005.
ROWS = (
    "INSERT INTO practices_searchrow (practice_id, lexemes, published_at, adoption_count, evidence,"
    " theme, focus_area, target_group, county, municipality, organisation_kind)"
    " SELECT d.practice_id, ARRAY(SELECT l.id FROM practices_searchlexeme l"
    " WHERE l.lexeme = ANY(tsvector_to_array(d.document)) ORDER BY l.id),"
    " p.published_at, p.adoption_count, p.evidence_level,"
    " f.theme, f.focus_area, f.target_group, f.county, f.municipality, f.organisation_kind"
    " FROM practices_searchdoc d JOIN practices_practice p ON p.id = d.practice_id"
    " CROSS JOIN LATERAL (SELECT"
    " COALESCE(array_agg(s.value_id) FILTER (WHERE s.facet = 'theme'), '{}') AS theme,"
    " COALESCE(array_agg(s.value_id) FILTER (WHERE s.facet = 'focus_area'), '{}') AS focus_area,"
    " COALESCE(array_agg(s.value_id) FILTER (WHERE s.facet = 'target_group'), '{}') AS target_group,"
    " COALESCE(array_agg(s.value_id) FILTER (WHERE s.facet = 'county'), '{}') AS county,"
    " COALESCE(array_agg(s.value_id) FILTER (WHERE s.facet = 'municipality'), '{}') AS municipality,"
    " COALESCE(array_agg(s.value_id) FILTER (WHERE s.facet = 'organisation_kind'), '{}') AS organisation_kind"
    " FROM practices_searchfacet s WHERE s.practice_id = d.practice_id) f"
    " WHERE d.practice_id = ANY(%s)"
    " ON CONFLICT (practice_id) DO UPDATE SET lexemes = EXCLUDED.lexemes, published_at = EXCLUDED.published_at,"
    " adoption_count = EXCLUDED.adoption_count, evidence = EXCLUDED.evidence, theme = EXCLUDED.theme,"
    " focus_area = EXCLUDED.focus_area, target_group = EXCLUDED.target_group, county = EXCLUDED.county,"
    " municipality = EXCLUDED.municipality, organisation_kind = EXCLUDED.organisation_kind"
)


def _unique_words(*texts: str) -> str:
    return " ".join(dict.fromkeys(w for t in texts for w in text.words(t)))


def index(rows: Iterable[tuple[int, str, str, str]], fresh: bool = False) -> None:
    values = []
    vocabulary: set[str] = set()
    for pk, title, summary, body in rows:
        words = _unique_words(title, summary, body)
        vocabulary.update(words.split())
        values.append((pk, text.fold(title), text.fold(summary), text.fold(body), _unique_words(title), words))
    if not values:
        return
    ids = [v[0] for v in values]
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
        cursor.execute(LEXEMES, [ids])
        cursor.execute(ROWS, [ids])


def sync(ids: list[int] | None) -> None:
    """Rewrite the search rows of these practices (of every indexed practice when None) after
    their facets, publication date or adoption count changed."""
    if ids is not None and not ids:
        return
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(ROWS.replace("d.practice_id = ANY(%s)", "TRUE"))
        else:
            cursor.execute(ROWS, [list(ids)])


def remove(ids: list[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM practices_searchrow WHERE practice_id = ANY(%s)", [list(ids)])
            cursor.execute("DELETE FROM practices_searchdoc WHERE practice_id = ANY(%s)", [list(ids)])


def clear() -> None:
    # DELETE where rows reference the practices (their deferred foreign keys forbid TRUNCATE
    # in a transaction that wrote them).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_searchrow")
        cursor.execute("DELETE FROM practices_searchdoc")
        cursor.execute("TRUNCATE practices_searchword, practices_searchlexeme RESTART IDENTITY")


def analyze() -> None:
    """Fresh planner statistics after a rebuild (the facet filters depend on them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE practices_searchrow, practices_searchdoc, practices_searchword, practices_searchlexeme,"
            f" {facets.TABLE}, practices_practice"
        )


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


def _lexeme_ids(wanted: list[tuple[str, list[str]]]) -> list[tuple[list[int], bool]]:
    """Per (prefix, words): the ids of the lexemes that start with the stem of ``prefix`` (none
    when it is empty) or are the stem of one of ``words``, as a tsquery ``prefix:* | word | …``
    would match them, and whether any practice has one of them. One statement."""
    if not wanted:
        return []
    parts, params = [], []
    for i, (prefix, words) in enumerate(wanted):
        parts.append(
            f"SELECT {i} AS i, ARRAY(SELECT l.id FROM practices_searchlexeme l,"  # noqa: S608
            " unnest(tsvector_to_array(to_tsvector('norwegian', %s))) s(stem)"
            " WHERE l.lexeme >= s.stem AND l.lexeme < s.stem || U&'\\FFFF'"
            " UNION SELECT l.id FROM practices_searchlexeme l"
            " WHERE l.lexeme = ANY(tsvector_to_array(to_tsvector('norwegian', %s)))) AS ids"
        )
        params += [prefix, " ".join(words)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.i, t.ids, EXISTS (SELECT 1 FROM practices_searchrow r WHERE r.lexemes && t.ids)"  # noqa: S608
            f" FROM ({' UNION ALL '.join(parts)}) t ORDER BY t.i",
            params,
        )
        return [(sorted(ids), found) for _, ids, found in cursor.fetchall()]


def term_conditions(terms: list[str]) -> list[tuple[str, list]]:
    """Per term, a condition on search row ``r`` for the practices that have the word or a
    form of it (stemmed, as a prefix so "besøk" finds "besøksvenn") or a word containing it
    ("venn" → "besøksvenn"); for a term of 4 letters or more that no practice has, the words
    one typo away (same first two letters, ≥ 60 % of its trigrams, as on SQLite). The
    vocabulary is read once for all terms, the lexeme ids once, and the typo words once."""
    compounds, prefixed = _lookup(terms)
    too_many = [len(compounds.get(term, [])) > MAX_COMPOUNDS for term in terms]
    found = _lexeme_ids(
        [(term, [] if many else compounds.get(term, [])) for term, many in zip(terms, too_many, strict=True)]
    )
    conditions: list[tuple[str, list]] = []
    typos: list[int] = []
    for i, (term, many, (ids, has_match)) in enumerate(zip(terms, too_many, found, strict=True)):
        if many:
            conditions.append(
                (
                    "(r.lexemes && %s::integer[] OR r.practice_id IN"
                    " (SELECT practice_id FROM practices_searchdoc WHERE words LIKE %s))",
                    [ids, f"%{term}%"],
                )
            )
            continue
        conditions.append(("r.lexemes && %s::integer[]", [ids]))
        if not has_match and len(term) >= 4:
            typos.append(i)
    fuzzy = {i: text.typo_candidates(terms[i], prefixed[terms[i]], FUZZY_LIMIT) for i in typos}
    corrected = _lexeme_ids([("", fuzzy[i]) for i in typos if fuzzy[i]])
    for i, (ids, _) in zip([i for i in typos if fuzzy[i]], corrected, strict=True):
        conditions[i] = ("r.lexemes && %s::integer[]", [ids])
    for i in typos:
        if not fuzzy[i]:
            conditions[i] = ("FALSE", [])
    return conditions


def _text(conditions: list[tuple[str, list]], any_term: bool) -> tuple[str, list[Any]]:
    if not conditions:
        return "TRUE", []
    joiner = " OR " if any_term else " AND "
    return "(" + joiner.join(f"({sql})" for sql, _ in conditions) + ")", [p for _, ps in conditions for p in ps]


def _chosen(chosen: dict[str, list[Any]]) -> dict[str, tuple[str, list[Any]]]:
    """Per chosen facet, the condition that row ``r`` has one of its values."""
    out: dict[str, tuple[str, list[Any]]] = {}
    for name, values in chosen.items():
        if not values:
            out[name] = ("FALSE", [])
        elif name == "evidence":
            out[name] = ("r.evidence = ANY(%s)", [list(values)])
        else:
            out[name] = (f"r.{name} && %s::integer[]", [list(values)])  # name from facets.FILTERS
    return out


def _where(parts: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    return " AND ".join(sql for sql, _ in parts) or "TRUE", [p for _, ps in parts for p in ps]


def count(
    conditions: list[tuple[str, list]], any_term: bool, chosen: dict[str, list[Any]]
) -> tuple[int, dict[str, list[tuple[str, str, str, int]]]]:
    """The total and every facet's counts (as ``facets.count``) in one statement over the
    search rows. One pass over the rows that meet the words and every chosen facet counts the
    total and the facets nobody chose (one row per practice and array element, grouped by
    each facet in turn); per chosen facet, one pass over the rows that meet the words and the
    other chosen facets counts that facet's values."""
    text_part = _text(conditions, any_term)
    ok = _chosen(chosen)
    every_sql, every_params = _where([text_part, *ok.values()])
    # Each practice has exactly one evidence level, so the total is the sum of its counts.
    open_facets = [name for name in ARRAY_FACETS if name not in ok]
    columns = [f"unnest(r.{name}) AS {name}" for name in open_facets] + ["unnest(ARRAY[r.evidence]) AS evidence"]
    which = " ".join(f"WHEN s.{name} IS NOT NULL THEN '{name}'" for name in open_facets)
    value = f"COALESCE({', '.join(f's.{name}' for name in open_facets)})" if open_facets else "NULL::integer"
    sets = ", ".join(f"(s.{name})" for name in [*open_facets, "evidence"])
    selects = [
        f"SELECT * FROM (SELECT CASE {which} WHEN s.evidence IS NOT NULL THEN 'total' END AS facet,"  # noqa: S608
        f" {value} AS v, s.evidence AS ev, COUNT(*) AS n"
        f" FROM (SELECT {', '.join(columns)} FROM practices_searchrow r WHERE {every_sql}) s"
        f" GROUP BY GROUPING SETS ({sets})) g WHERE g.facet IS NOT NULL"
    ]
    params = list(every_params)
    for name in ok:
        others_sql, others_params = _where([text_part, *(c for other, c in ok.items() if other != name)])
        if name == "evidence":
            selects.append(
                "SELECT 'evidence', NULL::integer, r.evidence, COUNT(*) FROM practices_searchrow r"  # noqa: S608
                f" WHERE {others_sql} GROUP BY r.evidence"
            )
        else:
            selects.append(
                f"SELECT '{name}', s.v, NULL::text, COUNT(*)"  # noqa: S608
                f" FROM (SELECT unnest(r.{name}) AS v FROM practices_searchrow r WHERE {others_sql}) s GROUP BY s.v"
            )
        params += others_params
    sql = (
        f"WITH counted AS ({' UNION ALL '.join(selects)}), labels AS ({facets.labels_sql()})"  # noqa: S608
        " SELECT c.facet, COALESCE(l.value, c.ev, ''), COALESCE(l.label, ''), COALESCE(l.label_en, ''), c.n"
        " FROM counted c LEFT JOIN labels l ON l.facet = c.facet AND l.id = c.v"
    )
    total = 0
    out: dict[str, list[tuple[str, str, str, int]]] = {name: [] for name in facets.ALL}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, label, label_en, n in cursor.fetchall():
            if facet == "total":
                # The every-facet pass's evidence rows: the total, and the evidence counts
                # unless evidence is chosen (then they come from its own pass).
                total += n
                if "evidence" not in ok:
                    out["evidence"].append((str(value), "", "", n))
            elif n and (facet == "evidence" or label):
                out[facet].append((str(value), label, label_en, n))
    return total, out


def page_ids(
    terms: list[str],
    conditions: list[tuple[str, list]],
    any_term: bool,
    chosen: dict[str, list[Any]],
    sort: str,
    limit: int,
    offset: int,
) -> list[int]:
    """The ids of one page of the practices that meet the words and every chosen facet. By
    relevance: the weighted full-text rank of the words plus how well they match the words of
    the title (parts of compounds, typos), newest first among equals; only the matching
    practices' documents are read. Else newest first, or most adopted first."""
    where, params = _where([_text(conditions, any_term), *_chosen(chosen).values()])
    if sort == "relevance":
        sql = (
            "SELECT r.practice_id FROM practices_searchrow r"  # noqa: S608
            f" JOIN practices_searchdoc d ON d.practice_id = r.practice_id WHERE {where} ORDER BY"
            " 10 * ts_rank('{0.1, 0.2, 0.4, 1.0}', d.document, to_tsquery('norwegian', %s))"
            " + 2 * word_similarity(%s, d.title_words) DESC,"
        )
        params += [_tsquery(f"{t}:*" for t in terms), " ".join(terms)]
    else:
        order = "r.adoption_count DESC, " if sort == "adopted" else ""
        sql = f"SELECT r.practice_id FROM practices_searchrow r WHERE {where} ORDER BY {order}"  # noqa: S608
    sql += " r.published_at DESC NULLS LAST, r.practice_id DESC LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]

"""PostgreSQL backend: full-text search with the ``norwegian`` configuration + pg_trgm.

Four tables (migrations 0002, 0004, 0005, 0006):

- ``practices_searchdoc``: per published practice a tsvector weighted title (A) > summary (B)
  > body (C), the folded words of the title and of the whole text. Read only for the page of
  results (``ts_rank``, ``word_similarity``) and the rare ``LIKE`` fallback below.
- ``practices_searchrow``: the narrow row a search reads, one per published practice (about
  450 bytes): the ids of the practice's lexemes (the stems of its ``to_tsvector``, numbered in
  ``practices_searchlexeme``) under a GIN index, the facet value ids per facet as arrays under
  one multicolumn GIN index, the evidence level, publication date and adoption count. The
  page's order comes from this table (and ``searchdoc`` for the ranked page only), and so
  do the facet counts of small sets and of words that need the ``LIKE`` fallback.
- ``practices_searchbits``: per lexeme, facet value, evidence level and "indexed", one bit
  per practice in chunks of 8 192 practice ids, kept from ``practices_searchrow`` by
  triggers. The total and the facet counts of large sets come from these (``count_bits``).
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
from typing import Any, NamedTuple

from django.db import connection

from samspill.practices.search import facets, text

# A word part found in more words than this is matched by LIKE over the practices' words instead.
MAX_COMPOUNDS = 200
FUZZY_LIMIT = 5
ARRAY_FACETS = ("theme", "focus_area", "target_group", "county", "municipality", "organisation_kind")
# The kinds of key in practices_searchbits (migration 0006): 0 a lexeme id, 1–6 a value of a
# facet in ARRAY_FACETS, 7 an evidence level (``practices_evidence_key(level)``), 8 every
# indexed practice.
LEXEME_KIND = 0
KINDS = {name: i + 1 for i, name in enumerate((*ARRAY_FACETS, "evidence"))}
ALL_KIND = 8
# What a facet pass costs (µs, measured at 100 000 practices): per practice when it reads the
# practices' search rows, per chunk row when it reads the bitmaps (count_bits).
ROW_COST = 6
CHUNK_ROW_COST = 3


class Condition(NamedTuple):
    """A query word as a condition on search row ``r`` and, when it is just lexemes, their ids
    (None for the LIKE fallback, which the bitmaps cannot express)."""

    sql: str
    params: list[Any]
    ids: list[int] | None


NO_MATCH = Condition("FALSE", [], [])

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
        # The bitmaps first: the rows' delete trigger then has nothing to clear.
        cursor.execute("TRUNCATE practices_searchbits")
        cursor.execute("DELETE FROM practices_searchrow")
        cursor.execute("DELETE FROM practices_searchdoc")
        cursor.execute("TRUNCATE practices_searchword, practices_searchlexeme RESTART IDENTITY")


def analyze() -> None:
    """Fresh planner statistics after a rebuild (the facet filters depend on them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE practices_searchrow, practices_searchbits, practices_searchdoc, practices_searchword,"
            " practices_searchlexeme,"
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
            # A practice has one of them when one of their bitmaps has a bit set (a GIN scan of
            # a common lexeme's posting list took tens of milliseconds).
            "SELECT t.i, t.ids, EXISTS (SELECT 1 FROM practices_searchbits b"  # noqa: S608
            f" WHERE b.kind = {LEXEME_KIND} AND b.value = ANY(t.ids) AND b.bits <> 0::bit(8192))"
            f" FROM ({' UNION ALL '.join(parts)}) t ORDER BY t.i",
            params,
        )
        return [(sorted(ids), found) for _, ids, found in cursor.fetchall()]


def term_conditions(terms: list[str]) -> list[Condition]:
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
    conditions: list[Condition] = []
    typos: list[int] = []
    for i, (term, many, (ids, has_match)) in enumerate(zip(terms, too_many, found, strict=True)):
        if many:
            conditions.append(
                Condition(
                    "(r.lexemes && %s::integer[] OR r.practice_id IN"
                    " (SELECT practice_id FROM practices_searchdoc WHERE words LIKE %s))",
                    [ids, f"%{term}%"],
                    None,
                )
            )
            continue
        conditions.append(_lexemes(ids))
        if not has_match and len(term) >= 4:
            typos.append(i)
    fuzzy = {i: text.typo_candidates(terms[i], prefixed[terms[i]], FUZZY_LIMIT) for i in typos}
    corrected = _lexeme_ids([("", fuzzy[i]) for i in typos if fuzzy[i]])
    for i, (ids, _) in zip([i for i in typos if fuzzy[i]], corrected, strict=True):
        conditions[i] = _lexemes(ids)
    for i in typos:
        if not fuzzy[i]:
            conditions[i] = NO_MATCH
    return conditions


def _lexemes(ids: list[int]) -> Condition:
    return Condition("r.lexemes && %s::integer[]", [ids], ids)


def _text(conditions: list[Condition], any_term: bool) -> tuple[str, list[Any]]:
    if not conditions:
        return "TRUE", []
    joiner = " OR " if any_term else " AND "
    return "(" + joiner.join(f"({c.sql})" for c in conditions) + ")", [p for c in conditions for p in c.params]


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


Counts = tuple[int, dict[str, list[tuple[str, str, str, int]]]]


def count(conditions: list[Condition], any_term: bool, chosen: dict[str, list[Any]]) -> Counts:
    """The total and every facet's counts (as ``facets.count``): from the bitmaps
    (``count_bits``, two statements) unless a word needs the LIKE fallback (``count_rows``,
    one statement over the search rows)."""
    if all(c.ids is not None for c in conditions):
        return count_bits(conditions, any_term, chosen)
    return count_rows(conditions, any_term, chosen)


class _Sets:
    """The sets of practices a search counts over, as bitmaps per chunk (SQL ``WITH`` parts).

    ``every``: the practices that meet the words and every chosen facet; ``without_<facet>``
    per chosen facet: the same without that facet's own choice (its counts are taken over
    it); ``words``: the practices with every word (any word when ``any_term``); and per
    chosen facet ``chosen_<facet>``: the practices with one of its chosen values."""

    def __init__(self, conditions: list[Condition], any_term: bool, chosen: dict[str, list[Any]]) -> None:
        self.ctes: list[str] = []
        self.params: list[Any] = []
        # Only indexed practices have bits, so the set of all of them is needed only when
        # there is nothing else to start from.
        parts = [] if conditions else [self._bitmap("indexed", ALL_KIND, [0])]
        if conditions and any_term:
            parts.append(self._bitmap("word", LEXEME_KIND, sorted({i for c in conditions for i in c.ids or []})))
        else:
            parts += [self._bitmap(f"word{i}", LEXEME_KIND, c.ids) for i, c in enumerate(conditions)]
        self._product("words", parts)
        self.picked: list[str] = []
        for name, values in chosen.items():
            cast = (
                "ARRAY(SELECT practices_evidence_key(v) FROM unnest(%s::text[]) v)"
                if name == "evidence"
                else "%s::integer[]"
            )
            self.picked.append(self._bitmap(f"chosen_{name}", KINDS[name], list(values), cast))
        self._product("every", ["words", *self.picked])
        for name in chosen:
            self._product(f"without_{name}", ["words", *(p for p in self.picked if p != f"chosen_{name}")])

    def _bitmap(self, name: str, kind: int, values: Any, cast: str = "%s::integer[]") -> str:
        self.ctes.append(
            f"{name} AS (SELECT chunk, bit_or(bits) AS b FROM practices_searchbits"  # noqa: S608
            f" WHERE kind = {kind} AND value = ANY({cast}) GROUP BY chunk)"
        )
        self.params.append(values)
        return name

    def _product(self, name: str, parts: list[str]) -> None:
        first, *rest = parts
        joins = "".join(f" JOIN {part} USING (chunk)" for part in rest)
        product = " & ".join(f"{part}.b" for part in parts)
        self.ctes.append(f"{name} AS (SELECT chunk, {product} AS b FROM {first}{joins})")  # noqa: S608

    def sizes(self) -> dict[str, int]:
        """How many practices each set holds, how many chunks there are (``chunks``) and how
        many values each facet has (``values_<facet>``). One statement, about a millisecond."""
        from samspill.practices.models import Practice

        names = ["words", "every", *self.picked, *(f"without_{p.removeprefix('chosen_')}" for p in self.picked)]
        counts = [f"SELECT '{name}', COALESCE(SUM(bit_count(b)), 0)::bigint FROM {name}" for name in names]  # noqa: S608
        counts.append(f"SELECT 'chunks', COUNT(*) FROM practices_searchbits WHERE kind = {ALL_KIND}")  # noqa: S608
        counts += [
            f"SELECT 'values_{name}', COUNT(*) FROM {table}"  # noqa: S608
            for name, (table, *_) in facets.value_tables().items()
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {', '.join(self.ctes)} {' UNION ALL '.join(counts)}", self.params)
            sizes = dict(cursor.fetchall())
        sizes["values_evidence"] = len(Practice.Evidence.values)
        return sizes


def count_bits(conditions: list[Condition], any_term: bool, chosen: dict[str, list[Any]]) -> Counts:
    """The total and every facet's counts from ``practices_searchbits`` (migration 0006) and,
    for small sets of practices, from their search rows. Two statements.

    Per chunk of 8 192 practice ids, the practices that have each word (the OR of its
    lexemes' bits), each chosen facet (the OR of its values' bits) and are indexed (kind 8);
    their AND is the set that meets everything (``_Sets``). The first statement reads how
    many practices each set holds: the total, and the size of the set each facet is counted
    over (the facets nobody chose over ``every``, a chosen one over the set without its own
    choice). The second counts each such pass one of two ways, whichever costs less:

    - by the bitmaps: a value's count is the sum over the chunks of ``bit_count(set & value)``,
      the same dozen chunk rows per value however many practices match (about 3 µs a chunk
      row; the 357 municipalities at 100 000 practices are 4 641 rows, about 15 ms);
    - by the search rows of the set's practices (found by the GIN indexes, then their facet
      arrays unnested): about 6 µs a practice, so for small sets. The rows are found by the
      words' index only when the words are rarer than the pass's chosen facets: a common
      word's posting list costs more to read (20 ms for 35 000 practices) than checking it
      on the few rows a rare facet value leaves.
    """
    sets = _Sets(conditions, any_term, chosen)
    sizes = sets.sizes()
    total = sizes["every"]
    out: dict[str, list[tuple[str, str, str, int]]] = {name: [] for name in facets.ALL}
    passes = [("every", [name for name in KINDS if name not in chosen], [*chosen])]
    passes += [(f"without_{name}", [name], [other for other in chosen if other != name]) for name in chosen]
    passes = [(source, counted, narrowing) for source, counted, narrowing in passes if counted and sizes[source]]
    if not passes:
        return total, out

    text_part = _text(conditions, any_term)
    ok = _chosen(chosen)
    names = {kind: name for name, kind in KINDS.items()}
    facet_name = "CASE s.kind " + " ".join(f"WHEN {kind} THEN '{name}'" for kind, name in names.items()) + " END"
    selects: list[str] = []
    params = list(sets.params)
    for source, counted, narrowing in passes:
        chunk_rows = sizes["chunks"] * sum(sizes[f"values_{name}"] for name in counted)
        if sizes[source] * ROW_COST > chunk_rows * CHUNK_ROW_COST:
            # Counted per chunk row before grouping (OFFSET 0), so only numbers are sorted.
            selects.append(
                "SELECT x.facet, x.v, SUM(x.n)::bigint FROM (SELECT"  # noqa: S608
                f" {facet_name} AS facet, s.value AS v, bit_count(e.b & s.bits) AS n FROM {source} e"
                f" JOIN practices_searchbits s ON s.chunk = e.chunk"
                f" AND s.kind IN ({', '.join(str(KINDS[name]) for name in counted)}) OFFSET 0) x GROUP BY x.facet, x.v"
            )
            continue
        words_sql, words_params = text_part
        if narrowing and sizes["words"] > min(sizes[f"chosen_{name}"] for name in narrowing):
            words_sql = f"({words_sql}) IS TRUE"  # not by the words' index
        where_sql, where_params = _where([(words_sql, words_params), *(ok[name] for name in narrowing)])
        values = " UNION ALL ".join(
            "SELECT 'evidence', practices_evidence_key(r.evidence)"
            if name == "evidence"
            else f"SELECT '{name}', unnest(r.{name})"
            for name in counted
        )
        selects.append(
            f"SELECT k.facet, k.v, COUNT(*) FROM practices_searchrow r CROSS JOIN LATERAL ({values}) k(facet, v)"  # noqa: S608
            f" WHERE {where_sql} GROUP BY k.facet, k.v"
        )
        params += where_params
    from samspill.practices.models import Practice

    sql = (
        f"WITH {', '.join(sets.ctes)}, counted (facet, v, n) AS ({' UNION ALL '.join(selects)}),"  # noqa: S608
        f" labels AS ({facets.labels_sql()}"
        " UNION ALL SELECT 'evidence', practices_evidence_key(v), v, '', '' FROM unnest(%s::text[]) v)"
        " SELECT c.facet, COALESCE(l.value, ''), COALESCE(l.label, ''), COALESCE(l.label_en, ''), c.n"
        " FROM counted c LEFT JOIN labels l ON l.facet = c.facet AND l.id = c.v WHERE c.n > 0"
    )
    params.append(list(Practice.Evidence.values))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, label, label_en, n in cursor.fetchall():
            if facet == "evidence":
                if value:
                    out[facet].append((value, "", "", n))
            elif label:
                out[facet].append((value, label, label_en, n))
    return total, out


def count_rows(conditions: list[Condition], any_term: bool, chosen: dict[str, list[Any]]) -> Counts:
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
    conditions: list[Condition],
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

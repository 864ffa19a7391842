"""Facet values on one narrow table, so a search filters and counts facets in one statement.

``practices_searchfacet`` holds a row (practice, facet, value id) per theme, focus area,
target group, municipality, county (through the municipalities) and organisation kind
(through the organisations) of every practice, whatever its status. It is rewritten from the
many-to-many tables when a practice's links change (``m2m_changed``), when an organisation or
a municipality changes (its kind or county may have), by ``index_practice`` and, for all
practices at once, by ``rebuild_index``. The evidence level is read from the practice itself.

The same SQL runs on SQLite and PostgreSQL; see ``count_statement``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from samspill.practices.search.base import Filters

TABLE = "practices_searchfacet"
PUBLISHED = "p.status = 'published'"
# Facet name → Filters attribute. "evidence" is a column of the practice, not a row here.
FILTERS = {
    "theme": "themes",
    "focus_area": "focus_areas",
    "target_group": "target_groups",
    "county": "counties",
    "municipality": "municipalities",
    "organisation_kind": "organisation_kinds",
    "evidence": "evidence",
}
ALL = tuple(FILTERS)


def value_tables() -> dict[str, tuple[str, str, str, str]]:
    """Facet name → (table of its values, public value column, Norwegian label, English label)."""
    from samspill.places.models import County, Municipality
    from samspill.taxonomy.models import FocusArea, OrganisationKind, TargetGroup, Theme

    return {
        "theme": (Theme._meta.db_table, "slug", "name", "name_en"),
        "focus_area": (FocusArea._meta.db_table, "slug", "name", "name_en"),
        "target_group": (TargetGroup._meta.db_table, "slug", "name", "name_en"),
        "county": (County._meta.db_table, "number", "name", "name"),
        "municipality": (Municipality._meta.db_table, "number", "name", "name"),
        "organisation_kind": (OrganisationKind._meta.db_table, "slug", "name", "name_en"),
    }


def _sources() -> dict[str, str]:
    """Facet name → SELECT of (pid, vid) rows from the many-to-many tables, with ``{where}``
    for a condition on the link table ``t``."""
    from samspill.places.models import Municipality
    from samspill.practices.models import Practice

    def m2m(name: str) -> tuple[str, str, str]:
        field = Practice._meta.get_field(name)
        return field.m2m_db_table(), field.m2m_column_name(), field.m2m_reverse_name()  # type: ignore[union-attr]

    sources = {}
    for facet, field in (
        ("theme", "themes"),
        ("focus_area", "focus_areas"),
        ("target_group", "target_groups"),
        ("municipality", "municipalities"),
    ):
        table, practice, value = m2m(field)
        sources[facet] = f"SELECT t.{practice} AS pid, t.{value} AS vid FROM {table} t {{where}}"  # noqa: S608
    table, practice, value = m2m("municipalities")
    sources["county"] = (
        f"SELECT DISTINCT t.{practice} AS pid, m.county_id AS vid FROM {table} t"  # noqa: S608
        f" JOIN {Municipality._meta.db_table} m ON m.id = t.{value} {{where}}"
    )
    organisation_table = Practice._meta.get_field("organisations").related_model._meta.db_table  # type: ignore[union-attr]
    table, practice, value = m2m("organisations")
    sources["organisation_kind"] = (
        f"SELECT DISTINCT t.{practice} AS pid, o.kind_id AS vid FROM {table} t"  # noqa: S608
        f" JOIN {organisation_table} o ON o.id = t.{value} {{where}}"
    )
    return sources


def refresh(practice_ids: Iterable[int] | None = None, *, rows: bool = True) -> None:
    """Rewrite the facet rows of these practices (of all practices when None) from their links,
    and (unless ``rows`` is false, when the caller indexes them next) the backend's search rows
    that carry the facets too (PostgreSQL's ``practices_searchrow``)."""
    from samspill.practices.models import Practice

    column = Practice._meta.get_field("themes").m2m_column_name()  # type: ignore[union-attr]
    chunks: list[list[int] | None] = [None]
    ids: list[int] | None = None
    if practice_ids is not None:
        ids = sorted(set(practice_ids))
        chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
    with connection.cursor() as cursor:
        for chunk in chunks:
            where, params = "", []
            if chunk is None:
                cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {TABLE} WHERE practice_id IN ({marks})", chunk)  # noqa: S608
                where, params = f"WHERE t.{column} IN ({marks})", chunk
            for facet, source in _sources().items():
                # The same column name in every link table: Django names it after the model.
                cursor.execute(
                    f"INSERT INTO {TABLE} (practice_id, facet, value_id)"  # noqa: S608
                    f" SELECT s.pid, %s, s.vid FROM ({source.format(where=where)}) s WHERE s.vid IS NOT NULL",
                    [facet, *params],
                )
    if rows:
        from samspill.practices.search.engine import backend

        sync = getattr(backend(), "sync", None)
        if sync is not None:
            sync(ids)


def chosen_values(filters: Filters) -> dict[str, list[Any]]:
    """Per facet with chosen values: the ids of the chosen values (the evidence levels
    themselves for "evidence"); an empty list when none of them exists. The ids are read in
    one small statement, so the PostgreSQL planner sees constants (it misjudged a subquery)."""
    values = value_tables()
    chosen = {facet: list(getattr(filters, attr)) for facet, attr in FILTERS.items() if getattr(filters, attr)}
    lookups = []
    for facet, chosen_values in chosen.items():
        if facet != "evidence":
            table, column = values[facet][:2]
            marks = ", ".join(["%s"] * len(chosen_values))
            lookups.append((f"SELECT '{facet}', v.id FROM {table} v WHERE v.{column} IN ({marks})", chosen_values))  # noqa: S608
    ids: dict[str, list[Any]] = {facet: [] for facet in chosen}
    if lookups:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(sql for sql, _ in lookups), [p for _, ps in lookups for p in ps])
            for facet, value_id in cursor.fetchall():
                ids[facet].append(value_id)
    if "evidence" in chosen:
        ids["evidence"] = chosen["evidence"]
    return ids


def flags(chosen: dict[str, list[Any]]) -> dict[str, tuple[str, list[Any]]]:
    """Per chosen facet (``chosen_values``): a condition that practice ``p`` has one of the values."""
    out: dict[str, tuple[str, list[Any]]] = {}
    for facet, ids in chosen.items():
        if not ids:
            out[facet] = ("1 = 0", [])  # none of the chosen values exists
        elif facet == "evidence":
            out[facet] = (f"p.evidence_level IN ({', '.join(['%s'] * len(ids))})", ids)
        else:
            out[facet] = (
                f"p.id IN (SELECT f.practice_id FROM {TABLE} f WHERE f.facet = %s"  # noqa: S608
                f" AND f.value_id IN ({', '.join(['%s'] * len(ids))}))",
                [facet, *ids],
            )
    return out


def labels_sql() -> str:
    """(facet, id, value, label, label_en) of every facet value but the evidence levels."""
    return " UNION ALL ".join(
        f"SELECT '{facet}' AS facet, v.id AS id, v.{column} AS value, v.{nb} AS label, v.{en} AS label_en"  # noqa: S608
        f" FROM {table} v"
        for facet, (table, column, nb, en) in value_tables().items()
    )


def count(
    base: tuple[str, list[Any]], chosen: dict[str, tuple[str, list[Any]]]
) -> tuple[int, dict[str, list[tuple[str, str, str, int]]]]:
    """How many practices ``p`` meet ``base`` and every chosen facet, and per facet its values
    as (value, Norwegian label, English label, count) among the practices that meet ``base``
    and the other facets (a facet's own choice does not narrow its counts). One statement:
    each practice is read once with a 0/1 column per chosen facet; only practices that miss
    at most one chosen facet can count anywhere, so the rest are dropped before the join."""
    base_sql, base_params = base
    names = list(chosen)  # constants from FILTERS, safe in SQL text
    columns = "".join(f", CASE WHEN {sql} THEN 1 ELSE 0 END AS ok_{name}" for name, (sql, _) in chosen.items())
    column_params = [param for _, params in chosen.values() for param in params]

    def every(skip: str | None = None) -> str:
        return " AND ".join(f"m.ok_{n} = 1" for n in names if n != skip) or "1 = 1"

    near = ("(" + " + ".join(f"(1 - ok_{n})" for n in names) + ") <= 1") if names else "1 = 1"
    # A facet row counts when the practice meets every chosen facet but the row's own.
    per_row = (
        " AND ".join(f"m.ok_{n} = 1" if n == "evidence" else f"(f.facet = '{n}' OR m.ok_{n} = 1)" for n in names)
        or "1 = 1"
    )
    labels = labels_sql()
    # Each matching practice's rows by the (practice, facet, value) index. PostgreSQL would
    # otherwise hash the whole table (every practice's facets) for every search.
    join = f"JOIN {TABLE} f ON f.practice_id = m.id"
    if connection.vendor == "postgresql":
        join = (
            f"CROSS JOIN LATERAL (SELECT f.facet, f.value_id FROM {TABLE} f"  # noqa: S608
            " WHERE f.practice_id = m.id OFFSET 0) f"
        )
    sql = (
        f"WITH matched AS (SELECT p.id, p.evidence_level{columns} FROM practices_practice p WHERE {base_sql}),"  # noqa: S608
        f" near AS (SELECT * FROM matched WHERE {near}),"
        f" counted AS (SELECT f.facet, f.value_id, COUNT(*) AS n FROM near m {join}"
        f" WHERE {per_row} GROUP BY f.facet, f.value_id),"
        f" labels AS ({labels})"
        f" SELECT 'total', '', '', '', COUNT(*) FROM near m WHERE {every()}"
        f" UNION ALL SELECT 'evidence', m.evidence_level, '', '', COUNT(*) FROM near m WHERE {every('evidence')}"
        " GROUP BY m.evidence_level"
        " UNION ALL SELECT c.facet, l.value, l.label, l.label_en, c.n FROM counted c"
        " JOIN labels l ON l.facet = c.facet AND l.id = c.value_id"
    )
    total = 0
    out: dict[str, list[tuple[str, str, str, int]]] = {name: [] for name in ALL}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*column_params, *base_params])
        for facet, value, label, label_en, n in cursor.fetchall():
            if facet == "total":
                total = n
            elif n:
                out[facet].append((value, label, label_en, n))
    return total, out


def where(text_condition: tuple[str, list[Any]], chosen: dict[str, list[Any]]) -> tuple[str, list[Any]]:
    """A condition on practice ``p``: published, ``text_condition`` (`` AND …`` or empty) and
    every chosen facet."""
    text_sql, text_params = text_condition
    conditions = flags(chosen)
    sql = PUBLISHED + text_sql + "".join(f" AND {sql}" for sql, _ in conditions.values())
    return sql, [*text_params, *(param for _, ps in conditions.values() for param in ps)]


def ordered_ids(condition: tuple[str, list[Any]], sort: str, limit: int, offset: int) -> list[int]:
    """One page of the ids of the practices ``p`` that meet ``condition``, newest first or
    (``sort == "adopted"``) most adopted first."""
    sql, params = condition
    order = "p.adoption_count DESC, " if sort == "adopted" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id FROM practices_practice p WHERE {sql}"  # noqa: S608
            f" ORDER BY {order}p.published_at DESC NULLS LAST, p.id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


# --- Keeping the table current ------------------------------------------------------


def _links_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None, **kwargs: Any) -> None:
    from samspill.practices.models import Practice

    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            refresh([instance.pk])
        return
    # theme.practices.add(...) and the like: pk_set holds practice ids, except on clear.
    if action == "pre_clear":
        through = Practice._meta.get_field(_FIELDS[sender]).remote_field.through  # type: ignore[union-attr]
        reverse_column = Practice._meta.get_field(_FIELDS[sender]).m2m_reverse_field_name()  # type: ignore[union-attr]
        instance._practices_before_clear = list(
            through.objects.filter(**{reverse_column: instance.pk}).values_list("practice_id", flat=True)
        )
    elif action == "post_clear":
        refresh(getattr(instance, "_practices_before_clear", []))
    elif action in ("post_add", "post_remove"):
        refresh(pk_set or [])


def _linked_practices(model_field: str, instance: Any) -> list[int]:
    from samspill.practices.models import Practice

    field = Practice._meta.get_field(model_field)
    through = field.remote_field.through  # type: ignore[union-attr]
    return list(
        through.objects.filter(**{field.m2m_reverse_field_name(): instance.pk}).values_list(  # type: ignore[union-attr]
            "practice_id", flat=True
        )
    )


def _place_or_organisation_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # A municipality's county or an organisation's kind may have changed.
    if not raw and instance.pk:
        refresh(_linked_practices(_FIELDS_BY_MODEL[sender], instance))


def _organisation_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    instance._practices_before_delete = _linked_practices("organisations", instance)


def _organisation_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    refresh(getattr(instance, "_practices_before_delete", []))


_FIELDS: dict[Any, str] = {}
_FIELDS_BY_MODEL: dict[Any, str] = {}


def connect() -> None:
    """Called by PracticesConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from samspill.practices.models import Practice

    for name in ("themes", "focus_areas", "target_groups", "municipalities", "organisations"):
        field = Practice._meta.get_field(name)
        through = field.remote_field.through  # type: ignore[union-attr]
        _FIELDS[through] = name
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"practices-searchfacet-{name}")
    for name in ("municipalities", "organisations"):
        model = Practice._meta.get_field(name).related_model
        _FIELDS_BY_MODEL[model] = name
        post_save.connect(_place_or_organisation_saved, sender=model, dispatch_uid=f"practices-searchfacet-{name}")
    organisation = Practice._meta.get_field("organisations").related_model
    pre_delete.connect(_organisation_deleting, sender=organisation, dispatch_uid="practices-searchfacet-org-pre")
    post_delete.connect(_organisation_deleted, sender=organisation, dispatch_uid="practices-searchfacet-org-post")

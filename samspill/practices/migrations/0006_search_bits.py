"""PostgreSQL: bitmaps per lexeme and per facet value, for the facet counts of a search.

``practices_searchbits`` holds, per key — a lexeme id (kind 0), a facet value id (kinds 1–6:
theme, focus area, target group, county, municipality, organisation kind), an evidence level
(kind 7, the value ``practices_evidence_key(level)``, the first 32 bits of its MD5, stable
across PostgreSQL versions) or every indexed practice (kind 8, value 0) — and per
chunk of 8 192 practice ids, a ``bit(8192)`` whose bit ``id % 8192`` is set when practice
``id`` has that key. A facet count is then ``bit_count(words & other facets & value)`` over
a dozen chunks, whatever the number of matching practices (see
samspill/practices/search/postgres.py).

The bitmaps are derived from ``practices_searchrow`` by statement-level triggers (insert,
update, delete, truncate), so every way the rows change keeps them exact. The writers take a
transaction-level advisory lock, so concurrent writers queue instead of deadlocking on the
shared chunk rows. The SQL is frozen here; filled from the existing rows.
"""

# ruff: noqa: E501
from django.db import migrations

# pg_advisory_xact_lock key of the writers of practices_searchbits.
LOCK = 4_211_006

EVIDENCE_KEY = """
CREATE OR REPLACE FUNCTION practices_evidence_key(level text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ('x' || left(md5(level), 8))::bit(32)::integer $$
"""

KEYS = """
CREATE OR REPLACE FUNCTION practices_searchkeys(lexemes integer[], theme integer[], focus_area integer[],
  target_group integer[], county integer[], municipality integer[], organisation_kind integer[], evidence text)
RETURNS TABLE (kind smallint, value integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 0::smallint, unnest(lexemes)
  UNION ALL SELECT 1::smallint, unnest(theme)
  UNION ALL SELECT 2::smallint, unnest(focus_area)
  UNION ALL SELECT 3::smallint, unnest(target_group)
  UNION ALL SELECT 4::smallint, unnest(county)
  UNION ALL SELECT 5::smallint, unnest(municipality)
  UNION ALL SELECT 6::smallint, unnest(organisation_kind)
  UNION ALL SELECT 7::smallint, practices_evidence_key(evidence)
  UNION ALL SELECT 8::smallint, 0
$$
"""

# The keys of search row r.
KEYS_OF_R = (
    "practices_searchkeys(r.lexemes, r.theme, r.focus_area, r.target_group, r.county, r.municipality,"
    " r.organisation_kind, r.evidence)"
)
# (practice_id, kind, value) of a set of search rows.
KEYS_OF = "(SELECT r.practice_id, k.kind, k.value FROM {rows} r, " + KEYS_OF_R + " k)"
# (kind, value, chunk, mask) of a set of (practice_id, kind, value): the practices' bits per key and chunk.
MASKS = (
    "SELECT g.kind, g.value, g.practice_id >> 13 AS chunk,"
    " bit_or(set_bit(0::bit(8192), g.practice_id & 8191, 1)) AS mask FROM {keys} g GROUP BY 1, 2, 3"
)
SET_BITS = (
    "INSERT INTO practices_searchbits AS b (kind, value, chunk, bits) SELECT * FROM (" + MASKS + " ORDER BY 1, 2, 3) m"
    " ON CONFLICT (kind, value, chunk) DO UPDATE SET bits = b.bits | EXCLUDED.bits"
)
CLEAR_BITS = (
    "UPDATE practices_searchbits b SET bits = b.bits & ~m.mask FROM (" + MASKS + ") m"
    " WHERE b.kind = m.kind AND b.value = m.value AND b.chunk = m.chunk"
)
# The keys of the updated rows before and after the statement.
BEFORE_AFTER = f"WITH o AS {KEYS_OF.format(rows='old_rows')}, n AS {KEYS_OF.format(rows='new_rows')} "

TRIGGERS = [
    "CREATE TABLE IF NOT EXISTS practices_searchbits (kind smallint NOT NULL, value integer NOT NULL,"
    " chunk integer NOT NULL, bits bit(8192) NOT NULL, PRIMARY KEY (kind, value, chunk))",
    EVIDENCE_KEY,
    KEYS,
    "CREATE OR REPLACE FUNCTION practices_searchbits_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" PERFORM pg_advisory_xact_lock({LOCK}); "
    + SET_BITS.format(keys=KEYS_OF.format(rows="new_rows"))
    + "; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION practices_searchbits_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" PERFORM pg_advisory_xact_lock({LOCK});"
    # Emptied first (rebuild_index): nothing to clear.
    " IF NOT EXISTS (SELECT 1 FROM practices_searchbits) THEN RETURN NULL; END IF; "
    + CLEAR_BITS.format(keys=KEYS_OF.format(rows="old_rows"))
    + "; RETURN NULL; END $$",
    # Only the keys that changed: a new date or adoption count changes no bit.
    "CREATE OR REPLACE FUNCTION practices_searchbits_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    f" PERFORM pg_advisory_xact_lock({LOCK});"
    " "
    + BEFORE_AFTER
    + CLEAR_BITS.format(keys="(SELECT * FROM o EXCEPT SELECT * FROM n)")
    + "; "
    + BEFORE_AFTER
    + SET_BITS.format(keys="(SELECT * FROM n EXCEPT SELECT * FROM o)")
    + ";"
    " RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION practices_searchbits_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " TRUNCATE practices_searchbits; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS practices_searchbits_inserted ON practices_searchrow",
    "CREATE TRIGGER practices_searchbits_inserted AFTER INSERT ON practices_searchrow"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION practices_searchbits_inserted()",
    "DROP TRIGGER IF EXISTS practices_searchbits_updated ON practices_searchrow",
    "CREATE TRIGGER practices_searchbits_updated AFTER UPDATE ON practices_searchrow"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION practices_searchbits_updated()",
    "DROP TRIGGER IF EXISTS practices_searchbits_deleted ON practices_searchrow",
    "CREATE TRIGGER practices_searchbits_deleted AFTER DELETE ON practices_searchrow"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION practices_searchbits_deleted()",
    "DROP TRIGGER IF EXISTS practices_searchbits_truncated ON practices_searchrow",
    "CREATE TRIGGER practices_searchbits_truncated AFTER TRUNCATE ON practices_searchrow"
    " FOR EACH STATEMENT EXECUTE FUNCTION practices_searchbits_truncated()",
    "DELETE FROM practices_searchbits",
    SET_BITS.format(keys=KEYS_OF.format(rows="practices_searchrow")),
]
DROP = [
    "DROP TRIGGER IF EXISTS practices_searchbits_inserted ON practices_searchrow",
    "DROP TRIGGER IF EXISTS practices_searchbits_updated ON practices_searchrow",
    "DROP TRIGGER IF EXISTS practices_searchbits_deleted ON practices_searchrow",
    "DROP TRIGGER IF EXISTS practices_searchbits_truncated ON practices_searchrow",
    "DROP FUNCTION IF EXISTS practices_searchbits_inserted()",
    "DROP FUNCTION IF EXISTS practices_searchbits_updated()",
    "DROP FUNCTION IF EXISTS practices_searchbits_deleted()",
    "DROP FUNCTION IF EXISTS practices_searchbits_truncated()",
    "DROP FUNCTION IF EXISTS practices_searchkeys(integer[], integer[], integer[], integer[], integer[], integer[], integer[], text)",
    "DROP FUNCTION IF EXISTS practices_evidence_key(text)",
    "DROP TABLE IF EXISTS practices_searchbits",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in TRIGGERS:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("practices", "0005_search_rows")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""Search index tables, per database (see samspill/practices/search/ and docs/decisions/0005).

PostgreSQL: pg_trgm, a table with a weighted tsvector (GIN) and the folded words (GIN
gin_trgm_ops). SQLite: FTS5 tables over Snowball stems and trigrams, and an fts5vocab view.
The SQL is frozen here; the backends insert and query these tables.
"""

# ruff: noqa: E501
from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS practices_searchdoc ( practice_id integer PRIMARY KEY REFERENCES practices_practice (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, document tsvector NOT NULL, title_words text NOT NULL, words text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS practices_searchdoc_document ON practices_searchdoc USING gin (document)",
    "CREATE INDEX IF NOT EXISTS practices_searchdoc_words ON practices_searchdoc USING gin (words gin_trgm_ops)",
]
POSTGRESQL_DROP = ["DROP TABLE IF EXISTS practices_searchdoc"]
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_search USING fts5(title, summary, body, words, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_search_tri USING fts5(title, words, tokenize = 'trigram')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_search_vocab USING fts5vocab(practices_search, 'row')",
]
SQLITE_DROP = [
    "DROP TABLE IF EXISTS practices_search_vocab",
    "DROP TABLE IF EXISTS practices_search_tri",
    "DROP TABLE IF EXISTS practices_search",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})


def drop(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

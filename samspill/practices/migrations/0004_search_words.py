"""PostgreSQL: the vocabulary of the search index (every folded word, with a trigram index),
looked up for parts of compounds and typos instead of scanning every practice's words."""

from django.db import migrations

POSTGRESQL = [
    'CREATE TABLE IF NOT EXISTS practices_searchword (word text COLLATE "C" PRIMARY KEY)',
    "CREATE INDEX IF NOT EXISTS practices_searchword_trgm ON practices_searchword USING gin (word gin_trgm_ops)",
    "INSERT INTO practices_searchword (word) SELECT DISTINCT unnest(string_to_array(words, ' '))"
    " FROM practices_searchdoc ON CONFLICT DO NOTHING",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS practices_searchword")


class Migration(migrations.Migration):
    dependencies = [("practices", "0003_search_facets")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

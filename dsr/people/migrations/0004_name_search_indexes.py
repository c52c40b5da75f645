"""Trigram indexes for finding a person by part of a name, on PostgreSQL only.

The search (dsr.people.search) looks for each word anywhere in the given, family or preferred name, which
Django's `icontains` writes on PostgreSQL as `UPPER("column"::text) LIKE UPPER('%word%')`. A B-tree index
cannot serve a pattern that starts with a wildcard; a GIN trigram index on that exact expression can, so
a search of the country's people reads only the rows that match. pg_trgm is a trusted extension: the
database's owner may create it. Undoing the migration drops the indexes and leaves the extension, which
other objects may use. SQLite, the embedded database of a laptop or a demo, has neither, and reads its few
people instead.
"""

from django.db import migrations

NAME_COLUMNS = ("given_name", "family_name", "preferred_name")


def create_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in NAME_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "person_{column}_trgm" ON "people_person" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_name_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAME_COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "person_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_list_indexes"),
    ]

    operations = [
        migrations.RunPython(create_name_indexes, drop_name_indexes),
    ]

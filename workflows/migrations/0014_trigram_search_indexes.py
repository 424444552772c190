"""Trigram indexes (pg_trgm) on the folded text the audit filters and the document search
look in, so "contains" searches stay fast at millions of events. PostgreSQL only: SQLite
has no such index and scans, which is fine at its scale. CREATE EXTENSION needs the
database owner (pg_trgm is a trusted extension since PostgreSQL 13)."""

from django.db import migrations

INDEXES = (
    ("workflows_auditevent", "comment_folded", "workflows_audit_comment_trgm"),
    ("workflows_auditevent", "actor_name", "workflows_audit_actor_trgm"),
    ("workflows_document", "search_folded", "workflows_document_search_trgm"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0013_verification_link")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

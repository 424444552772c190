"""The inspector's person filter by name is `actor_name__icontains`, which PostgreSQL runs
as UPPER(actor_name) LIKE UPPER('%…%'): a trigram index on the bare column (0014) cannot
serve it, one on UPPER(actor_name) does. 0014 also indexed the folded comment and the
document search text a second time (0009 had): every audit append kept two identical GIN
indexes up to date. PostgreSQL only, and only where pg_trgm could be installed."""

from django.db import migrations

ACTOR = "workflows_audit_actor_upper_trgm"
# Made by 0014: the bare actor name, and copies of 0009's indexes.
REPLACED = (
    ("workflows_auditevent", "actor_name", "workflows_audit_actor_trgm"),
    ("workflows_auditevent", "comment_folded", "workflows_audit_comment_trgm"),
    ("workflows_document", "search_folded", "workflows_document_search_trgm"),
)


def _has_trgm(schema_editor) -> bool:
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def create(apps, schema_editor):
    if not _has_trgm(schema_editor):
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {ACTOR} ON workflows_auditevent "
        "USING gin (UPPER(actor_name) gin_trgm_ops)"
    )
    for _table, _column, name in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps, schema_editor):
    if not _has_trgm(schema_editor):
        return
    for table, column, name in REPLACED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )
    schema_editor.execute(f"DROP INDEX IF EXISTS {ACTOR}")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0015_signed_state_and_office_issue")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

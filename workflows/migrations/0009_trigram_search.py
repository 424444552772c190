from django.db import migrations, transaction

# The folded columns that searches match anywhere in ("%word%"): a B-tree cannot help
# with that, a trigram index can. PostgreSQL only; SQLite scans, as before.
INDEXES = {
    "workflows_auditevent_comment_folded_trgm": ("workflows_auditevent", "comment_folded"),
    "workflows_document_search_folded_trgm": ("workflows_document", "search_folded"),
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may
            # create it. Without it the searches still work, only without the index.
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001
            return
        for name, (table, column) in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0008_compose_comments")]

    operations = [migrations.RunPython(create, drop)]

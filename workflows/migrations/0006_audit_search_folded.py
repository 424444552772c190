from django.db import migrations

import workflows.audit_db


def refold(apps, schema_editor):
    """The search copy of each comment, folded as verify_audit now checks it (without
    diacritics, not only case-folded). The append-only triggers are lifted for this one
    backfill of a derived column and put back; the hashed fields are not touched."""
    from organisation.text import fold

    AuditEvent = apps.get_model("workflows", "AuditEvent")
    connection = schema_editor.connection
    workflows.audit_db.remove(connection)
    try:
        events = AuditEvent._base_manager.exclude(comment="")
        rows = events.values_list("pk", "comment", "comment_folded")
        for pk, comment, folded in rows.iterator(chunk_size=5000):
            if folded != fold(comment):
                AuditEvent._base_manager.filter(pk=pk).update(comment_folded=fold(comment))
    finally:
        workflows.audit_db.install(connection)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_audit_search")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]

from django.db import migrations


def compose(apps, schema_editor):
    """Comments in NFC, as the forms now store them. Revisions are left as they are (a
    signed revision's hash covers its text), and so is the append-only, hashed trail."""
    from organisation.text import compose_rows

    compose_rows(apps.get_model("workflows", "Comment").objects.all(), ("body", "anchor"))


class Migration(migrations.Migration):
    dependencies = [("workflows", "0007_document_search")]

    operations = [migrations.RunPython(compose, migrations.RunPython.noop)]

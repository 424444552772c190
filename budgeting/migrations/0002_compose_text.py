from django.db import migrations

# The content of issued (and superseded) documents is left exactly as it was signed.
SIGNED = ("issued", "superseded")


def compose(apps, schema_editor):
    """Existing text in NFC, as the forms and the spreadsheet import now store it: text
    typed decomposed (NFD) before would otherwise stay invisible to searches."""
    from organisation.text import compose_rows

    Estimate = apps.get_model("budgeting", "Estimate")
    open_estimates = Estimate.objects.exclude(document__state__in=SIGNED)
    compose_rows(open_estimates, ("justification",))
    compose_rows(
        apps.get_model("budgeting", "LineItem").objects.filter(estimate__in=open_estimates),
        ("content", "unit", "note"),
    )


class Migration(migrations.Migration):
    dependencies = [("budgeting", "0001_initial"), ("workflows", "0008_compose_comments")]

    operations = [migrations.RunPython(compose, migrations.RunPython.noop)]

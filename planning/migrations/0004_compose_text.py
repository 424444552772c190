from django.db import migrations

# The content of issued (and superseded) documents is left exactly as it was signed.
SIGNED = ("issued", "superseded")


def compose(apps, schema_editor):
    """Existing text in NFC, as the forms and the spreadsheet import now store it: text
    typed decomposed (NFD) before would otherwise stay invisible to searches."""
    from organisation.text import compose_rows

    Plan = apps.get_model("planning", "Plan")
    open_plans = Plan.objects.exclude(document__state__in=SIGNED)
    compose_rows(open_plans, ("sections",))
    compose_rows(
        apps.get_model("planning", "Objective").objects.filter(plan__in=open_plans),
        ("indicator", "baseline", "target_value"),
    )
    compose_rows(
        apps.get_model("planning", "PlanTask").objects.filter(plan__in=open_plans),
        ("name", "lead_unit", "coordinating_units"),
    )
    compose_rows(apps.get_model("planning", "Guidance").objects.all(), ("instructions",))


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_guidance"), ("workflows", "0008_compose_comments")]

    operations = [migrations.RunPython(compose, migrations.RunPython.noop)]

from django.db import migrations

# The content of issued (and superseded) documents is left exactly as it was signed.
SIGNED = ("issued", "superseded")


def compose(apps, schema_editor):
    """Existing text in NFC, as the forms and the spreadsheet import now store it: text
    typed decomposed (NFD) before would otherwise stay invisible to searches."""
    from organisation.text import compose_rows

    Standard = apps.get_model("standards", "Standard")
    open_standards = Standard.objects.exclude(document__state__in=SIGNED)
    compose_rows(open_standards, ("sections",))
    compose_rows(
        apps.get_model("standards", "RequirementItem").objects.filter(
            standard__in=open_standards
        ),
        ("text",),
    )
    for name in ("Module", "PositionGroup"):
        compose_rows(apps.get_model("standards", name).objects.all(), ("name_vi", "name_en"))
    compose_rows(
        apps.get_model("standards", "Certificate").objects.all(), ("issuing_body", "number")
    )


class Migration(migrations.Migration):
    dependencies = [("standards", "0002_modules"), ("workflows", "0008_compose_comments")]

    operations = [migrations.RunPython(compose, migrations.RunPython.noop)]

"""The module catalogue of Circular 03/2014/TT-BTTTT (skills standard for IT use)."""

from django.db import migrations

from standards import catalogue




def load(apps, schema_editor):
    catalogue.load(apps.get_model("standards", "Module"))


def unload(apps, schema_editor):
    apps.get_model("standards", "Module").objects.filter(
        code__in=[m[0] for m in catalogue.MODULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

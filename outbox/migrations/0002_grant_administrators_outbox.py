"""Existing deployments already have the administrator group, which `migrate` does not
touch again: give it the outbox's view and change permissions here (new deployments get
them from organisation.roles)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    create_permissions(global_apps.get_app_config("outbox"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="outbox", codename__in=["view_mail", "change_mail"]
    )
    for group in Group.objects.filter(name="administrator"):
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_create_mail_outbox"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

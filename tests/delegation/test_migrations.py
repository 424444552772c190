"""Existing databases already have the role groups, which sync_roles leaves as they are:
the migration gives the new permission to the Minister and the administrators."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from organisation import roles

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("organisation.migrations.0005_record_delegations_permission")


def test_existing_minister_and_administrator_groups_get_the_permission():
    roles.sync_roles()
    for name in (roles.MINISTER, roles.ADMINISTRATOR, roles.VICE_MINISTER):
        Group.objects.get(name=name).permissions.remove(
            *Permission.objects.filter(codename="record_delegations")
        )

    MIGRATION.grant(apps, None)

    holders = set(
        Group.objects.filter(permissions__codename="record_delegations").values_list(
            "name", flat=True
        )
    )
    assert holders == {roles.MINISTER, roles.ADMINISTRATOR}


def test_a_new_database_without_groups_is_left_to_sync_roles():
    Group.objects.all().delete()
    MIGRATION.grant(apps, None)
    assert not Group.objects.exists()

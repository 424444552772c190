from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisation import roles
from organisation.demo import DEMO_PASSWORD, PEOPLE
from organisation.models import Person, Unit

pytestmark = pytest.mark.django_db


def test_demo_creates_the_units_and_one_account_per_role():
    call_command("load_demo", stdout=StringIO())
    assert set(Unit.objects.values_list("code", flat=True)) == {
        "TTTT",
        "KH",
        "TCCB",
        "VP",
        "LD",
        "TDKT",
        "TTr",
    }
    assert {role for *_x, role in PEOPLE} == set(roles.ROLES)
    for username, full_name, unit, *_rest, role in PEOPLE:
        person = Person.objects.get(username=username)
        assert person.full_name == full_name
        assert person.unit.code == unit
        assert person.check_password(DEMO_PASSWORD)
        assert list(person.groups.values_list("name", flat=True)) == [role]


def test_demo_runs_twice_and_keeps_changes():
    call_command("load_demo", stdout=StringIO())
    Person.objects.filter(username="botruong").update(full_name="Đã đổi tên")
    call_command("load_demo", stdout=StringIO())
    assert Person.objects.filter(username="botruong").get().full_name == "Đã đổi tên"
    assert Person.objects.count() == len(PEOPLE)
    assert Unit.objects.count() == 7


def test_demo_refuses_to_run_under_production_settings(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not Person.objects.exists()

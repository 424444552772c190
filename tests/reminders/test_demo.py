from io import StringIO

import pytest
from django.core.management import call_command

from organisation.models import Unit
from reminders.demo import read
from reminders.models import ReminderSettings

pytestmark = pytest.mark.django_db


def test_the_demo_names_the_heads_of_unit_and_the_office_for_signatures(demo):
    heads = dict(Unit.objects.filter(head__isnull=False).values_list("code", "head__username"))
    assert heads == read()["heads"]
    assert ReminderSettings.load().leadership_unit.code == "VP"


def test_the_demo_keeps_a_head_an_administrator_chose(demo):
    kh = Unit.objects.get(code="KH")
    kh.head = kh.people.get(username="daont")
    kh.save()
    call_command("load_demo", stdout=StringIO())
    assert Unit.objects.get(code="KH").head.username == "daont"

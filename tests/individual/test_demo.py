"""The demo links each person-level indicator of the demo criteria set to a measure."""

from io import StringIO

import pytest
from django.core.management import call_command

from individual import demo
from individual.models import IndicatorMeasure
from reporting import demo as criteria_demo

pytestmark = pytest.mark.django_db


def test_every_person_level_demo_indicator_has_a_measure():
    data = criteria_demo.read()
    personal = {
        i["code"] for g in data["groups"] for i in g["indicators"] if i["applies_to"] != "units"
    }
    assert set(demo.read()) == personal


@pytest.mark.usefixtures("demo")
def test_load_demo_creates_the_links_once():
    call_command("load_demo", stdout=StringIO())
    assert IndicatorMeasure.objects.count() == len(demo.read())

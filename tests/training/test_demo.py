"""The demo training loads through the services: a planned course with a waiting list,
a finished one whose passes closed gaps; loading twice changes nothing."""

from __future__ import annotations

import pytest

from organisation.demo import load_staff
from standards import demo as standards_demo
from training import demo
from training.models import Course, Enrolment

pytestmark = pytest.mark.usefixtures("standard")


def test_demo_courses_load_once():
    load_staff()
    standards_demo.load_groups()
    assert demo.load_demo() == "demo courses: 2"
    planned, closed = (
        Course.objects.get(status="planned"),
        Course.objects.get(status="closed"),
    )
    assert planned.enrolments.filter(status=Enrolment.Status.WAITING).count() == 1
    assert closed.enrolments.filter(result="passed", certificate__isnull=False).count() == 2
    assert demo.load_demo() == "demo courses: 0"
    assert Course.objects.count() == 2

"""The course, gap and enrolment pages run a fixed number of queries, whatever the
number of people lacking a module or enrolled."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import Person, Unit
from standards.models import Membership, PositionGroup
from tests.standards.conftest import client_for
from tests.training.conftest import ORGANISER
from training.models import Attendance, Enrolment

pytestmark = pytest.mark.usefixtures("course")


def add_people(course, n: int, start: int) -> None:
    """n specialists of KH lacking IU01–IU06, half of them enrolled (the rest waiting),
    with attendance at the first session."""
    unit = Unit.objects.get(code="KH")
    group = PositionGroup.objects.get(code="CHUYENVIEN")
    people = Person.objects.bulk_create(
        Person(
            username=f"kh{start + i:05d}",
            full_name=f"Trần Văn {start + i:05d}",
            unit=unit,
            email=f"kh{start + i}@example.gov.vn",
            password="!",  # noqa: S106 (unusable)
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(Membership(person=p, group=group) for p in people)
    organiser = Person.objects.get(username=ORGANISER)
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            course=course,
            person=p,
            status="enrolled" if i % 2 else "waiting",
            nominated_by=organiser,
        )
        for i, p in enumerate(people)
    )
    session = course.sessions.first()
    Attendance.objects.bulk_create(
        Attendance(enrolment=e, session=session, present=True)
        for e in enrolments
        if e.status == "enrolled"
    )


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_pages_run_a_fixed_number_of_queries(course):
    client = client_for(ORGANISER)
    urls = [
        reverse("training:list"),
        reverse("training:gaps"),
        reverse("training:course", args=[course.pk]),
        reverse("training:export", args=[course.pk]),
    ]
    add_people(course, 10, 0)
    small = [count(client, u) for u in urls]
    add_people(course, 300, 10)
    large = [count(client, u) for u in urls]
    assert large == small, list(zip(urls, small, large, strict=True))


def test_my_skills_with_courses_runs_a_fixed_number_of_queries(course, standard):
    from tests.training.conftest import make_course

    client = client_for("daont")
    person = Person.objects.get(username="daont")
    organiser = Person.objects.get(username=ORGANISER)
    Enrolment.objects.create(
        course=course, person=person, status="enrolled", nominated_by=organiser
    )
    small = count(client, reverse("standards:my_skills"))
    for i in range(5):
        other = make_course(title=f"Khóa {i}")
        Enrolment.objects.create(
            course=other, person=person, status="enrolled", nominated_by=organiser
        )
    assert count(client, reverse("standards:my_skills")) == small

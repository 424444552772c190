"""Concurrent clicks on real parallel connections (PostgreSQL): the same person enrolled
twice at once, and two people racing for the last seat. Exactly one wins each time;
the other is told why (never a 500), and capacity holds."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.training.conftest import HEAD_KH, KH_STAFF, ORGANISER, make_course
from tests.workflows import helpers as h
from tests.workflows.test_concurrency import together
from training import services
from training.models import Enrolment
from workflows.models import AuditEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("heads"),
]


def enrolling(username, course, person):
    user = h.person(username)
    user.get_all_permissions()  # warm the permission cache before the barrier

    def call():
        with translation.override("en"):
            return services.enrolment_add(user=user, course_id=course.pk, person_id=person.pk)

    return call


def outcomes(results):
    return sorted(r.status if isinstance(r, Enrolment) else type(r).__name__ for r in results)


def test_the_same_person_enrolled_twice_at_once():
    course = make_course(capacity=5)
    person = h.person(KH_STAFF[0])
    results = together(enrolling(ORGANISER, course, person), enrolling(HEAD_KH, course, person))
    assert outcomes(results) == ["InvalidInput", "enrolled"], results
    assert Enrolment.objects.filter(course=course, person=person).count() == 1
    assert AuditEvent.objects.filter(action=services.ENROLLED).count() == 1


def test_two_people_race_for_the_last_seat():
    course = make_course(capacity=1)
    results = together(
        enrolling(ORGANISER, course, h.person(KH_STAFF[0])),
        enrolling(HEAD_KH, course, h.person(KH_STAFF[1])),
    )
    assert outcomes(results) == ["enrolled", "waiting"], results
    assert Enrolment.objects.filter(course=course, status="enrolled").count() == 1

"""The whole path: a gap → an invitation → enrolment into a full course with a waiting
list → a withdrawal promotes the first waiting → attendance → a pass awards the
certificate with the course as its source → compliance changes at once → the course
closes when every result is in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from standards import selectors as compliance
from standards.models import Certificate
from tests.training.conftest import HEAD_KH, KH_STAFF, ORGANISER, TRAINER, make_course
from tests.workflows import helpers as h
from training import selectors, services
from training.models import Course, Enrolment
from workflows.exceptions import InvalidInput, NotInScope
from workflows.models import AuditEvent
from worktime import calendar

pytestmark = pytest.mark.usefixtures("heads")


def test_gap_to_certificate_and_compliance():
    iu01 = next(g for g in selectors.gaps() if g.module.code == "IU01")
    kh = {u.code: n for u, n in iu01.by_unit.items() if u}
    assert kh["KH"] == 5  # thamdinh.kh, the head and three specialists
    proposed = {p.username for p in iu01.proposed}
    assert set(KH_STAFF) <= proposed

    course = make_course(capacity=2)
    organiser = h.person(ORGANISER)
    first = services.enrolment_add(
        user=organiser, course_id=course.pk, person_id=h.person(KH_STAFF[0]).pk
    )
    second = services.enrolment_add(
        user=h.person(HEAD_KH), course_id=course.pk, person_id=h.person(KH_STAFF[1]).pk
    )
    third = services.enrolment_add(
        user=h.person(HEAD_KH), course_id=course.pk, person_id=h.person(KH_STAFF[2]).pk
    )
    assert [first.status, second.status, third.status] == ["enrolled", "enrolled", "waiting"]
    # Once invited, a person is no longer proposed for the module.
    iu01 = next(g for g in selectors.gaps() if g.module.code == "IU01")
    assert not set(KH_STAFF) & {p.username for p in iu01.proposed}

    # Nobody is enrolled twice.
    with pytest.raises(InvalidInput):
        services.enrolment_add(user=organiser, course_id=course.pk, person_id=first.person_id)

    # The first one withdraws (before the cut-off): the waiting one takes the seat.
    services.enrolment_withdraw(user=h.person(KH_STAFF[0]), enrolment_id=first.pk)
    third.refresh_from_db()
    assert third.status == Enrolment.Status.ENROLLED

    trainer = h.person(TRAINER)
    sessions = list(course.sessions.all())
    for s in sessions:
        services.attendance_record(
            user=trainer, session_id=s.pk, present_ids=[second.person_id, third.person_id]
        )
    before = compliance.person_compliance(h.person(KH_STAFF[1]))
    assert "IU01" in before.gap
    services.result_record(user=trainer, enrolment_id=second.pk, result="passed", score="86,5")
    after = compliance.person_compliance(h.person(KH_STAFF[1]))
    assert "IU01" not in after.gap and "IU01" in after.held
    certificate = Certificate.objects.get(person=second.person)
    assert certificate.source == course.source
    course.refresh_from_db()
    assert course.status == Course.Status.PLANNED  # one result missing

    services.result_record(user=trainer, enrolment_id=third.pk, result="failed", score=40)
    course.refresh_from_db()
    assert course.status == Course.Status.CLOSED
    assert not Certificate.objects.filter(person=third.person).exists()

    summary = selectors.course_summary(course)
    assert (summary.seated, summary.passed, summary.attendance_rate, summary.pass_rate) == (
        2,
        1,
        100.0,
        50.0,
    )
    assert summary.gaps_closed == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "training.course.created",
        "training.enrolment.created",
        "training.enrolment.withdrawn",
        "training.enrolment.promoted",
        "training.attendance.recorded",
        "training.result.recorded",
        "training.course.closed",
        "standards.certificate.recorded",
    } <= actions


def test_a_head_nominates_only_their_own_staff():
    course = make_course()
    with pytest.raises(NotInScope):
        services.enrolment_add(
            user=h.person(HEAD_KH), course_id=course.pk, person_id=h.person(TRAINER).pk
        )
    assert not Enrolment.objects.exists()


def test_withdrawal_closes_at_the_cut_off():
    course = make_course()
    enrolment = services.enrolment_add(
        user=h.person(ORGANISER), course_id=course.pk, person_id=h.person(KH_STAFF[0]).pk
    )
    later = dt.datetime.combine(course.withdraw_until + dt.timedelta(days=1), dt.time(10))
    with (
        time_machine.travel(later.replace(tzinfo=calendar.VIETNAM), tick=False),
        pytest.raises(InvalidInput),
    ):
        services.enrolment_withdraw(user=h.person(KH_STAFF[0]), enrolment_id=enrolment.pk)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"capacity": 0}, "Capacity must be between"),
        ({"title": "  "}, "Give the course a title."),
        ({"modules": ("XX99",)}, "Choose the modules"),
    ],
)
def test_bad_course_input_is_reported(change, problem):
    with pytest.raises(InvalidInput) as caught:
        make_course(**change)
    assert any(problem in str(p) for p in caught.value.problems)

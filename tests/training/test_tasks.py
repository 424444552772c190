"""The reminder job runs every morning in Vietnam and mails each seated person once per
session, however often it runs."""

import datetime as dt

import pytest
from huey.contrib.djhuey import HUEY

from outbox.models import Mail
from tests.training.conftest import KH_STAFF, ORGANISER, make_course
from tests.workflows import helpers as h
from training import services, tasks


def test_reminders_run_at_eight_in_vietnam():
    names = {t.name for t in HUEY.read_periodic(dt.datetime(2027, 2, 3, 1, 0))}
    assert "remind_sessions" in names
    assert "remind_sessions" not in {
        t.name for t in HUEY.read_periodic(dt.datetime(2027, 2, 3, 8, 0))
    }


@pytest.mark.usefixtures("heads")
def test_the_job_twice_sends_one_mail():
    course = make_course(days=1)
    services.enrolment_add(
        user=h.person(ORGANISER), course_id=course.pk, person_id=h.person(KH_STAFF[1]).pk
    )
    assert tasks.remind_sessions.call_local() == 1
    tasks.remind_sessions.call_local()
    assert Mail.objects.filter(key__startswith="training:session:").count() == 1

"""The hourly closing of ended leave, through huey (immediate in tests), and the mail
that follows a document to the substitute."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from leave import services
from leave.models import Leave
from leave.tasks import close_ended_leave
from tests.leave.conftest import FIRST, LAST, at
from tests.workflows import helpers as h
from workflows import services as workflow
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("clock")


def _leave(staff, hand_over=True):
    absentee = h.person(h.REVIEWER)
    return services.leave_record(
        user=absentee,
        person_id=absentee.pk,
        substitute_id=staff["reviewer2"].pk,
        starts_on=FIRST,
        ends_on=LAST,
        hand_over=hand_over,
    )


def test_the_periodic_job_closes_ended_leave_once_and_tells_the_person(
    staff, django_capture_on_commit_callbacks
):
    document = h.make_plan("submitted")
    absentee = h.person(h.REVIEWER)
    workflow.task_take(user=absentee, document_id=document.pk, task_id=h.open_task(document).pk)
    leave = _leave(staff)

    with at(LAST, hour=23):
        close_ended_leave()  # still on leave until 24:00 in Vietnam
    assert Leave.objects.get(pk=leave.pk).closed_at is None

    with (
        at(LAST + dt.timedelta(days=1), hour=0),
        django_capture_on_commit_callbacks(execute=True),
    ):
        close_ended_leave()
        close_ended_leave()

    assert Leave.objects.get(pk=leave.pk).closed_at is not None
    assert AuditEvent.objects.filter(action="leave.leave.ended").count() == 1
    assert [m.to for m in mail.outbox] == [[absentee.email]]
    assert "Nguyễn Thị Đào" in mail.outbox[0].body


def test_workflow_mail_goes_to_the_substitute_during_the_leave(
    staff, django_capture_on_commit_callbacks
):
    _leave(staff, hand_over=False)
    document = h.make_plan("draft")
    mail.outbox.clear()

    with at(FIRST), django_capture_on_commit_callbacks(execute=True):
        h.act(document, "submit", h.DRAFTER)

    assert sorted(r for m in mail.outbox for r in m.to) == [staff["reviewer2"].email]

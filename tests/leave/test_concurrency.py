"""Two people at the same moment, on real parallel connections (see
tests/workflows/test_concurrency.py for how the threads are released together)."""

from __future__ import annotations

import datetime as dt

import pytest
from viewflow.workflow.models import Task

from leave import services
from leave.models import Leave
from organisation import roles
from organisation.models import Unit
from tests.factories import PersonFactory
from tests.workflows import helpers as h
from tests.workflows.test_concurrency import together
from workflows import services as workflow
from workflows.exceptions import InvalidInput, TaskHeld
from worktime.calendar import today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_org")]


@pytest.fixture
def colleague():
    return PersonFactory(
        username="thamdinh2.kh", unit=Unit.objects.get(code="KH"), role=roles.PLANNING_REVIEWER
    )


def test_two_colleagues_taking_the_same_task_at_once_one_holds_it(colleague):
    document = h.make_plan("submitted")
    task = h.open_task(document)

    def take(username):
        return lambda: workflow.task_take(
            user=h.person(username), document_id=document.pk, task_id=task.pk
        )

    results = together(take(h.REVIEWER), take(colleague.username))

    assert sorted(type(r).__name__ for r in results) == ["Task", "TaskHeld"]
    holder = Task.objects.get(pk=task.pk).owner
    winner = results[0] if not isinstance(results[0], TaskHeld) else results[1]
    assert holder == winner.owner


def test_two_people_naming_each_other_at_once_make_no_loop(colleague):
    first, last = today(), today() + dt.timedelta(days=3)

    def record(person, substitute):
        return lambda: services.leave_record(
            user=h.person(person),
            person_id=h.person(person).pk,
            substitute_id=h.person(substitute).pk,
            starts_on=first,
            ends_on=last,
            hand_over=True,
        )

    results = together(
        record(h.REVIEWER, colleague.username), record(colleague.username, h.REVIEWER)
    )

    assert sorted(type(r).__name__ for r in results) == ["InvalidInput", "Leave"]
    assert Leave.objects.count() == 1
    assert any(isinstance(r, InvalidInput) for r in results)

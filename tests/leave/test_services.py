"""Substitutes during leave, with a frozen clock: routed while the leave is in force,
returned when it ends (kept when the substitute has started them), and the refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from viewflow.workflow.models import Task

from leave import selectors as leave_selectors
from leave import services
from leave.models import Leave
from tests.factories import PersonFactory
from tests.leave.conftest import FIRST, LAST, at
from tests.workflows import helpers as h
from workflows import notifications, selectors
from workflows import services as workflow
from workflows.exceptions import InvalidInput, TaskHeld, WorkflowError
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture(autouse=True)
def in_english():
    """The messages are checked as written (the catalogue may translate them)."""
    with translation.override("en"):
        yield


def record(user, person, substitute, *, first=FIRST, last=LAST, hand_over=True):
    return services.leave_record(
        user=user,
        person_id=person.pk,
        substitute_id=substitute.pk,
        starts_on=first,
        ends_on=last,
        hand_over=hand_over,
    )


def take(user, document):
    return workflow.task_take(user=user, document_id=document.pk, task_id=h.open_task(document).pk)


def endorse(user, document):
    return workflow.document_act(
        user=user, document_id=document.pk, action="endorse", task_id=h.open_task(document).pk
    )


def problems(call) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.problems


def test_a_taken_task_is_held_by_its_taker_and_refused_to_colleagues(staff):
    reviewer, colleague = h.person(h.REVIEWER), staff["reviewer2"]
    document = h.make_plan("submitted")
    take(reviewer, document)

    assert h.open_task(document).owner == reviewer
    with pytest.raises(TaskHeld) as caught:
        endorse(colleague, document)
    assert "Trần Thị Bình" in str(caught.value.message)
    assert caught.value.status == 409
    assert list(selectors.my_tasks(colleague)) == []
    assert [t.pk for t in selectors.unit_queue(colleague)] == [h.open_task(document).pk]
    # Released, it is the whole pool's again.
    workflow.task_release(user=reviewer, document_id=document.pk, task_id=h.open_task(document).pk)
    assert [t.pk for t in selectors.my_tasks(colleague)] == [h.open_task(document).pk]
    assert [e.action for e in AuditEvent.objects.filter(document=document)][-2:] == [
        "workflows.task.taken",
        "workflows.task.released",
    ]


def test_substitute_holds_taken_tasks_during_leave_and_they_return_at_the_end(staff):
    absentee, substitute = h.person(h.REVIEWER), staff["reviewer2"]
    acted = h.make_plan("submitted", title="Kế hoạch A")
    untouched = h.make_plan("submitted", title="Kế hoạch B")
    kept = h.make_plan("submitted", title="Kế hoạch C")
    for document in (acted, untouched, kept):
        take(absentee, document)
    record(absentee, absentee, substitute)

    # Recorded on Monday: the leave is not in force yet.
    assert list(selectors.my_tasks(h.person(substitute.username))) == []

    with at(dt.date(2027, 3, 3)):
        mine = selectors.my_tasks(h.person(substitute.username))
        assert {t.process.document.title for t in mine} == {
            "Kế hoạch A",
            "Kế hoạch B",
            "Kế hoạch C",
        }
        endorse(h.person(substitute.username), acted)
        take(h.person(substitute.username), kept)  # started: taken by the substitute

    with at(LAST + dt.timedelta(days=1)):
        # The job has not run: the readers already give the task back.
        assert Leave.objects.get().closed_at is None
        with pytest.raises(TaskHeld):
            endorse(h.person(substitute.username), untouched)
        assert {
            t.process.document.title for t in selectors.my_tasks(h.person(substitute.username))
        } == {"Kế hoạch C"}
        assert {t.process.document.title for t in selectors.my_tasks(h.person(h.REVIEWER))} == {
            "Kế hoạch B"
        }
        assert services.leave_close_ended() == 1
        assert services.leave_close_ended() == 0  # idempotent
    ended = AuditEvent.objects.get(action="leave.leave.ended")
    assert ended.data["returned_tasks"] == [h.open_task(untouched).pk]
    acted.refresh_from_db()
    assert acted.state == "endorsed"
    assert Task.objects.get(pk=h.open_task(kept).pk).owner == substitute
    taken_for = AuditEvent.objects.filter(document=kept, action="workflows.task.taken").last()
    assert (taken_for.actor, h.own_data(taken_for)["on_behalf_of"]["id"]) == (
        substitute,
        absentee.pk,
    )
    endorse(h.person(h.REVIEWER), untouched)  # back with the absentee


def test_the_substitute_acts_thay_mat_and_audit_and_timeline_show_both(staff, client):
    absentee, substitute = h.person(h.REVIEWER), staff["reviewer2"]
    document = h.make_plan("submitted")
    take(absentee, document)
    record(absentee, absentee, substitute)

    with at(FIRST):
        endorse(h.person(substitute.username), document)
        client.force_login(h.person(substitute.username))
        page = client.get(f"/documents/{document.pk}/").content.decode()

    event = AuditEvent.objects.get(document=document, action="planning.plan.endorsed")
    assert event.actor == substitute
    assert h.own_data(event)["on_behalf_of"] == {"id": absentee.pk, "name": "Trần Thị Bình"}
    assert "Nguyễn Thị Đào" in page
    assert 'data-testid="on-behalf"' in page and "Trần Thị Bình" in page
    # The inspector's trail and its export name both people too.
    with at(FIRST):
        client.force_login(h.person("thanhtra"))
        trail = client.get("/audit/").content.decode()
        export = b"".join(client.get("/audit/export.csv").streaming_content).decode("utf-8-sig")
    assert trail.count('data-testid="on-behalf"') == 1
    row = next(line for line in export.splitlines() if "planning.plan.endorsed" in line)
    assert "Nguyễn Thị Đào (" in row and "Trần Thị Bình)" in row


def test_my_work_shows_the_task_on_behalf_of_the_absentee(staff, client):
    absentee, substitute = h.person(h.REVIEWER), staff["reviewer2"]
    document = h.make_plan("submitted")
    take(absentee, document)
    record(absentee, absentee, substitute)

    with at(FIRST):
        client.force_login(h.person(substitute.username))
        response = client.get("/work/")

    assert [t.pk for t in response.context["mine"]] == [h.open_task(document).pk]
    assert "Trần Thị Bình" in response.content.decode().split('data-testid="my-tasks"')[1]


def test_without_hand_over_the_taken_tasks_stay_with_the_absentee(staff):
    absentee, substitute = h.person(h.REVIEWER), staff["reviewer2"]
    document = h.make_plan("submitted")
    take(absentee, document)
    record(absentee, absentee, substitute, hand_over=False)

    with at(FIRST):
        assert list(selectors.my_tasks(h.person(substitute.username))) == []
        with pytest.raises(TaskHeld):
            endorse(h.person(substitute.username), document)
        # Mail addressed to the absentee still goes to the substitute.
        assert notifications.holders(document) == [substitute]


def test_mail_goes_to_the_substitute_only_during_the_leave(staff):
    absentee, substitute = h.person(h.REVIEWER), staff["reviewer2"]
    document = h.make_plan("submitted")
    record(absentee, absentee, substitute)

    assert {p.username for p in notifications.holders(document)} == {
        absentee.username,
        substitute.username,
    }
    with at(FIRST):
        assert [p.username for p in notifications.holders(document)] == [substitute.username]
    with at(LAST + dt.timedelta(days=1)):
        assert len(notifications.holders(document)) == 2
    # A chain: the substitute away too, with the head's deputy acting for them.
    third = PersonFactory(
        username="thamdinh3.kh", unit=absentee.unit, role="planning_reviewer", full_name="Vũ Hà"
    )
    record(substitute, substitute, third, first=LAST, last=LAST)
    with at(LAST):
        assert leave_selectors.acting_for(absentee) == third
        assert [p.username for p in notifications.holders(document)] == [third.username]


def test_nobody_substitutes_for_themselves(staff):
    reviewer = h.person(h.REVIEWER)
    assert problems(lambda: record(reviewer, reviewer, reviewer)) == [
        "Nobody may substitute for themselves: choose a colleague."
    ]


def test_the_substitute_must_hold_the_same_role_in_the_same_unit(staff):
    reviewer = h.person(h.REVIEWER)
    other_unit = h.person(h.DRAFTER)
    no_role = staff["head"]
    for candidate in (other_unit, no_role):
        assert problems(lambda c=candidate: record(reviewer, reviewer, c)) == [
            "The substitute must hold the same role in the same unit as Trần Thị Bình."
        ]
    assert Leave.objects.count() == 0


def test_substitutions_may_not_go_round_in_a_loop(staff):
    a, b = h.person(h.REVIEWER), staff["reviewer2"]
    c = PersonFactory(username="thamdinh3.kh", unit=a.unit, role="planning_reviewer")
    record(a, a, b)
    # B for A while A for B: refused over overlapping days, allowed on other days.
    assert "loop" in problems(lambda: record(b, b, a, first=LAST, last=LAST + dt.timedelta(3)))[0]
    record(b, b, a, first=LAST + dt.timedelta(days=1), last=LAST + dt.timedelta(days=3))
    # A longer cycle: A→B (2–5/3), B→C (5/3), then C→A over 4–5/3 closes it on 5/3.
    Leave.objects.filter(person=b).delete()
    record(b, b, c, first=LAST, last=LAST)
    assert "loop" in problems(lambda: record(c, c, a, first=dt.date(2027, 3, 4), last=LAST))[0]
    # ...but not when the periods have no day in common.
    record(c, c, a, first=dt.date(2027, 3, 3), last=dt.date(2027, 3, 4))


def test_the_ministers_signature_never_passes_to_a_substitute(staff):
    minister, vice = h.person(h.MINISTER), h.person(h.VICE_MINISTER)
    assert problems(lambda: record(minister, minister, vice)) == [
        "The Minister's signature passes only through a delegation of signature, never "
        "through a substitute."
    ]
    # Even a leave written past the service hands no signature task over.
    document = h.make_plan("endorsed")
    take(minister, document)
    Leave.objects.create(
        person=minister, substitute=vice, starts_on=FIRST, ends_on=LAST, recorded_by=minister
    )
    with at(FIRST):
        assert list(selectors.my_tasks(h.person(h.VICE_MINISTER))) == []
        with pytest.raises(TaskHeld):
            workflow.document_act(
                user=h.person(h.VICE_MINISTER),
                document_id=document.pk,
                action="sign",
                task_id=h.open_task(document).pk,
            )
        # Mail about a signature still goes to the signers themselves.
        assert minister in notifications.holders(document)


def test_who_may_record_and_cancel_leave(staff):
    reviewer, colleague, head = h.person(h.REVIEWER), staff["reviewer2"], staff["head"]
    # A colleague may not record someone else's leave: not theirs to see (404).
    with pytest.raises(Http404):
        record(colleague, reviewer, colleague)
    # The head of the unit and the administrator may.
    by_head = record(head, reviewer, colleague)
    services.leave_cancel(user=head, leave_id=by_head.pk)
    by_admin = record(h.person("quantri"), reviewer, colleague)
    # A person without any task of a pool has no leave page (403).
    with pytest.raises(PermissionDenied):
        record(h.person("thanhtra"), h.person("thanhtra"), reviewer)
    with pytest.raises(Http404):
        services.leave_cancel(user=colleague, leave_id=by_admin.pk)
    with pytest.raises(Http404):
        services.leave_cancel(user=head, leave_id="not-a-number")
    services.leave_cancel(user=reviewer, leave_id=by_admin.pk)
    with pytest.raises(WorkflowError):
        services.leave_cancel(user=reviewer, leave_id=by_admin.pk)
    actions = list(
        AuditEvent.objects.filter(action__startswith="leave.").values_list("action", "actor_id")
    )
    assert actions == [
        ("leave.leave.recorded", head.pk),
        ("leave.leave.cancelled", head.pk),
        ("leave.leave.recorded", h.person("quantri").pk),
        ("leave.leave.cancelled", reviewer.pk),
    ]


def test_a_cancelled_leave_hands_nothing_over(staff):
    absentee, substitute = h.person(h.REVIEWER), staff["reviewer2"]
    document = h.make_plan("submitted")
    take(absentee, document)
    leave = record(absentee, absentee, substitute)
    services.leave_cancel(user=absentee, leave_id=leave.pk)
    with at(FIRST), pytest.raises(TaskHeld):
        endorse(h.person(substitute.username), document)

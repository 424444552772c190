"""Recording and cancelling leave, and closing it when it ends. Each write locks the
rows of the people concerned, checks scope (404) and permission (403) here rather than
in the view, and writes its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import audit, notifications
from workflows.exceptions import ActionForbidden, InvalidInput, NotInScope, WorkflowError
from worktime.calendar import today

from . import selectors
from .models import Leave

RECORDED = audit.register_action("leave.leave.recorded", gettext_lazy("Leave recorded"))
CANCELLED = audit.register_action("leave.leave.cancelled", gettext_lazy("Leave cancelled"))
CLOSED = audit.register_action(
    "leave.leave.ended", gettext_lazy("Leave ended: tasks returned to the person")
)
# A leave may be recorded up to a year ahead and last at most a year.
MAX_DAYS = 366


class LeaveOver(WorkflowError):
    default_message = gettext_lazy("This leave has already been cancelled or has ended.")


def _lock_people(*ids: int) -> dict:
    """Lock the people's rows in a fixed order: two leaves recorded at once for people
    who would substitute for each other wait for each other, and the second one sees
    the first (and refuses the loop)."""
    people = (
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=sorted({i for i in ids if i}))
        .order_by("pk")
    )
    return {p.pk: p for p in people}


def _as_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _problems(person, substitute, starts_on: dt.date, ends_on: dt.date) -> list[str]:
    problems = []
    if substitute is None or not substitute.is_active:
        return [_("Choose the colleague who will act for the person.")]
    if substitute.pk == person.pk:
        return [_("Nobody may substitute for themselves: choose a colleague.")]
    if ends_on < starts_on:
        problems.append(_("The last day is before the first day."))
    elif ends_on < today():
        problems.append(_("The leave is over already: its last day has passed."))
    elif (ends_on - starts_on).days >= MAX_DAYS or (starts_on - today()).days > MAX_DAYS:
        problems.append(_("A leave may last at most a year and start within a year."))
    needed = selectors.task_permissions(person)
    if not needed and selectors.signs(person):
        problems.append(
            _(
                "The Minister's signature passes only through a delegation of signature, "
                "never through a substitute."
            )
        )
    elif substitute.unit_id != person.unit_id or not needed <= selectors.task_permissions(
        substitute
    ):
        problems.append(
            _("The substitute must hold the same role in the same unit as %(name)s.")
            % {"name": person.display_name}
        )
    if problems:
        return problems
    if Leave.objects.overlapping(starts_on, ends_on).filter(person=person).exists():
        problems.append(_("%(name)s already has leave on some of these days.") % {"name": person})
    if selectors.loop_through(person.pk, substitute.pk, starts_on, ends_on):
        problems.append(
            _(
                "%(sub)s is on leave on some of these days with %(name)s acting for them, "
                "directly or through others: substitutes may not go round in a loop."
            )
            % {"sub": substitute.display_name, "name": person.display_name}
        )
    return problems


def _data(leave: Leave) -> dict:
    return {
        "leave": leave.pk,
        "person": leave.person_id,
        "person_name": leave.person.display_name,
        "substitute": leave.substitute_id,
        "substitute_name": leave.substitute.display_name,
        "starts_on": leave.starts_on.isoformat(),
        "ends_on": leave.ends_on.isoformat(),
        "hand_over": leave.hand_over,
    }


def leave_record(
    *,
    user,
    person_id: int,
    substitute_id: int | None,
    starts_on: dt.date,
    ends_on: dt.date,
    hand_over: bool,
    ip: str | None = None,
) -> Leave:
    """Record `person_id`'s leave with `substitute_id` acting for them. The person
    themselves, the head of their unit or an administrator may do it."""
    if not selectors.may_see_leave_pages(user):
        raise ActionForbidden
    person_id, substitute_id = _as_id(person_id), _as_id(substitute_id)
    with transaction.atomic():
        people = _lock_people(person_id, substitute_id)
        person = people.get(person_id)
        if person is None or not selectors.manageable_people(user).filter(pk=person.pk).exists():
            raise NotInScope
        if not selectors.task_permissions(person) and not selectors.signs(person):
            raise ActionForbidden(_("This person holds no tasks that a substitute could take."))
        problems = _problems(person, people.get(substitute_id), starts_on, ends_on)
        if problems:
            raise InvalidInput(problems=problems)
        leave = Leave.objects.create(
            person=person,
            substitute=people[substitute_id],
            starts_on=starts_on,
            ends_on=ends_on,
            hand_over=hand_over,
            recorded_by=user,
        )
        audit.record(action=RECORDED, actor=user, data=_data(leave), ip=ip)
    return leave


def leave_cancel(*, user, leave_id: int, ip: str | None = None) -> Leave:
    """Cancel a leave: from now on the person's tasks and mail are theirs again."""
    with transaction.atomic():
        leave = selectors.leave_in_scope(user, leave_id)
        if leave is None:
            raise NotInScope
        _lock_people(leave.person_id, leave.substitute_id)
        leave = Leave.objects.select_for_update().select_related("person", "substitute")
        leave = leave.get(pk=leave_id)
        if leave.cancelled_at or leave.ends_on < today():
            raise LeaveOver
        leave.cancelled_at = timezone.now()
        leave.cancelled_by = user
        leave.save(update_fields=["cancelled_at", "cancelled_by"])
        audit.record(action=CANCELLED, actor=user, data=_data(leave), ip=ip)
    return leave


def _mail_return(leave: Leave, count: int) -> None:
    with translation.override("vi"):
        notifications.queue_mail(
            key=f"leave:ended:{leave.pk}",
            to=[leave.person.email],
            subject=_("Your tasks are back with you after your leave"),
            body=notifications.render_text(
                "leave/email/returned.txt", {"leave": leave, "count": count}
            ),
        )


def leave_close_ended(*, day: dt.date | None = None) -> int:
    """Put on record that the leaves ended before `day` are over: the tasks the absentee
    had taken and the substitute has not started are theirs again (the readers already
    treat them so: see leave.selectors), and the person is told. Safe to run twice or
    late: each leave is closed once, under its row lock. Returns how many it closed."""
    day = day or today()
    closed = 0
    due = Leave.objects.filter(cancelled_at__isnull=True, closed_at__isnull=True, ends_on__lt=day)
    for leave_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            leave = (
                Leave.objects.select_for_update()
                .select_related("person", "substitute")
                .filter(pk=leave_id, closed_at__isnull=True)
                .first()
            )
            if leave is None:
                continue  # a concurrent run closed it
            returned = list(
                Task.objects.filter(
                    owner_id=leave.person_id, status__in=(STATUS.NEW, STATUS.ASSIGNED)
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            leave.closed_at = timezone.now()
            leave.save(update_fields=["closed_at"])
            audit.record(
                action=CLOSED,
                actor=None,
                data={**_data(leave), "returned_tasks": returned if leave.hand_over else []},
            )
            if leave.hand_over and returned and leave.person.email:
                _mail_return(leave, len(returned))
            closed += 1
    return closed

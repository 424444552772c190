"""The default due date of a step: the step's duration in working days counted from
today in Vietnam (worktime.calendar), or for a first draft the date its kind gives."""

from __future__ import annotations

import datetime as dt

from workflows import kinds
from workflows.models import State
from worktime.calendar import WorkingCalendar, today

from .models import DEFAULT_DAYS, Step, StepDuration


def step_of(kind: kinds.DocumentKind, state: str) -> str | None:
    """The step a document in `state` is at, as durations name it (None: no timed step)."""
    if state == State.SUBMITTED:
        return Step.OPINION if kind.review_mode == "opinion" else Step.REVIEW
    if state == State.RETURNED:
        return Step.REVISION
    if state == State.ENDORSED:
        return Step.SIGNATURE
    if state == State.SIGNED:
        return Step.ISSUE
    return None


def working_days(kind: kinds.DocumentKind, step: str) -> int:
    """The administrator's duration if set, else the kind's own default, else the product's."""
    days = (
        StepDuration.objects.filter(kind=kind.code, step=step)
        .values_list("working_days", flat=True)
        .first()
    )
    if days is not None:
        return days
    return kind.step_days.get(step, DEFAULT_DAYS[step])


def default_due_on(
    kind: kinds.DocumentKind,
    state: str,
    year: int,
    *,
    on: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> dt.date | None:
    """When the step a document has just entered (`state`) is due by default; None for an
    issued document and for a first draft its kind gives no date to."""
    step = step_of(kind, state)
    if step is None:
        if state == State.DRAFT and kind.draft_due_on is not None:
            return kind.draft_due_on(year)
        return None
    calendar = calendar or WorkingCalendar.load()
    return calendar.add_working_days(on or today(), working_days(kind, step))

"""What the Office follows up: for every unit, the documents it holds now and how late
they are. One read of the open tasks and one of the units whatever the amount of data,
and one of the working calendar (the day swaps) per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from organisation.models import Unit
from workflows import selectors as workflow_selectors
from workflows.flows import DocumentFlow
from workflows.models import Document
from worktime.calendar import DueStatus, WorkingCalendar, today

PERMISSION = "organisation.register_documents"
LEADERSHIP = "leadership"
OFFICE = "office"
HELD_STEPS = ("draft", "review", "sign", "issue")


@dataclass
class HeldDocument:
    """One document waiting on a unit: its open step, since when and how late."""

    document: Document
    task: Task
    holder_key: str
    holder_unit: Unit | None
    holder_label: Any
    status: DueStatus | None

    @property
    def step(self) -> str:
        return self.task.flow_task.name

    @property
    def step_label(self) -> Any:
        return self.task.flow_task.task_title

    @property
    def since(self) -> dt.datetime:
        return self.task.created

    @property
    def due_on(self) -> dt.date | None:
        return self.document.due_on

    @property
    def overdue_days(self) -> int:
        return self.status.days if self.status and self.status.is_overdue else 0

    @property
    def status_text(self) -> str:
        return due_words(self.status)


@dataclass
class UnitLoad:
    """What one unit (or the Committee's leadership, for signatures) holds."""

    key: str
    unit: Unit | None
    label: Any
    documents: list[HeldDocument] = field(default_factory=list)

    @property
    def held(self) -> int:
        return len(self.documents)

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.documents if d.overdue_days)

    @property
    def longest_overdue(self) -> int:
        return max((d.overdue_days for d in self.documents), default=0)

    @property
    def oldest_since(self) -> dt.datetime | None:
        return min((d.since for d in self.documents), default=None)


@dataclass
class FollowUp:
    units: list[UnitLoad]  # units that hold something, the longest-waiting first
    idle: list[Unit]  # units that hold nothing now
    on: dt.date

    @property
    def held(self) -> int:
        return sum(u.held for u in self.units)

    @property
    def overdue(self) -> int:
        return sum(u.overdue for u in self.units)


def due_words(status: DueStatus | None) -> str:
    """A due status in words (never colour alone), for the page and the export alike."""
    return str(_("No due date")) if status is None else status.words()


def _held_steps_q() -> Q:
    return (
        Q(flow_task=DocumentFlow.draft)
        | Q(flow_task=DocumentFlow.review)
        | Q(flow_task=DocumentFlow.sign)
        | Q(flow_task=DocumentFlow.issue)
    )


def open_held_tasks(user) -> QuerySet[Task]:
    """The open draft, review, sign and issue tasks of the documents in the person's
    scope."""
    return (
        Task.objects.filter(status__in=workflow_selectors.OPEN)
        .filter(_held_steps_q())
        .filter(process__document__in=workflow_selectors.visible_documents(user).values("pk"))
        .select_related("process__document__drafting_unit", "process__document__reviewing_unit")
        .order_by("created", "pk")
    )


def holder_of(document: Document, task: Task) -> tuple[str, Unit | None, Any]:
    """(key, unit, label) of who holds `document` at `task`: the drafting unit for the
    draft step, the reviewing unit for the review, the Committee's leadership to sign."""
    step = task.flow_task.name
    if step == "draft":
        unit = document.drafting_unit
    elif step == "review":
        unit = document.reviewing_unit
    elif step == "issue":
        return OFFICE, None, _("The Office (to number, date and seal)")
    else:
        # Said apart from the leadership's own unit, which drafts and reviews nothing.
        return LEADERSHIP, None, _("Committee leadership (to sign)")
    return f"unit-{unit.pk}", unit, unit.name


def held(document: Document, task: Task, calendar: WorkingCalendar, on: dt.date) -> HeldDocument:
    key, unit, label = holder_of(document, task)
    return HeldDocument(document, task, key, unit, label, calendar.status(document.due_on, on))


def follow_up(user, *, calendar: WorkingCalendar | None = None) -> FollowUp:
    """Every unit with what it holds. Units are listed by the document that has waited
    longest; each unit's documents oldest first."""
    calendar = calendar or WorkingCalendar.load()
    on = today()
    loads: dict[str, UnitLoad] = {}
    seen: set[int] = set()
    for task in open_held_tasks(user):
        document = task.process.document
        if document.pk in seen:  # one open step per document; keep the oldest
            continue
        seen.add(document.pk)
        row = held(document, task, calendar, on)
        load = loads.setdefault(
            row.holder_key, UnitLoad(row.holder_key, row.holder_unit, row.holder_label)
        )
        load.documents.append(row)
    busy = {load.unit.pk for load in loads.values() if load.unit is not None}
    idle = [unit for unit in Unit.objects.all() if unit.pk not in busy]
    units = sorted(loads.values(), key=lambda load: (load.oldest_since, load.key))
    return FollowUp(units=units, idle=idle, on=on)


def held_by_unit(user, unit_id: int) -> QuerySet[Task]:
    """The open tasks a unit holds among the documents in the person's scope."""
    return open_held_tasks(user).filter(workflow_selectors.unit_holds_q(unit_id))


def held_document(document: Document) -> Task | None:
    """The document's open draft, review or sign task, or None when it waits on nobody
    (issued, or not started)."""
    task = workflow_selectors.open_task(document)
    if task is None or task.flow_task.name not in HELD_STEPS:
        return None
    return task


def unit_or_404(unit_id: Any) -> Unit:
    from workflows.exceptions import NotInScope

    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        raise NotInScope from None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotInScope
    return unit

"""The figures of "where documents wait", each read in one query whatever the number of
documents.

Waiting time is calendar time: now minus the moment the open task was created, in days
(shown with one decimal). Cycle time runs from the first submission (the creation of
revision 1, frozen at the first submit) to the issue (the `*.issued` audit event), also
in calendar days. Percentiles interpolate linearly between the two nearest values, as
PostgreSQL's `percentile_cont` does, so the median of an even count is the mean of the
two middle values.

Each figure set is one query whatever the number of documents. On PostgreSQL it is one
GROUP BY with `percentile_cont`, which returns a row per group. SQLite has no percentile
aggregate, so there the one query fetches only each row's group, start, end and overdue
flag, and Python sorts the durations (`_grouped_spreads`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Extract, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from organisation.models import Unit
from workflows import kinds
from workflows.flows import DocumentFlow
from workflows.models import AuditEvent, Document, Revision
from workflows.permissions import ISSUED_STATES
from workflows.selectors import OPEN
from worktime.calendar import today

SECONDS_PER_DAY = 86_400
STEPS = ("draft", "review", "sign", "issue")


def percentile(ordered: list[float], fraction: float) -> float | None:
    """The `fraction` quantile of already sorted values, interpolated (percentile_cont)."""
    if not ordered:
        return None
    rank = fraction * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Spread:
    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, durations: list[float]) -> Spread:
        ordered = sorted(durations)
        return cls(len(ordered), percentile(ordered, 0.5), percentile(ordered, 0.9))


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the `fraction` quantile, interpolated."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _grouped_spreads(
    rows: QuerySet, keys: tuple[str, ...], *, start, end, flag: Q | None = None
) -> dict[tuple, tuple[Spread, int]]:
    """For each group of `rows` by `keys`: the spread of (end - start) in days, and how
    many rows match `flag`. One query either way (see the module's docstring)."""
    found: dict[tuple, tuple[Spread, int]] = {}
    flag_expression = (
        Value(False) if flag is None else ExpressionWrapper(flag, output_field=BooleanField())
    )
    if connection.vendor == "postgresql":
        seconds = Extract(ExpressionWrapper(end - start, output_field=DurationField()), "epoch")
        days = Greatest(
            ExpressionWrapper(seconds / SECONDS_PER_DAY, output_field=FloatField()), Value(0.0)
        )
        groups = (
            rows.values(*keys)
            .annotate(
                n=Count("pk"),
                median=PercentileCont(days, 0.5),
                p90=PercentileCont(days, 0.9),
                flagged=Value(0) if flag is None else Count("pk", filter=flag),
            )
            .order_by()
        )
        for group in groups:
            spread = Spread(group["n"], group["median"], group["p90"])
            found[tuple(group[k] for k in keys)] = (spread, group["flagged"])
        return found
    fetched = rows.annotate(
        spread_start=start,
        spread_end=end,
        spread_flag=flag_expression,
    ).values_list(*keys, "spread_start", "spread_end", "spread_flag")
    durations: dict[tuple, list[float]] = defaultdict(list)
    flagged: dict[tuple, int] = defaultdict(int)
    width = len(keys)
    for row in fetched.order_by():
        key, (started, ended, is_flagged) = tuple(row[:width]), row[width:]
        durations[key].append(max(0.0, _days(ended - started)))
        flagged[key] += bool(is_flagged)
    return {key: (Spread.of(d), flagged[key]) for key, d in durations.items()}


@dataclass(frozen=True)
class WaitingRow:
    step: str
    step_label: Any
    unit_label: Any
    waiting: Spread
    overdue: int

    @property
    def label(self) -> str:
        return f"{self.step_label} · {self.unit_label}"


@dataclass(frozen=True)
class CycleRow:
    kind: str
    kind_label: Any
    year: int
    cycle: Spread

    @property
    def label(self) -> str:
        return f"{self.kind_label} {self.year}"


def _documents_q(prefix: str, *, year: int | None, kind: str | None) -> Q:
    q = Q()
    if year:
        q &= Q(**{f"{prefix}year": year})
    if kind:
        q &= Q(**{f"{prefix}kind": kind})
    return q


def _days(delta: dt.timedelta) -> float:
    return delta.total_seconds() / SECONDS_PER_DAY


def _step_label(step: str):
    return getattr(DocumentFlow, step).task_title


def waiting_by_step_and_unit(
    *, year: int | None = None, kind: str | None = None, now: dt.datetime | None = None
) -> list[WaitingRow]:
    """For each step and the unit that holds it (the drafting unit for drafts and
    revisions, the reviewing unit for reviews, the leadership for signatures): how many
    documents wait, how long (median, p90) and how many are past their due date (due
    before today in Vietnam)."""
    now = now or timezone.now()
    on = today(now)
    steps = {getattr(DocumentFlow, step): step for step in STEPS}
    tasks = (
        Task.objects.filter(status__in=OPEN, flow_task__in=list(steps))
        .filter(process__document__isnull=False)
        .filter(_documents_q("process__document__", year=year, kind=kind))
        .annotate(
            holder_unit=Case(
                When(flow_task=DocumentFlow.draft, then=F("process__document__drafting_unit_id")),
                When(
                    flow_task=DocumentFlow.review,
                    then=F("process__document__reviewing_unit_id"),
                ),
                default=Value(None),
                output_field=BigIntegerField(),
            )
        )
    )
    spreads = _grouped_spreads(
        tasks,
        ("flow_task", "holder_unit"),
        start=F("created"),
        end=Value(now, output_field=DateTimeField()),
        flag=Q(process__document__due_on__lt=on),
    )
    by_step = {
        (steps[flow_task], unit_id): value for (flow_task, unit_id), value in spreads.items()
    }
    units = Unit.objects.in_bulk([unit_id for _step, unit_id in by_step if unit_id])
    leadership = _("Committee leadership")
    office = _("The Office (records)")

    def order(key):
        step, unit_id = key
        unit = units.get(unit_id)
        position = (unit.sort_order, unit.sort_key, unit.code) if unit else (-1, "", "")
        return (STEPS.index(step), position)

    return [
        WaitingRow(
            step=step,
            step_label=_step_label(step),
            unit_label=units[unit_id].name
            if unit_id in units
            else (office if step == "issue" else leadership),
            waiting=by_step[(step, unit_id)][0],
            overdue=by_step[(step, unit_id)][1],
        )
        for step, unit_id in sorted(by_step, key=order)
    ]


def cycle_times(*, year: int | None = None, kind: str | None = None) -> list[CycleRow]:
    """Time from first submission to issue of the issued documents, by kind and by the
    documents' year. A document without revision 1 or without an issued event (none
    exists in the product's own flow) is left out rather than guessed."""
    first_submitted = Revision.objects.filter(document=OuterRef("pk"), number=1).values(
        "created_at"
    )[:1]
    issued_at = (
        AuditEvent.objects.filter(document=OuterRef("pk"), action__endswith=".issued")
        .order_by("seq")
        .values("created_at")[:1]
    )
    rows = (
        Document.objects.filter(state__in=ISSUED_STATES)
        .filter(_documents_q("", year=year, kind=kind))
        .annotate(first_submitted=Subquery(first_submitted), issued_at=Subquery(issued_at))
        .filter(first_submitted__isnull=False, issued_at__isnull=False)
    )
    spreads = _grouped_spreads(
        rows, ("kind", "year"), start=F("first_submitted"), end=F("issued_at")
    )
    order = {k.code: i for i, k in enumerate(kinds.all_kinds())}
    labels = dict(kinds.choices())
    return [
        CycleRow(kind=code, kind_label=labels.get(code, code), year=doc_year, cycle=spread)
        for (code, doc_year), (spread, _none) in sorted(
            spreads.items(), key=lambda item: (order.get(item[0][0], 99), item[0][1])
        )
    ]

"""Writing plans. The engine (workflows.services) does locking, permission, versions and
audit; these functions only know what a plan contains and what makes it valid."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.text import clean
from workflows import audit
from workflows import services as engine
from workflows.exceptions import (
    ActionForbidden,
    AlreadyHandled,
    InvalidInput,
    NotEditable,
    NotInScope,
)
from workflows.formatting import grouped

from .models import (
    MAX_COST,
    MAX_SECTION_LENGTH,
    SECTION_KEYS,
    Category,
    FundingSource,
    Guidance,
    Kind,
    Objective,
    Plan,
    PlanTask,
)

FIVE_YEAR_SPAN = 5


@dataclass
class ObjectiveRow:
    indicator: str
    target_value: str
    target_year: int
    baseline: str = ""
    uid: str | None = None


@dataclass
class TaskRow:
    name: str
    category: str
    lead_unit: str
    estimated_cost: int
    funding_source: str
    coordinating_units: str = ""
    start_year: int | None = None
    end_year: int | None = None
    deadline: dt.date | None = None
    parent_task_uid: str | None = None
    uid: str | None = None


def _five_year_plan_for(year: int) -> Plan | None:
    """The five-year plan whose period contains `year` (the issued one if several)."""
    candidates = (
        Plan.objects.filter(
            document__kind=Kind.FIVE_YEAR, period_start__lte=year, period_end__gte=year
        )
        .select_related("document")
        .order_by("-document__state")
    )
    issued = [p for p in candidates if p.document.state == "issued"]
    return issued[0] if issued else candidates.first()


@engine.record_denials
def plan_create(
    *,
    user,
    kind: str,
    title: str,
    period_start: int,
    parent_id: int | None = None,
    ip: str | None = None,
) -> Plan:
    problems = []
    title = clean(title)
    if not title:
        problems.append(_("A plan needs a title."))
    if len(title) > 500:
        problems.append(_("The title may be at most 500 characters."))
    if kind not in Kind.values:
        problems.append(_("Unknown kind of plan."))
    if not isinstance(period_start, int) or not 2000 <= period_start <= 2100:
        problems.append(_("The year must be between 2000 and 2100."))
    if problems:
        raise InvalidInput(problems=problems)

    parent = None
    if kind == Kind.ANNUAL:
        period_end = period_start
        if parent_id is not None:
            parent = Plan.objects.filter(pk=parent_id, document__kind=Kind.FIVE_YEAR).first()
        else:
            parent = _five_year_plan_for(period_start)
        if parent is None:
            raise InvalidInput(
                problems=[_("No five-year plan covers %(year)d.") % {"year": period_start}]
            )
        if not parent.period_start <= period_start <= parent.period_end:
            raise InvalidInput(
                problems=[
                    _("The year %(year)d lies outside the five-year plan %(period)s.")
                    % {"year": period_start, "period": parent.period_label}
                ]
            )
    else:
        period_end = period_start + FIVE_YEAR_SPAN - 1
        if period_end > 2100:
            raise InvalidInput(problems=[_("The year must be between 2000 and 2100.")])

    with transaction.atomic():
        document = engine.document_create(
            user=user,
            kind=kind,
            title=title,
            year=period_start,
            ip=ip,
            data={"period": [period_start, period_end]},
        )
        return Plan.objects.create(
            document=document,
            period_start=period_start,
            period_end=period_end,
            parent=parent,
            sections=dict.fromkeys(SECTION_KEYS, ""),
        )


def _as_int(value: Any) -> int | None:
    """Whole numbers only: 1.5, '1e3', True or 'mười' are refused, not rounded."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise ValueError


def _limits(model, names) -> dict:
    return {name: model._meta.get_field(name) for name in names}


OBJECTIVE_LIMITS = _limits(Objective, ("indicator", "baseline", "target_value"))
TASK_LIMITS = _limits(PlanTask, ("name", "lead_unit", "coordinating_units"))


def _too_long(where: str, row, limits: dict) -> list[str]:
    return [
        f"{where}: "
        + _("“%(field)s” may be at most %(n)s characters: shorten it.")
        % {"field": field.verbose_name, "n": grouped(field.max_length)}
        for name, field in limits.items()
        if len(str(getattr(row, name) or "")) > field.max_length
    ]


def validate_content(
    plan: Plan, sections: dict[str, str], objectives: list[ObjectiveRow], tasks: list[TaskRow]
) -> list[str]:
    problems: list[str] = []
    for key in sections:
        if key not in SECTION_KEYS:
            problems.append(_("Unknown section “%(key)s”.") % {"key": key})
        elif len(sections[key] or "") > MAX_SECTION_LENGTH:
            problems.append(
                _("A section may be at most %(n)s characters: shorten it.")
                % {"n": grouped(MAX_SECTION_LENGTH)}
            )
    lo, hi = plan.period_start, plan.period_end
    period = {"start": lo, "end": hi}
    for i, row in enumerate(objectives, start=1):
        where = _("Objective %(n)d") % {"n": i}
        problems += _too_long(where, row, OBJECTIVE_LIMITS)
        if not clean(row.indicator):
            problems.append(f"{where}: " + _("the indicator is required."))
        if not clean(row.target_value):
            problems.append(f"{where}: " + _("the target value is required."))
        try:
            year = _as_int(row.target_year)
        except ValueError:
            year = None
        if year is None or not lo <= year <= hi:
            problems.append(
                f"{where}: " + _("the target year must lie within %(start)d–%(end)d.") % period
            )
    parent_uids = set()
    if plan.is_annual and plan.parent_id:
        parent_uids = {str(u) for u in plan.parent.tasks.values_list("uid", flat=True)}
    for i, row in enumerate(tasks, start=1):
        where = _("Task %(n)d") % {"n": i}
        problems += _too_long(where, row, TASK_LIMITS)
        if not clean(row.name):
            problems.append(f"{where}: " + _("the task is required."))
        if not clean(row.lead_unit):
            problems.append(f"{where}: " + _("the lead unit is required."))
        if row.category not in Category.values:
            problems.append(f"{where}: " + _("choose a category from the list."))
        if row.funding_source not in FundingSource.values:
            problems.append(f"{where}: " + _("choose a funding source from the list."))
        try:
            cost = _as_int(row.estimated_cost)
        except ValueError:
            cost = -1
        if cost is None or cost < 0 or cost > MAX_COST:
            problems.append(
                f"{where}: "
                + _("the estimated cost must be a whole number of đồng from 0 to %(max)s.")
                % {"max": f"{MAX_COST:,}".replace(",", ".")}
            )
        if plan.is_annual:
            if row.deadline is None:
                problems.append(f"{where}: " + _("the deadline is required."))
            elif row.deadline.year != plan.period_start:
                problems.append(
                    f"{where}: " + _("the deadline must fall in %(year)d.") % {"year": lo}
                )
            if row.parent_task_uid and row.parent_task_uid not in parent_uids:
                problems.append(
                    f"{where}: "
                    + _("the five-year task must belong to this plan's five-year plan.")
                )
        else:
            try:
                start, end = _as_int(row.start_year), _as_int(row.end_year)
            except ValueError:
                start = end = None
            if start is None or end is None:
                problems.append(f"{where}: " + _("start and end years are required."))
            else:
                if not (lo <= start <= hi and lo <= end <= hi):
                    problems.append(
                        f"{where}: " + _("years must lie within %(start)d–%(end)d.") % period
                    )
                if end < start:
                    problems.append(f"{where}: " + _("the end year is before the start year."))
    return problems


def _sync_rows(model, plan: Plan, rows: list, build) -> None:
    """Replace the plan's rows with `rows`, keeping the uid of rows that existed, so a
    diff can tell a changed row from a removed one plus an added one."""
    existing = {str(o.uid): o for o in model.objects.filter(plan=plan)}
    kept = {row.uid for row in rows if row.uid in existing}
    try:
        model.objects.filter(plan=plan, uid__in=set(existing) - kept).delete()
    except ProtectedError:
        raise InvalidInput(
            problems=[_("A task that annual plans refer to cannot be removed.")]
        ) from None
    for position, row in enumerate(rows):
        values = build(row) | {"position": position}
        if row.uid in kept:
            obj = existing[row.uid]
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
        else:
            model.objects.create(plan=plan, uid=uuid.uuid4(), **values)


@engine.record_denials
def plan_update(
    *,
    user,
    document_id: int,
    version: int | None,
    title: str,
    sections: dict[str, str],
    objectives: list[ObjectiveRow],
    tasks: list[TaskRow],
    ip: str | None = None,
) -> Plan:
    with engine.document_editing(
        user=user, document_id=document_id, version=version, ip=ip, what="content"
    ) as document:
        plan = Plan.objects.select_related("parent").get(document=document)
        title = clean(title)
        problems = [] if title else [_("A plan needs a title.")]
        if len(title) > 500:
            problems.append(_("The title may be at most 500 characters."))
        problems += validate_content(plan, sections, objectives, tasks)
        if problems:
            raise InvalidInput(problems=problems)
        document.title = title
        plan.sections = {key: clean(sections.get(key)) for key in SECTION_KEYS}
        plan.save(update_fields=["sections"])
        _sync_rows(
            Objective,
            plan,
            objectives,
            lambda r: {
                "indicator": clean(r.indicator),
                "baseline": clean(r.baseline),
                "target_value": clean(r.target_value),
                "target_year": _as_int(r.target_year),
            },
        )
        parent_tasks = {}
        if plan.is_annual and plan.parent_id:
            parent_tasks = {str(t.uid): t.pk for t in plan.parent.tasks.all()}
        _sync_rows(
            PlanTask,
            plan,
            tasks,
            lambda r: {
                "name": clean(r.name),
                "category": r.category,
                "lead_unit": clean(r.lead_unit),
                "coordinating_units": clean(r.coordinating_units),
                "start_year": None if plan.is_annual else _as_int(r.start_year),
                "end_year": None if plan.is_annual else _as_int(r.end_year),
                "deadline": r.deadline if plan.is_annual else None,
                "estimated_cost": _as_int(r.estimated_cost),
                "funding_source": r.funding_source,
                "parent_task_id": parent_tasks.get(r.parent_task_uid or ""),
            },
        )
        return plan


# --- Planning guidance ------------------------------------------------------------------

GUIDANCE_SAVED = audit.register_action(
    "planning.guidance.saved", gettext_lazy("Planning guidance saved")
)
GUIDANCE_PUBLISHED = audit.register_action(
    "planning.guidance.published", gettext_lazy("Planning guidance published")
)
GUIDANCE_PERMISSION = "organisation.publish_planning_guidance"


def _guidance_problems(
    *, year, deadline, total_ceiling, investment_ceiling, recurrent_ceiling
) -> list[str]:
    problems = []
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(_("The year must be between 2000 and 2100."))
    if not isinstance(deadline, dt.date):
        problems.append(_("Give the submission deadline."))
    ceilings = (total_ceiling, investment_ceiling, recurrent_ceiling)
    try:
        values = [_as_int(c) for c in ceilings]
    except ValueError:
        values = [None]
    if any(v is None or v < 0 or v > MAX_COST for v in values):
        problems.append(_("Ceilings must be whole numbers of đồng from 0 to 10^15."))
    elif values[1] + values[2] < values[0]:
        problems.append(_("The ceilings per funding source add up to less than the total ceiling."))
    return problems


def guidance_save(
    *,
    user,
    year: int,
    deadline: dt.date,
    total_ceiling: int,
    investment_ceiling: int,
    recurrent_ceiling: int,
    instructions: str = "",
    ip: str | None = None,
) -> Guidance:
    """Create or update the draft guidance of a year; published guidance never changes."""
    if not user.has_perm(GUIDANCE_PERMISSION):
        raise ActionForbidden
    problems = _guidance_problems(
        year=year,
        deadline=deadline,
        total_ceiling=total_ceiling,
        investment_ceiling=investment_ceiling,
        recurrent_ceiling=recurrent_ceiling,
    )
    if problems:
        raise InvalidInput(problems=problems)
    with transaction.atomic():
        guidance = Guidance.objects.select_for_update().filter(year=year).first()
        if guidance and guidance.is_published:
            raise NotEditable(_("Published guidance cannot be changed."))
        values = {
            "deadline": deadline,
            "total_ceiling": int(total_ceiling),
            "investment_ceiling": int(investment_ceiling),
            "recurrent_ceiling": int(recurrent_ceiling),
            "instructions": clean(instructions),
        }
        if guidance is None:
            guidance = Guidance.objects.create(year=year, created_by=user, **values)
        else:
            for key, value in values.items():
                setattr(guidance, key, value)
            guidance.save()
        audit.record(
            action=GUIDANCE_SAVED,
            actor=user,
            data={"year": year, **{k: str(v) for k, v in values.items() if k != "instructions"}},
            ip=ip,
        )
    return guidance


def guidance_publish(*, user, year: int, ip: str | None = None) -> Guidance:
    if not user.has_perm(GUIDANCE_PERMISSION):
        raise ActionForbidden
    with transaction.atomic():
        guidance = Guidance.objects.select_for_update().filter(year=year).first()
        if guidance is None:
            raise NotInScope
        if guidance.is_published:
            raise AlreadyHandled(_("This guidance has already been published."))
        guidance.published_at = timezone.now()
        guidance.published_by = user
        guidance.save(update_fields=["published_at", "published_by"])
        audit.record(
            action=GUIDANCE_PUBLISHED,
            actor=user,
            data={
                "year": year,
                "total_ceiling": guidance.total_ceiling,
                "investment_ceiling": guidance.investment_ceiling,
                "recurrent_ceiling": guidance.recurrent_ceiling,
                "deadline": guidance.deadline.isoformat(),
            },
            ip=ip,
        )
        # From today the deadline is the due date of that year's plan and estimate drafts.
        engine.documents_apply_draft_due_dates(user=user, year=year, ip=ip)
    return guidance

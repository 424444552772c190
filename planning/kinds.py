"""How plans plug into the engine: units, permissions, register, schema and snapshot."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workflows import kinds
from workflows.content import Column, Schema, Table

from .models import SECTIONS, Category, FundingSource, Guidance, Kind, Plan

_OBJECTIVES = Table(
    "objectives",
    _("Specific objectives"),
    (
        Column("indicator", _("Indicator")),
        Column("baseline", _("Baseline")),
        Column("target_value", _("Target value")),
        Column("target_year", _("Target year"), "year"),
    ),
)


def _task_columns(annual: bool) -> tuple[Column, ...]:
    timing = (
        (Column("deadline", _("Deadline"), "date"),)
        if annual
        else (
            Column("start_year", _("Start year"), "year"),
            Column("end_year", _("End year"), "year"),
        )
    )
    parent = (Column("parent_task", _("Five-year task")),) if annual else ()
    return (
        Column("name", _("Task")),
        Column("category", _("Category"), "choice", dict(Category.choices)),
        Column("lead_unit", _("Lead unit")),
        Column("coordinating_units", _("Coordinating units")),
        *timing,
        Column("estimated_cost", _("Estimated cost"), "money", total=True),
        Column("funding_source", _("Funding source"), "choice", dict(FundingSource.choices)),
        *parent,
    )


def _schema(annual: bool) -> Schema:
    fields = [Column("period", _("Period"))]
    if annual:
        fields.append(Column("parent", _("Five-year plan")))
    return Schema(
        fields=tuple(fields),
        sections=tuple((key, label) for key, label, _req in SECTIONS),
        tables=(_OBJECTIVES, Table("tasks", _("Tasks"), _task_columns(annual))),
    )


def snapshot(document) -> dict:
    plan = (
        Plan.objects.select_related("parent__document")
        .prefetch_related("objectives", "tasks__parent_task")
        .get(document=document)
    )
    fields = {"period": plan.period_label}
    if plan.is_annual:
        fields["parent"] = plan.parent.document.title if plan.parent_id else ""
    return {
        "title": document.title,
        "fields": fields,
        "sections": {key: plan.sections.get(key, "") for key, _label, _req in SECTIONS},
        "tables": {
            "objectives": [
                {
                    "uid": str(o.uid),
                    "indicator": o.indicator,
                    "baseline": o.baseline,
                    "target_value": o.target_value,
                    "target_year": o.target_year,
                }
                for o in plan.objectives.all()
            ],
            "tasks": [_task_row(t, plan.is_annual) for t in plan.tasks.all()],
        },
    }


def _task_row(task, annual: bool) -> dict:
    row = {
        "uid": str(task.uid),
        "name": task.name,
        "category": task.category,
        "lead_unit": task.lead_unit,
        "coordinating_units": task.coordinating_units,
        "estimated_cost": task.estimated_cost,
        "funding_source": task.funding_source,
    }
    if annual:
        row["deadline"] = task.deadline.isoformat() if task.deadline else None
        row["parent_task"] = task.parent_task.name if task.parent_task_id else ""
    else:
        row["start_year"] = task.start_year
        row["end_year"] = task.end_year
    return row


def submission_problems(document) -> list[str]:
    """A plan goes to review only complete: required sections and at least one task."""
    plan = Plan.objects.get(document=document)
    problems = [
        gettext("The section “%(section)s” must be filled in.") % {"section": label}
        for key, label, required in SECTIONS
        if required and not (plan.sections.get(key) or "").strip()
    ]
    if not plan.tasks.exists():
        problems.append(gettext("A plan needs at least one task."))
    if plan.is_annual and plan.parent_id is None:
        problems.append(gettext("An annual plan must belong to a five-year plan."))
    return problems


def published_guidance(year: int):
    return Guidance.objects.filter(year=year, published_at__isnull=False).first()


def guidance_deadline(year: int):
    """The due date of year N's first drafts of plans and estimates: the deadline of that
    year's guidance, from the day it is published (None before)."""
    return (
        Guidance.objects.filter(year=year, published_at__isnull=False)
        .values_list("deadline", flat=True)
        .first()
    )


# Sections other apps add under a plan (training: the courses its tasks deliver), each a
# callable (document) -> rendered HTML or "", so planning imports none of them.
PLAN_PANELS: list = []


def register_plan_panel(panel) -> None:
    if panel not in PLAN_PANELS:
        PLAN_PANELS.append(panel)


def panels(document, snapshot) -> dict:
    return {
        "guidance": published_guidance(document.year),
        "extras": [html for panel in PLAN_PANELS if (html := panel(document))],
    }


def register() -> None:
    for code, label, plural, annual in (
        (Kind.FIVE_YEAR, _("Five-year IT application plan"), _("Five-year plans"), False),
        (Kind.ANNUAL, _("Annual IT application plan"), _("Annual plans"), True),
    ):
        kinds.register(
            kinds.DocumentKind(
                code=code,
                label=label,
                label_plural=plural,
                audit_prefix="planning.plan",
                audit_label=_("Plan"),
                drafting_unit="TTTT",
                reviewing_unit="KH",
                draft_permission="organisation.draft_it_plans",
                review_permission="organisation.review_it_plans",
                register="KH",
                print_type="KẾ HOẠCH",
                schema=_schema(annual),
                snapshot=snapshot,
                detail_url_name="workflows:document",
                edit_url_name="planning:edit",
                submission_problems=submission_problems,
                panels_template="planning/includes/plan_panels.html",
                panels=panels,
                recipients=("Như trên", "Bộ trưởng, Chủ nhiệm (để b/c)", "Lưu: VT, TTTT"),
                draft_due_on=guidance_deadline if annual else None,
            )
        )

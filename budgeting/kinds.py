"""How budget estimates plug into the engine, and the figures every screen shows about
them: totals, reconciliation with the annual plan, and the guidance ceilings."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from planning.kinds import guidance_deadline, published_guidance
from planning.models import FundingSource, PlanTask
from workflows import kinds, money
from workflows.content import Column, Schema, Table

from .models import Estimate, ExpenseCategory

KIND = "budget_estimate"

SCHEMA = Schema(
    fields=(Column("annual_plan", _("Annual plan")), Column("year", _("Year"), "year")),
    sections=(("justification", _("Justification for exceeding the ceiling")),),
    tables=(
        Table(
            "lines",
            _("Line items"),
            (
                Column("content", _("Content")),
                Column("unit", _("Unit of measure")),
                Column("quantity", _("Quantity"), "number"),
                Column("unit_price", _("Unit price"), "money"),
                Column("amount", _("Amount"), "money", total=True),
                Column(
                    "funding_source", _("Funding source"), "choice", dict(FundingSource.choices)
                ),
                Column(
                    "expense_category",
                    _("Expense category"),
                    "choice",
                    dict(ExpenseCategory.choices),
                ),
                Column("plan_task", _("Plan task funded")),
                Column("note", _("Note")),
            ),
        ),
    ),
)


def snapshot(document) -> dict[str, Any]:
    estimate = Estimate.objects.select_related("annual_plan__document").get(document=document)
    lines = estimate.lines.select_related("plan_task").order_by("position", "pk")
    return {
        "title": document.title,
        "fields": {"annual_plan": estimate.annual_plan.document.title, "year": document.year},
        "sections": {"justification": estimate.justification},
        "tables": {
            "lines": [
                {
                    "uid": str(line.uid),
                    "content": line.content,
                    "unit": line.unit,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "amount": line.amount,
                    "funding_source": line.funding_source,
                    "expense_category": line.expense_category,
                    "plan_task": line.plan_task.name if line.plan_task_id else "",
                    "plan_task_uid": str(line.plan_task.uid) if line.plan_task_id else "",
                    "note": line.note,
                }
                for line in lines
            ]
        },
    }


def figures(document, content: dict[str, Any]) -> dict[str, Any]:
    """Totals by category, source and task, reconciliation against the annual plan's
    tasks, and the comparison with the year's published ceilings — from the snapshot
    being shown, so a reviewer sees the figures of exactly the revision they act on."""
    rows = content["tables"].get("lines", [])
    total = sum(int(r["amount"]) for r in rows)
    by_category: dict[str, int] = defaultdict(int)
    by_source: dict[str, int] = defaultdict(int)
    by_task: dict[str, int] = defaultdict(int)
    for r in rows:
        by_category[r["expense_category"]] += int(r["amount"])
        by_source[r["funding_source"]] += int(r["amount"])
        by_task[r.get("plan_task_uid") or ""] += int(r["amount"])
    estimate = Estimate.objects.only("annual_plan_id").get(document=document)
    tasks = list(
        PlanTask.objects.filter(plan_id=estimate.annual_plan_id).order_by("position", "pk")
    )
    reconciliation = [
        {
            "task": t.name,
            "planned": t.estimated_cost,
            "funded": by_task.get(str(t.uid), 0),
            "difference": by_task.get(str(t.uid), 0) - t.estimated_cost,
            "unfunded": str(t.uid) not in by_task,
        }
        for t in tasks
    ]
    guidance = published_guidance(document.year)
    over = []
    if guidance:
        if total > guidance.total_ceiling:
            over.append(("total", total, guidance.total_ceiling))
        for source in FundingSource.values:
            if by_source.get(source, 0) > guidance.ceiling_for(source):
                over.append((source, by_source[source], guidance.ceiling_for(source)))
    return {
        "total": total,
        "by_category": [
            (label, by_category[code])
            for code, label in ExpenseCategory.choices
            if code in by_category
        ],
        "by_source": [
            (label, by_source[code]) for code, label in FundingSource.choices if code in by_source
        ],
        "reconciliation": reconciliation,
        "planned_total": sum(t.estimated_cost for t in tasks),
        "unlinked_lines": [r["content"] for r in rows if not r.get("plan_task_uid")],
        "guidance": guidance,
        "over": over,
    }


def _over_messages(figures_: dict[str, Any]) -> list[str]:
    """In the unit the page shows, with the unit named: built per request, never stored."""
    labels = {"total": gettext("The total"), **{k: str(v) for k, v in FundingSource.choices}}
    return [
        gettext("%(what)s is %(amount)s, over the ceiling of %(ceiling)s.")
        % {
            "what": labels[what],
            "amount": money.with_unit(amount),
            "ceiling": money.with_unit(ceiling),
        }
        for what, amount, ceiling in figures_["over"]
    ]


def panels(document, content) -> dict[str, Any]:
    return figures(document, content)


def warnings(document, content, panels=None) -> list[str]:
    """The ceiling warnings; reuses the figures of `panels` when the page built them."""
    return _over_messages(panels if panels and "over" in panels else figures(document, content))


def submission_problems(document) -> list[str]:
    content = snapshot(document)
    problems = []
    if not content["tables"]["lines"]:
        problems.append(gettext("An estimate needs at least one line."))
    over = _over_messages(figures(document, content))
    if over and not content["sections"]["justification"].strip():
        problems.append(
            gettext("The estimate is over the ceiling: write a justification before submitting.")
        )
        problems += over
    return problems


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            code=KIND,
            label=_("Annual IT budget estimate"),
            label_plural=_("Budget estimates"),
            audit_prefix="budgeting.estimate",
            drafting_unit="TTTT",
            reviewing_unit="KH",
            draft_permission="organisation.draft_it_plans",
            review_permission="organisation.review_it_plans",
            register="QĐ",
            print_type="QUYẾT ĐỊNH",
            schema=SCHEMA,
            snapshot=snapshot,
            detail_url_name="workflows:document",
            edit_url_name="budgeting:edit",
            submission_problems=submission_problems,
            panels_template="budgeting/includes/estimate_panels.html",
            panels=panels,
            warnings=warnings,
            recipients=("Như trên", "Vụ Kế hoạch", "Lưu: VT, TTTT"),
            draft_due_on=guidance_deadline,
        )
    )

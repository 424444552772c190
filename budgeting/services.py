"""Writing budget estimates. The engine does locking, permission, versions and audit;
this module knows what a line is and when an estimate is valid. The same row validation
serves the edit form and the spreadsheet import, so both report problems alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.text import clean
from planning.models import FundingSource, Kind, Plan
from workflows import imports, xlsx_import
from workflows import services as engine
from workflows.exceptions import InvalidInput
from workflows.formatting import grouped

from .models import MAX_AMOUNT, Estimate, ExpenseCategory, LineItem

KIND = "budget_estimate"
MAX_LINES = 20_000
MAX_JUSTIFICATION = 20_000


@dataclass
class LineRow:
    content: str
    expense_category: str
    funding_source: str
    quantity: Any
    unit: str
    unit_price: Any
    plan_task_uid: str | None = None
    note: str = ""
    uid: str | None = None


# The problem of a row, as every import reports it (workflows.xlsx_import).
RowProblem = xlsx_import.RowProblem


def whole_number(value: Any) -> int | None:
    """Whole đồng only: 1.5, '1e3', True, 'một triệu' are refused, never rounded."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    raise ValueError


COLUMN_LABELS = {
    "content": gettext_lazy("content"),
    "expense_category": gettext_lazy("expense category"),
    "funding_source": gettext_lazy("funding source"),
    "quantity": gettext_lazy("quantity"),
    "unit": gettext_lazy("unit of measure"),
    "unit_price": gettext_lazy("unit price (đồng)"),
    "amount": gettext_lazy("amount (đồng)"),
    "plan_task": gettext_lazy("plan task funded"),
    "note": gettext_lazy("note"),
}


shown_value = imports.shown_value


def _blank(value: Any) -> bool:
    return value is None or not str(value).strip()


def validate_lines(
    rows: list[LineRow], *, task_uids: set[str], first_row: int = 1
) -> list[RowProblem]:
    """Every problem of every row, with its row number and column. Each reason quotes
    the value refused and says what to write instead (the same for the edit form and
    the spreadsheet import)."""
    problems: list[RowProblem] = []
    if len(rows) > MAX_LINES:
        problems.append(
            RowProblem(
                first_row,
                "",
                _(
                    "there are %(count)s lines; at most %(limit)s are allowed: "
                    "remove or merge lines."
                )
                % {"count": grouped(len(rows)), "limit": grouped(MAX_LINES)},
            )
        )
        return problems
    categories, sources = set(ExpenseCategory.values), set(FundingSource.values)
    limits = {"limit": grouped(MAX_AMOUNT), "example": grouped(1_500_000)}
    for offset, row in enumerate(rows):
        n = first_row + offset

        def bad(column: str, reason: str, n=n) -> None:
            problems.append(RowProblem(n, str(COLUMN_LABELS[column]), reason))

        def too_long(column: str, text: str, limit: int) -> None:
            bad(
                column,
                _("has %(count)s characters: shorten it to at most %(limit)s.")
                % {"count": grouped(len(text)), "limit": grouped(limit)},
            )

        if _blank(row.content):
            bad("content", _("is empty: write what the line pays for."))
        elif len(row.content) > 500:
            too_long("content", row.content, 500)
        if row.expense_category not in categories:
            bad(
                "expense_category",
                _("is empty: choose one of the listed expense categories.")
                if _blank(row.expense_category)
                else _("“%(value)s” is not an expense category: choose one of the listed ones.")
                % {"value": shown_value(row.expense_category)},
            )
        if row.funding_source not in sources:
            bad(
                "funding_source",
                _("is empty: choose development investment or recurrent expenditure.")
                if _blank(row.funding_source)
                else _(
                    "“%(value)s” is not a funding source: choose development investment or "
                    "recurrent expenditure."
                )
                % {"value": shown_value(row.funding_source)},
            )
        if _blank(row.unit):
            bad("unit", _("is empty: write the unit of measure, for example “set” or “month”."))
        elif len(row.unit) > 50:
            too_long("unit", row.unit, 50)
        if len(row.note or "") > 500:
            too_long("note", row.note, 500)
        quantity = price = None
        try:
            quantity = whole_number(row.quantity)
            if quantity is None or quantity < 1 or quantity > MAX_AMOUNT:
                raise ValueError
        except ValueError:
            quantity = None
            bad(
                "quantity",
                _("is empty: write the quantity in digits, for example 12.")
                if _blank(row.quantity)
                else _(
                    "“%(value)s” is not a whole number from 1 to %(limit)s: write the quantity "
                    "in digits, for example 12."
                )
                % {"value": shown_value(row.quantity), **limits},
            )
        try:
            price = whole_number(row.unit_price)
            if price is None or price < 0 or price > MAX_AMOUNT:
                raise ValueError
        except ValueError:
            price = None
            bad(
                "unit_price",
                _("is empty: write the unit price in whole đồng, for example %(example)s.") % limits
                if _blank(row.unit_price)
                else _(
                    "“%(value)s” is not a whole number of đồng from 0 to %(limit)s: write the "
                    "price in digits, for example %(example)s."
                )
                % {"value": shown_value(row.unit_price), **limits},
            )
        if quantity is not None and price is not None and quantity * price > MAX_AMOUNT:
            bad(
                "amount",
                _(
                    "quantity × unit price is %(amount)s đồng, more than %(limit)s đồng: "
                    "lower the quantity or the unit price."
                )
                % {"amount": grouped(quantity * price), **limits},
            )
        if row.plan_task_uid and row.plan_task_uid not in task_uids:
            bad(
                "plan_task",
                _(
                    "is not a task of this estimate's annual plan: choose one of its tasks or "
                    "leave it empty."
                ),
            )
    return problems


def _task_uids(plan: Plan) -> dict[str, int]:
    return {str(uid): pk for uid, pk in plan.tasks.values_list("uid", "pk")}


@engine.record_denials
def estimate_create(*, user, year: int, title: str = "", ip: str | None = None) -> Estimate:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput(problems=[_("The year must be between 2000 and 2100.")])
    plan = (
        Plan.objects.filter(document__kind=Kind.ANNUAL, period_start=year)
        .select_related("document")
        .first()
    )
    if plan is None:
        raise InvalidInput(
            problems=[
                _("There is no annual plan for %(year)d yet: draft it first.") % {"year": year}
            ]
        )
    if Estimate.objects.filter(annual_plan=plan).exists():
        raise InvalidInput(
            problems=[
                _("The annual plan of %(year)d already has a budget estimate.") % {"year": year}
            ]
        )
    title = clean(title) or _("Budget estimate for IT application in %(year)d") % {"year": year}
    if len(title) > 500:
        raise InvalidInput(problems=[_("The title may be at most 500 characters.")])
    with transaction.atomic():
        document = engine.document_create(
            user=user, kind=KIND, title=title, year=year, ip=ip, data={"annual_plan": plan.pk}
        )
        return Estimate.objects.create(document=document, annual_plan=plan)


@engine.record_denials
def estimate_update(
    *,
    user,
    document_id: int,
    version: int | None,
    title: str,
    justification: str,
    lines: list[LineRow] | None,
    ip: str | None = None,
    what: str = "content",
) -> Estimate:
    """Replace the estimate's title, justification and lines in one go: all valid, or
    nothing saved. `lines=None` keeps the lines as they are (large estimates change their
    lines through the spreadsheet import)."""
    with engine.document_editing(
        user=user, document_id=document_id, version=version, ip=ip, what=what
    ) as document:
        estimate = Estimate.objects.select_related("annual_plan").get(document=document)
        tasks = _task_uids(estimate.annual_plan)
        title = clean(title)
        problems: list[Any] = [] if title else [_("An estimate needs a title.")]
        if len(title) > 500:
            problems.append(_("The title may be at most 500 characters."))
        if len(justification or "") > MAX_JUSTIFICATION:
            problems.append(
                _("The justification may be at most %(limit)s characters: shorten it.")
                % {"limit": grouped(MAX_JUSTIFICATION)}
            )
        if lines is not None:
            problems += validate_lines(lines, task_uids=set(tasks))
        if problems:
            raise InvalidInput(problems=[str(p) for p in problems])
        document.title = title
        estimate.justification = clean(justification)
        estimate.save(update_fields=["justification"])
        if lines is not None:
            _replace_lines(estimate, lines, tasks)
        return estimate


def _replace_lines(estimate: Estimate, rows: list[LineRow], tasks: dict[str, int]) -> None:
    existing = {str(u): pk for u, pk in estimate.lines.values_list("uid", "pk")}
    # A uid names one existing line; a row repeating it (a copied row) is a new line.
    seen: set[str] = set()
    for row in rows:
        if row.uid in seen or row.uid not in existing:
            row.uid = None
        else:
            seen.add(row.uid)
    kept = seen
    try:
        LineItem.objects.filter(estimate=estimate, uid__in=set(existing) - kept).delete()
    except ProtectedError:  # pragma: no cover - nothing refers to lines yet
        raise InvalidInput from None
    updates, creates = [], []
    for position, row in enumerate(rows):
        quantity, price = whole_number(row.quantity), whole_number(row.unit_price)
        values = {
            "position": position,
            "content": clean(row.content),
            "expense_category": row.expense_category,
            "funding_source": row.funding_source,
            "quantity": quantity,
            "unit": clean(row.unit),
            "unit_price": price,
            "amount": quantity * price,
            "plan_task_id": tasks.get(row.plan_task_uid or ""),
            "note": clean(row.note),
        }
        if row.uid in kept:
            updates.append(LineItem(pk=existing[row.uid], estimate=estimate, **values))
        else:
            creates.append(LineItem(estimate=estimate, uid=uuid.uuid4(), **values))
    if updates:
        LineItem.objects.bulk_update(updates, _UPDATABLE, batch_size=500)
    LineItem.objects.bulk_create(creates, batch_size=1000)


_UPDATABLE = [
    "position",
    "content",
    "expense_category",
    "funding_source",
    "quantity",
    "unit",
    "unit_price",
    "amount",
    "plan_task",
    "note",
]

"""Helpers for the budget-estimate tests: an annual plan with tasks to fund, line rows,
planning guidance with ceilings, and `make_estimate(state=...)`, which drives an estimate
to a state through the real services (the driving itself is the engine's shared
`tests.workflows.helpers.drive`, the same for every document kind)."""

from __future__ import annotations

import datetime as dt
import uuid

from budgeting import services as budgeting
from budgeting.models import Estimate, LineItem
from budgeting.services import LineRow
from planning import services as planning
from planning.models import Guidance, Kind, Plan, PlanTask
from tests.workflows import helpers as h
from workflows.models import Document

YEAR = 2027

# The annual plan's tasks that estimates fund: (name, estimated cost, funding source).
TASKS = (
    ("Nâng cấp cổng thông tin điện tử", 300_000_000, "recurrent"),
    ("Mua sắm máy chủ cho trung tâm dữ liệu", 1_200_000_000, "investment"),
    ("Đào tạo an toàn thông tin", 100_000_000, "recurrent"),
)


def annual_plan(year: int = YEAR, tasks=TASKS) -> Plan:
    """The annual plan of `year` with the given tasks (a five-year plan covering the year
    is created first when there is none). Left in draft: an estimate needs only its
    existence."""
    if not Plan.objects.filter(
        document__kind=Kind.FIVE_YEAR, period_start__lte=year, period_end__gte=year
    ).exists():
        h.create_plan(kind=Kind.FIVE_YEAR, year=year, title=f"Kế hoạch 5 năm từ {year}")
    document = h.create_plan(
        kind=Kind.ANNUAL, year=year, title=f"Kế hoạch ứng dụng CNTT năm {year}"
    )
    rows = [
        planning.TaskRow(
            name=name,
            category="portal",
            lead_unit="Trung tâm Thông tin",
            estimated_cost=cost,
            funding_source=source,
            deadline=dt.date(year, 11, 30),
        )
        for name, cost, source in tasks
    ]
    h.fill(document, tasks=rows)
    return Plan.objects.get(document=document)


def existing_annual_plan(year: int = YEAR) -> Plan | None:
    return Plan.objects.filter(document__kind=Kind.ANNUAL, period_start=year).order_by("pk").first()


def task(plan: Plan, index: int) -> PlanTask:
    return plan.tasks.order_by("position", "pk")[index]


def line(
    content: str = "Máy chủ ứng dụng",
    quantity=2,
    unit_price=150_000_000,
    *,
    source: str = "investment",
    category: str = "hardware",
    plan_task: PlanTask | str | None = None,
    unit: str = "bộ",
    note: str = "",
    uid: str | None = None,
) -> LineRow:
    task_uid = str(plan_task.uid) if isinstance(plan_task, PlanTask) else plan_task
    return LineRow(
        content=content,
        expense_category=category,
        funding_source=source,
        quantity=quantity,
        unit=unit,
        unit_price=unit_price,
        plan_task_uid=task_uid,
        note=note,
        uid=uid,
    )


def default_lines(plan: Plan) -> list[LineRow]:
    """Two lines funding the plan's first two tasks: 300.000.000 recurrent and
    1.000.000.000 investment (1.300.000.000 đồng in all)."""
    return [
        line(
            "Thuê dịch vụ cổng thông tin",
            12,
            25_000_000,
            source="recurrent",
            category="rental",
            plan_task=task(plan, 0),
            unit="tháng",
        ),
        line("Máy chủ ứng dụng", 4, 250_000_000, plan_task=task(plan, 1)),
    ]


def create_estimate(year: int = YEAR, title: str = "") -> Document:
    estimate = budgeting.estimate_create(user=h.person(h.DRAFTER), year=year, title=title)
    return estimate.document


def update(
    document: Document,
    lines: list[LineRow],
    *,
    justification: str = "",
    title: str | None = None,
    user: str = h.DRAFTER,
) -> Estimate:
    document.refresh_from_db()
    return budgeting.estimate_update(
        user=h.person(user),
        document_id=document.pk,
        version=document.version,
        title=title or document.title,
        justification=justification,
        lines=lines,
    )


def make_estimate(
    state: str = "draft",
    *,
    year: int = YEAR,
    lines=None,
    justification: str = "",
    signer: str = h.MINISTER,
    plan: Plan | None = None,
) -> Document:
    """A complete estimate (for a fresh annual plan of `year` unless one is given) driven
    to `state` through the services, as people would."""
    plan = plan or existing_annual_plan(year) or annual_plan(year)
    document = create_estimate(year)
    update(
        document,
        default_lines(plan) if lines is None else lines(plan) if callable(lines) else lines,
        justification=justification,
    )
    return h.drive(document, state, signer=signer)


def guidance(
    year: int = YEAR,
    *,
    total: int,
    investment: int,
    recurrent: int,
    publish: bool = True,
) -> Guidance:
    """The Planning Department's guidance for `year` with its ceilings."""
    reviewer = h.person(h.REVIEWER)
    planning.guidance_save(
        user=reviewer,
        year=year,
        deadline=dt.date(year - 1, 8, 31),
        total_ceiling=total,
        investment_ceiling=investment,
        recurrent_ceiling=recurrent,
        instructions="Xây dựng dự toán theo hướng dẫn.",
    )
    if publish:
        planning.guidance_publish(user=reviewer, year=year)
    return Guidance.objects.get(year=year)


def bulk_lines(document: Document, count: int, *, start: int = 0, plan_task=None) -> None:
    """`count` valid lines written directly (bulk_create) for speed."""
    estimate = Estimate.objects.get(document=document)
    LineItem.objects.bulk_create(
        (
            LineItem(
                estimate=estimate,
                uid=uuid.uuid4(),
                position=start + i,
                content=f"Dòng dự toán số {start + i + 1}",
                expense_category=("hardware", "software", "training")[i % 3],
                funding_source=("investment", "recurrent")[i % 2],
                quantity=1 + i % 5,
                unit="bộ",
                unit_price=1_000_000 * (1 + i % 7),
                amount=(1 + i % 5) * 1_000_000 * (1 + i % 7),
                plan_task=plan_task,
                note="",
            )
            for i in range(count)
        ),
        batch_size=500,
    )


def fresh(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)

"""Shared helpers for the digitisation tests: an issued plan with a digitisation task
(driven through the real services), batch rows, and `make_batch(state=...)`, which takes
a batch to a state through the real services."""

from __future__ import annotations

import datetime as dt

from digitisation import services
from digitisation.models import Batch
from organisation.models import Unit
from planning.models import Kind, PlanTask
from planning.services import TaskRow
from tests.workflows import helpers as h

OFFICE = "vanthu.vp"
CENTRE = "soanthao.tttt"
TASK_NAME = "Số hóa hồ sơ, tài liệu lưu trữ giai đoạn 2015 - 2019"


def issued_task(year: int = 2026, name: str = TASK_NAME, kind: str = Kind.FIVE_YEAR) -> PlanTask:
    """The digitisation task of an issued plan (five-year unless `kind` says annual, in
    which case a five-year plan covering the year is issued first)."""
    if kind == Kind.ANNUAL:
        issued_task(year=year, name=f"{name} (5 năm)")
    document = h.create_plan(kind=kind, year=year, title=f"Kế hoạch số hóa {kind} {year} {name}")
    common = {
        "name": name,
        "category": "digitisation",
        "lead_unit": "Văn phòng Ủy ban",
        "estimated_cost": 1_200_000_000,
        "funding_source": "recurrent",
    }
    if kind == Kind.ANNUAL:
        row = TaskRow(**common, deadline=dt.date(year, 11, 30))
    else:
        row = TaskRow(**common, start_year=year, end_year=year + 1)
    h.fill(document, tasks=[row])
    h.drive(document, "issued")
    return PlanTask.objects.get(plan__document=document, category="digitisation")


def unit(code: str = "VP") -> Unit:
    return Unit.objects.get(code=code)


def row(task: PlanTask, **changes) -> services.BatchRow:
    values = {
        "fonds": "Phông Văn phòng Ủy ban Dân tộc, hồ sơ năm 2015",
        "unit_id": unit().pk,
        "period_from": dt.date(2015, 1, 1),
        "period_to": dt.date(2015, 12, 31),
        "documents": 120,
        "pages": 860,
        "performed_by": "Tổ số hóa Văn phòng",
        "plan_task_id": task.pk,
    }
    values.update(changes)
    return services.BatchRow(**values)


def register(task: PlanTask, **changes) -> Batch:
    return services.batch_register(user=h.person(OFFICE), row=row(task, **changes))


def make_batch(task: PlanTask, state: str = "registered", **changes) -> Batch:
    """A batch driven to `state` (registered, accepted, rejected, redone)."""
    batch = register(task, **changes)
    if state == "registered":
        return batch
    if state == "accepted":
        return services.batch_accept(user=h.person(CENTRE), batch_id=batch.pk, sample_size=10)
    services.batch_reject(
        user=h.person(CENTRE), batch_id=batch.pk, sample_size=10, reasons="Ảnh mờ, thiếu trang."
    )
    if state == "rejected":
        return Batch.objects.get(pk=batch.pk)
    assert state == "redone", state
    return services.batch_redo(user=h.person(OFFICE), batch_id=batch.pk, note="Quét lại 12 trang.")

"""The demo digitisation batches and targets (batches.yaml beside this module), through
the real services so the audit trail has them. Idempotent: a batch whose fonds and
period already exist, or a target already set, is left alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from organisation.models import Person, Unit
from worktime.calendar import today

from .. import selectors, services
from ..models import Batch, Target

HERE = Path(__file__).parent
BATCH_KEYS = {"fonds", "unit", "years_ago", "documents", "pages", "performed_by", "state"}
STATES = {"registered", "accepted", "rejected", "redone"}


def read() -> dict:
    data = yaml.safe_load((HERE / "batches.yaml").read_text(encoding="utf-8"))
    for row in data["batches"]:
        if not set(row) >= BATCH_KEYS or row["state"] not in STATES:
            raise ValueError(f"batches.yaml: {row} needs {sorted(BATCH_KEYS)} and a known state")
    return data


def period(years_ago: list[int]) -> tuple[dt.date, dt.date]:
    year = today().year
    first, last = years_ago
    return dt.date(year - first, 1, 1), dt.date(year - last, 12, 31)


def load_demo() -> str:
    data = read()
    task = selectors.deliverable_tasks().filter(name=data["task"]).first()
    if task is None:
        return _("Demo digitisation skipped: no issued plan has its digitisation task.")
    office = Person.objects.get(username=data["registered_by"])
    centre = Person.objects.get(username=data["checked_by"])
    units = {u.code: u for u in Unit.objects.all()}
    for target in data["targets"]:
        unit = units[target["unit"]]
        if not Target.objects.filter(plan_task=task, unit=unit).exists():
            services.target_set(
                user=office,
                plan_task_id=task.pk,
                unit_id=unit.pk,
                documents=target["documents"],
                pages=target["pages"],
            )
    created = 0
    for row in data["batches"]:
        start, end = period(row["years_ago"])
        unit = units[row["unit"]]
        if Batch.objects.filter(fonds=row["fonds"], unit=unit, period_from=start).exists():
            continue
        batch = services.batch_register(
            user=office,
            row=services.BatchRow(
                fonds=row["fonds"],
                unit_id=unit.pk,
                period_from=start,
                period_to=end,
                documents=row["documents"],
                pages=row["pages"],
                performed_by=row["performed_by"],
                plan_task_id=task.pk,
            ),
        )
        created += 1
        if row["state"] == "accepted":
            services.batch_accept(user=centre, batch_id=batch.pk, sample_size=row["sample"])
        elif row["state"] in ("rejected", "redone"):
            services.batch_reject(
                user=centre, batch_id=batch.pk, sample_size=row["sample"], reasons=row["reasons"]
            )
            if row["state"] == "redone":
                services.batch_redo(user=office, batch_id=batch.pk, note=row["rework"])
    return _("Digitisation batches registered: %(n)d") % {"n": created}

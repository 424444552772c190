"""Demo due dates: the demo's documents are all created in the same second, so every step
would be due days from now. To show the statuses the lists distinguish, the open steps
named in due_dates.yaml are dated relative to the day load_demo runs, as if they had
started earlier (overdue) or later. Runs after the other apps' demos (INSTALLED_APPS
order); safe to run again: the dates follow the new day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from workflows.models import Document, State
from worktime.calendar import WorkingCalendar, today

HERE = Path(__file__).parent
OPEN = (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ENDORSED)


def read() -> list[dict]:
    rows = yaml.safe_load((HERE / "due_dates.yaml").read_text(encoding="utf-8"))
    for row in rows:
        if set(row) != {"title", "working_days"} or not isinstance(row["working_days"], int):
            raise ValueError(f"due_dates.yaml: {row} needs a title and whole working_days")
    return rows


def shifted(calendar: WorkingCalendar, start: dt.date, working_days: int) -> dt.date:
    """`working_days` working days after `start` (before it when negative)."""
    if working_days >= 0:
        return calendar.add_working_days(start, working_days) if working_days else start
    day, left = start, -working_days
    while left:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def load_demo() -> str:
    calendar, start = WorkingCalendar.load(), today()
    dated = []
    for row in read():
        due_on = shifted(calendar, start, row["working_days"])
        if Document.objects.filter(title=row["title"], state__in=OPEN).update(due_on=due_on):
            dated.append(f"{due_on:%d/%m/%Y}")
    return "Demo due dates: " + (", ".join(dated) or "no open document to date") + "."

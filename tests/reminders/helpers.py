"""Open tasks for the reminder tests: documents in a state with a due date, written
directly (the duedates part sets due_on through the services; here only the job is
under test), and a run of the job on a day as the worker runs it."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from organisation.models import Person, Unit
from planning.models import Kind
from reminders import tasks
from reminders.services import ENGLISH
from workflows.models import Document
from worktime.calendar import VIETNAM


def task(title: str, *, state: str, due_on: dt.date, drafting="TTTT", reviewing="KH", **extra):
    return Document.objects.create(
        **extra,
        kind=Kind.FIVE_YEAR,
        title=title,
        year=2026,
        state=state,
        drafting_unit=Unit.objects.get(code=drafting),
        reviewing_unit=Unit.objects.get(code=reviewing),
        created_by=Person.objects.get(username="soanthao.tttt"),
        due_on=due_on,
    )


def run_on(day: dt.date, capture) -> list:
    """The periodic task as huey's schedule fires it, at 07:30 in Vietnam on `day`, with
    the clock frozen; returns the mails it sent."""
    mail.outbox.clear()
    at = dt.datetime.combine(day, dt.time(7, 30), tzinfo=VIETNAM)
    with time_machine.travel(at, tick=False), capture(execute=True):
        tasks.send_reminders()
    return list(mail.outbox)


def english(message) -> str:
    return message.body.split(ENGLISH, 1)[-1]


def kind_of(message) -> str:
    """The kind of mail from its English subject (the Vietnamese one comes first)."""
    subject = message.subject.rsplit(" / ", 1)[-1]
    for prefix, kind in (
        ("Due soon:", "before"),
        ("Due today:", "due"),
        ("Overdue in your unit:", "escalated"),
        ("Your tasks on", "digest"),
    ):
        if subject.startswith(prefix):
            return kind
    raise AssertionError(f"unknown mail {message.subject!r}")


def summary(messages, titles) -> list[tuple]:
    """(recipient, kind, titles it lists) of each mail, sorted: what the schedule checks."""
    users = {p.email: p.username for p in Person.objects.all()}
    rows = []
    for message in messages:
        text = english(message)
        listed = tuple(sorted(t for t in titles if f"- {t} (" in text))
        rows.append((users[message.to[0]], kind_of(message), listed))
    return sorted(rows)


def by_recipient(messages) -> dict[str, list]:
    users = {p.email: p.username for p in Person.objects.all()}
    found: dict[str, list] = {}
    for message in messages:
        found.setdefault(users[message.to[0]], []).append(message)
    return found

"""The nightly reminder job over 10,000 open tasks and 2,000 people.

Creates a fresh database with the demo organisation, then (not timed) 100 more units of
20 people each (2,000 people: per unit its head, 6 drafters, 6 reviewers and 7 others;
20 of them Vice-Ministers who sign), 10% of them reading digests only, and 10,000 open
documents: a third each in drafting, review and signature, drafted by one unit and
reviewed by the next, with due dates spread from 15 working days overdue to 5 ahead.

Then times `reminders.services.reminders_send(on=...)` as the worker runs it:

1. the first run of the day (reminders, escalations to heads, one digest per person);
2. the same day again (at most once: must queue nothing);
3. the next working day (the steady state: escalations told once, heads' digests).

Reports for each run the time, the SQL queries, the mails queued (delivered on commit to
Django's in-memory backend, included in the time) and checks that nobody got more than
one digest on a day.

Usage (from the project root):

    python benchmarks/reminders.py [--tasks 10000] [--people 2000]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/reminders.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter

import _common

DAY = dt.date(2026, 12, 2)  # a Wednesday
PER_UNIT = 20


def build(tasks: int, people_count: int) -> None:
    from django.contrib.auth.models import Group

    from organisation import roles
    from organisation.models import Person, Unit
    from planning.models import Kind
    from reminders.models import NotificationPreference
    from workflows.models import Document
    from worktime.calendar import WorkingCalendar

    roles.sync_roles()
    units = Unit.objects.bulk_create(
        Unit(code=f"B{u:03}", name_vi=f"Đơn vị thử {u}", name_en=f"Test unit {u}", sort_order=99)
        for u in range(people_count // PER_UNIT)
    )
    units = list(Unit.objects.filter(code__startswith="B").order_by("code"))
    people = Person.objects.bulk_create(
        Person(
            username=f"bench{u.code}.{i}",
            full_name=f"Nguyễn Văn Thử {u.code} {i}",
            email=f"bench{u.code}.{i}@example.gov.vn",
            password="!",
            unit=u,
        )
        for u in units
        for i in range(PER_UNIT)
    )
    people = list(Person.objects.filter(username__startswith="bench").order_by("pk"))
    groups = {g.name: g for g in Group.objects.all()}
    through = Person.groups.through
    links = []
    for n, person in enumerate(people):
        i = n % PER_UNIT
        if 1 <= i <= 6:
            links.append(through(person_id=person.pk, group_id=groups[roles.CENTRE_DRAFTER].pk))
        elif 7 <= i <= 12:
            links.append(through(person_id=person.pk, group_id=groups[roles.PLANNING_REVIEWER].pk))
        if n < 20 * PER_UNIT and i == 19:
            links.append(through(person_id=person.pk, group_id=groups[roles.VICE_MINISTER].pk))
    through.objects.bulk_create(links)
    for unit, head in zip(units, people[::PER_UNIT], strict=True):
        unit.head = head
    Unit.objects.bulk_update(units, ["head"])
    NotificationPreference.objects.bulk_create(
        NotificationPreference(person=p, digest_only=True) for p in people[3::10]
    )
    calendar = WorkingCalendar.load()
    back = [DAY]
    for _ in range(15):
        day = back[-1] - dt.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        back.append(day)
    due_dates = sorted(back) + [calendar.add_working_days(DAY, k) for k in range(1, 6)]
    creator = people[1]
    states = ("draft", "submitted", "endorsed")
    Document.objects.bulk_create(
        (
            Document(
                kind=Kind.FIVE_YEAR,
                title=f"Kế hoạch thử nhắc việc số {n}",
                year=2026,
                state=states[n % 3],
                drafting_unit=units[n % len(units)],
                reviewing_unit=units[(n + 1) % len(units)],
                created_by=creator,
                due_on=due_dates[n % len(due_dates)],
            )
            for n in range(tasks)
        ),
        batch_size=500,
    )


def run(label: str, day: dt.date) -> dict:
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.models import Kind, ReminderLog
    from reminders.services import reminders_send

    mail.outbox = []
    with CaptureQueriesContext(connection) as queries, _common.Stopwatch() as watch:
        result = reminders_send(on=day)
    digests = Counter(
        ReminderLog.objects.filter(day=day, kind=Kind.DIGEST).values_list("person_id", flat=True)
    )
    per_person = Counter(m.to[0] for m in mail.outbox)
    print(
        f"{label}: {watch.seconds:.2f} s, {len(queries)} queries, {result.mails} mails queued "
        f"({len(mail.outbox)} delivered): {result.reminders} reminders, "
        f"{result.escalations} escalations, {result.digests} digests to "
        f"{len(digests)} people; most mails to one person: "
        f"{max(per_person.values(), default=0)}"
    )
    return {"result": result, "outbox": list(mail.outbox)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    args = parser.parse_args()
    with _common.fresh_database("reminders") as database:
        from workflows.models import AuditEvent
        from worktime.calendar import WorkingCalendar

        print(f"Reminders benchmark — {database}; {_common.machine()}")
        with _common.Stopwatch() as setup:
            build(args.tasks, args.people)
        print(
            f"Built {args.tasks} open tasks and {args.people} people in {setup.seconds:.1f} s "
            "(not counted)"
        )
        first = run(f"{DAY:%d/%m/%Y} first run", DAY)
        again = run(f"{DAY:%d/%m/%Y} second run", DAY)
        following = WorkingCalendar.load().add_working_days(DAY, 1)
        run(f"{following:%d/%m/%Y} next working day", following)

        ok = True
        digest_events = Counter(
            (e["data"]["person"], e["data"]["day"])
            for e in AuditEvent.objects.filter(action="reminders.digest.sent").values("data")
        )
        worst = max(digest_events.values(), default=0)
        print(f"Digests per person and day, at most: {worst} (audit: {len(digest_events)})")
        ok &= worst <= 1
        ok &= again["result"].mails == 0 and not again["outbox"]
        ok &= first["result"].digests > 0
        from workflows.audit import verify_chain

        chain = verify_chain()
        print(f"Audit chain: {'intact' if chain.ok else chain.problem} ({chain.checked} events)")
        ok &= chain.ok
        print("OK" if ok else "FAILED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

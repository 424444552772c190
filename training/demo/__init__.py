"""Demo training, read from courses.yaml: unit heads, a planned course with a waiting
list and a finished one whose passes recorded certificates. Through the real services,
so the audit trail and compliance are what people would produce. Idempotent: courses
by title; skipped when the demo staff are missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction

from organisation.models import Person, Unit
from worktime import calendar

from .. import services
from ..models import Course

HERE = Path(__file__).parent


def _sessions(start: dt.date, specs: list[str]):
    for spec in specs:
        offset, hours = spec.split()
        begin, end = hours.split("-")
        yield (
            start + dt.timedelta(days=int(offset)),
            dt.datetime.strptime(begin, "%H:%M").time(),
            dt.datetime.strptime(end, "%H:%M").time(),
        )


@transaction.atomic
def load_demo() -> str:
    data = yaml.safe_load((HERE / "courses.yaml").read_text(encoding="utf-8"))
    names = {data["organiser"], *data["heads"].values()}
    for c in data["courses"]:
        names |= set(c["trainers"]) | set(c["enrolled"])
    people = {p.username: p for p in Person.objects.filter(username__in=names)}
    if len(people) < len(names):
        return "demo training skipped: missing demo staff"
    for code, username in data["heads"].items():
        # A head an administrator chose stays.
        Unit.objects.filter(code=code, head__isnull=True).update(head=people[username])
    organiser = people[data["organiser"]]
    made = []
    today = calendar.today()
    for spec in data["courses"]:
        if Course.objects.filter(title=spec["title"]).exists():
            continue
        start = today + dt.timedelta(days=spec["start_in_days"])
        end = start + dt.timedelta(days=spec["days"] - 1)
        course = services.course_create(
            user=organiser,
            title=spec["title"],
            module_codes=spec["modules"],
            starts_on=start,
            ends_on=end,
            withdraw_until=start - dt.timedelta(days=2),
            sessions=list(_sessions(start, spec["sessions"])),
            capacity=spec["capacity"],
            cost=spec["cost"],
            venue=spec.get("venue", ""),
            online_link=spec.get("online_link", ""),
            trainer_ids=[people[u].pk for u in spec["trainers"]],
        )
        seats = {
            u: services.enrolment_add(user=organiser, course_id=course.pk, person_id=people[u].pk)
            for u in spec["enrolled"]
        }
        results = spec.get("results") or {}
        if results:
            trainer = people[spec["trainers"][0]]
            for session in course.sessions.all():
                services.attendance_record(
                    user=trainer,
                    session_id=session.pk,
                    present_ids=[people[u].pk for u in results],
                )
            for username, (result, score) in results.items():
                services.result_record(
                    user=trainer, enrolment_id=seats[username].pk, result=result, score=score
                )
        made.append(course.title)
    return f"demo courses: {len(made)}"

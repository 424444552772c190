"""How fast are the individual IT-score pages at the Committee's full size (5,000 people)?

Creates a fresh database with the demo organisation and position groups, issues a
competency standard and the current year's criteria set through the real services, links
the person-level indicators to their measures (the demo's), then bulk-creates units up
to 60 and people up to 5,000, each with a position group (or none), certificates, a row
in the year's mail statistics import, sign-ins in the audit trail and, for most, one to
three closed training courses (attended or not, passed or not). Then times, with
Django's test client (middleware, session, template rendering; no network):

- a person's own score (GET /individual/), as one of the 5,000;
- the Council's page for one person (GET /individual/people/<pk>/);
- a unit head's page for their unit (GET /individual/units/<pk>/, ~83 people);
- the Council's page of everyone (GET /individual/all/: per-unit table, first 100 people).

Reports median and p95 over N requests (after 2 warm-ups) and the SQL queries of one
request.

Usage (from the project root):

    python benchmarks/individual_scores.py [--units 60] [--people 5000] [--requests 20]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/individual_scores.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import time

import _common
import compliance

BASIC = ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
# (position group, modules held, messages sent in the year, signs in to the product)
PROFILES = [
    ("CHUYENVIEN", BASIC, 300, True),
    ("CHUYENVIEN", BASIC[:3], 0, False),
    ("CNTT", [*BASIC, "IU07", "IU09"], 90, True),
    ("CNTT", [*BASIC, "IU07", "IU09", "IU14"], 500, True),
    ("LANHDAO_VU", BASIC, 150, True),
    ("HANHCHINH", [], 20, False),
    (None, ["IU01"], 10, False),
]


def issue_criteria(people) -> None:
    from evaluation.demo import _issue
    from individual import demo as measures
    from reporting import demo
    from reporting.kinds import KIND
    from workflows.models import Document

    print(" ", demo.load_demo())
    document = Document.objects.get(kind=KIND)
    _issue(document, people)
    measures.load_demo()


def populate(units: int, total: int, year: int) -> None:
    from django.db import transaction

    from individual.models import MailAccountStat, MailImport
    from organisation.models import Person, Unit
    from standards.models import Certificate, Membership, Module, PositionGroup
    from training.models import Attendance, Course, Enrolment, Session
    from workflows import audit
    from workflows.audit_hooks import SIGNED_IN

    existing = Unit.objects.count()
    Unit.objects.bulk_create(
        Unit(
            code=f"BDT{i:02d}",
            name_vi=f"Ban Dân tộc tỉnh {i:02d}",
            name_en=f"Board {i:02d}",
            sort_order=200 + i,
        )
        for i in range(max(units - existing, 0))
    )
    all_units = list(Unit.objects.all())
    groups = {g.code: g for g in PositionGroup.objects.all()}
    modules = {m.code: m.pk for m in Module.objects.all()}
    recorder = Person.objects.get(username="soanthao.tccb")
    centre = Person.objects.get(username="soanthao.tttt")
    mail = MailImport.objects.create(
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 11, 30),
        imported_by=centre,
        accounts=0,
    )
    courses = []
    for i in range(30):
        closed = dt.date(year, 1 + i % 11, 20)
        course = Course.objects.create(
            title=f"Bồi dưỡng kỹ năng CNTT {i}",
            starts_on=closed - dt.timedelta(days=5),
            ends_on=closed - dt.timedelta(days=1),
            withdraw_until=closed - dt.timedelta(days=7),
            capacity=10000,
            created_by=centre,
            status=Course.Status.CLOSED,
            closed_on=closed,
        )
        session = Session.objects.create(
            course=course, date=course.starts_on, starts_at=dt.time(8), ends_at=dt.time(11)
        )
        courses.append((course, session))
    through = Certificate.modules.through
    have = Person.objects.count()
    count = max(total - have, 0)
    for first in range(0, count, 1000):
        n = min(1000, count - first)
        with transaction.atomic():
            people = Person.objects.bulk_create(
                Person(
                    username=f"nv{first + i:05d}",
                    full_name=f"Nguyễn Văn Số {first + i:05d}",
                    email=f"nv{first + i:05d}@example.gov.vn",
                    unit=all_units[(first + i) % len(all_units)],
                    password="!",  # unusable
                )
                for i in range(n)
            )
            profiles = list(itertools.islice(itertools.cycle(PROFILES), first, first + n))
            pairs = list(zip(people, profiles, strict=True))
            Membership.objects.bulk_create(
                Membership(person=p, group=groups[g]) for p, (g, *_rest) in pairs if g
            )
            with_modules = [(p, held) for p, (_g, held, *_rest) in pairs if held]
            certificates = Certificate.objects.bulk_create(
                Certificate(
                    person=p,
                    issued_on="2024-01-15",
                    issuing_body="Trung tâm Tin học",
                    number=p.username,
                    recorded_by=recorder,
                )
                for p, _held in with_modules
            )
            through.objects.bulk_create(
                through(certificate_id=c.pk, module_id=modules[code])
                for c, (_p, held) in zip(certificates, with_modules, strict=True)
                for code in held
            )
            MailAccountStat.objects.bulk_create(
                MailAccountStat(
                    mail_import=mail,
                    person=p,
                    account=p.email,
                    last_sign_in=mail.period_end if sent else None,
                    messages_sent=sent,
                )
                for p, (_g, _held, sent, _signs) in pairs
            )
            audit.record_many(
                [{"action": SIGNED_IN, "actor": p} for p, (*_rest, signs) in pairs if signs]
            )
            enrolments, present = [], []
            for k, p in enumerate(people):
                for j in range((first + k) % 4):  # 0 to 3 courses
                    course, session = courses[(first + k + 7 * j) % len(courses)]
                    enrolments.append(
                        Enrolment(
                            course=course,
                            person=p,
                            status=Enrolment.Status.ENROLLED,
                            nominated_by=recorder,
                            result="passed" if (k + j) % 3 else "failed",
                        )
                    )
                    present.append(((k + j) % 5 != 0, session))
            created = Enrolment.objects.bulk_create(enrolments)
            Attendance.objects.bulk_create(
                Attendance(enrolment=e, session=session, present=here)
                for e, (here, session) in zip(created, present, strict=True)
            )
    MailImport.objects.filter(pk=mail.pk).update(accounts=MailAccountStat.objects.count())


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")


def measure(client, url: str, requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm up: templates, translations, connection
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return samples, len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    with _common.fresh_database("individual_scores") as database:
        from django.test import Client
        from django.urls import reverse

        from organisation.models import Person, Unit
        from standards import demo as standards_demo
        from worktime.calendar import today

        print(f"Individual scores benchmark — {database}; {_common.machine()}")
        year = today().year
        with _common.Stopwatch() as setup:
            standards_demo.load_groups()
            people = _common.people()
            compliance.issue_standard(people)
            issue_criteria(people)
            populate(args.units, args.people, year)
            analyse()
        ranked = Person.objects.filter(unit__isnull=False, is_active=True).count()
        units = Unit.objects.count()
        print(f"  {units} units, {ranked} people ranked, setup {setup.seconds:.1f} s")

        unit = Unit.objects.get(code="BDT05")
        head = Person.objects.filter(unit=unit).order_by("pk").first()
        unit.head = head
        unit.save(update_fields=["head"])
        someone = Person.objects.get(username="nv01234")

        def client_for(person):
            client = Client()
            client.force_login(person)
            return client

        council = client_for(Person.objects.get(username="hoidong.tdkt"))
        query = f"?year={year}"
        pages = [
            ("own score", client_for(someone), reverse("individual:mine") + query),
            (
                "Council's page for one person",
                council,
                reverse("individual:person", args=[someone.pk]) + query,
            ),
            (
                "unit head's page for their unit",
                client_for(head),
                reverse("individual:unit", args=[unit.pk]) + query,
            ),
            ("Council's page of everyone", council, reverse("individual:everyone") + query),
        ]
        for label, client, url in pages:
            samples, queries = measure(client, url, args.requests)
            print(f"{label}: {_common.summarise_ms(samples)}, {queries} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long does the yearly IT-application report take to draft, render and export as a
PDF at the Committee's full size?

Creates a fresh database with the demo organisation, adds units up to 60 and people up
to 5,000 (bulk), three years of audit-trail history (sign-ins and actions every month,
through audit.record_many over a frozen clock) and 600 documents, then times:

- drafting the yearly report of 2027 (reports.services.report_draft: the figures and the
  comparison with 2026, computed from the data);
- the report's page for the Council (GET /reports/<pk>/, Django's test client);
- its PDF (reports.exports.pdf, WeasyPrint) and its XLSX.

Usage (from the project root):

    python benchmarks/reports.py [--units 60] [--people 5000] [--events-per-month 1500]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/reports.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time

import _common


def populate(units: int, people: int, events_per_month: int) -> None:
    import time_machine

    from organisation.models import Person, Unit
    from reports.audit_actions import COMMENTED
    from workflows import audit
    from workflows.audit_hooks import SIGNED_IN
    from workflows.models import Document
    from worktime.calendar import VIETNAM

    existing = Unit.objects.count()
    Unit.objects.bulk_create(
        Unit(code=f"BDT{i:02d}", name_vi=f"Ban Dân tộc tỉnh {i:02d}", name_en=f"Board {i:02d}")
        for i in range(units - existing)
    )
    all_units = list(Unit.objects.all())
    have = Person.objects.count()
    Person.objects.bulk_create(
        Person(
            username=f"canbo{i}",
            full_name=f"Nguyễn Văn Cán Bộ {i}",
            email=f"canbo{i}@example.gov.vn",
            unit=all_units[i % len(all_units)],
        )
        for i in range(people - have)
    )
    everyone = list(Person.objects.select_related("unit"))
    rng = random.Random(9)
    for year in (2025, 2026, 2027):
        for month in range(1, 13):
            with time_machine.travel(dt.datetime(year, month, 10, 9, tzinfo=VIETNAM), tick=False):
                audit.record_many(
                    [
                        {
                            "action": SIGNED_IN if rng.random() < 0.6 else COMMENTED,
                            "actor": rng.choice(everyone),
                        }
                        for _ in range(events_per_month)
                    ]
                )
    creator = Person.objects.get(username="soanthao.tttt")
    Document.objects.bulk_create(
        Document(
            kind="five_year_plan",
            title=f"Kế hoạch {i}",
            year=2027,
            state="draft" if i % 3 else "submitted",
            drafting_unit=all_units[i % len(all_units)],
            reviewing_unit=all_units[1],
            created_by=creator,
            due_on=dt.date(2027, 1 + i % 12, 1),
        )
        for i in range(600)
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--events-per-month", type=int, default=1500)
    args = parser.parse_args()
    with _common.fresh_database("reports") as database:
        import time_machine
        from django.test import Client
        from django.urls import reverse

        from organisation.models import Person
        from reports import exports, selectors
        from reports.models import Report
        from reports.periods import YEAR, Period
        from reports.permissions import Scope
        from reports.services import report_draft
        from worktime.calendar import VIETNAM

        print(f"{database}; {_common.machine()}")
        start = time.perf_counter()
        populate(args.units, args.people, args.events_per_month)
        print(f"populated in {time.perf_counter() - start:.1f} s")
        with time_machine.travel(dt.datetime(2027, 12, 15, 0, 20, tzinfo=VIETNAM), tick=False):
            start = time.perf_counter()
            report, _created = report_draft(period=Period.of(YEAR, 2027, 1))
            drafted = time.perf_counter() - start
        Report.objects.filter(pk=report.pk).update(state=Report.State.SENT)
        report.refresh_from_db()
        print(
            f"yearly report drafted: {drafted * 1000:.0f} ms "
            f"({len(report.figures['units'])} units, {len(report.figures['people'])} people)"
        )
        client = Client()
        client.force_login(Person.objects.get(username="hoidong.tdkt"))
        url = reverse("reports:detail", args=[report.pk])
        assert client.get(url).status_code == 200
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            assert client.get(url).status_code == 200
            samples.append(time.perf_counter() - start)
        print(f"page for the Council: {_common.summarise_ms(samples)}")
        data = selectors.view(report, Scope(None, True))
        exports.pdf(report, data)  # warm: WeasyPrint's import and fonts
        start = time.perf_counter()
        content = exports.pdf(report, data)
        print(f"PDF: {(time.perf_counter() - start) * 1000:.0f} ms, {len(content) // 1024} KiB")
        start = time.perf_counter()
        exports.pdf(report, {**data, "people": []})
        print(f"PDF without the people table: {(time.perf_counter() - start) * 1000:.0f} ms")
        start = time.perf_counter()
        exports.xlsx(report, data)
        print(f"XLSX workbook: {(time.perf_counter() - start) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

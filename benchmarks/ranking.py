"""How fast is the year-end ranking for 60 units × 25 unit-level indicators, with 3 years
of history?

Creates a fresh database with the demo organisation, 60 more units with their heads,
issues a criteria set of the demo's four groups padded to 25 unit-level indicators
through the real services, opens the evaluation, gives every unit values (bulk) and
submits them, adds two earlier published years, then times:

- `evaluation.selectors.compute` (the ranking, all units, all indicators);
- the Council's ranking page (GET /evaluation/<year>/ranking/) with the test client;
- the Centre's cycle page and one unit's breakdown page.

Reports median and p95 and each page's SQL queries.

Usage (from the project root):

    python benchmarks/ranking.py [--units 60] [--requests 20]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/ranking.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal

import _common


def criteria(people, year: int):
    from evaluation.demo import _issue
    from reporting import demo, services

    groups, indicators = demo.rows(demo.read())
    units = [i for i in indicators if i.applies_to != "people"]
    for n in range(25 - len(units)):
        indicators.append(
            services.IndicatorRow(
                group="IV",
                code=f"4.{10 + n}",
                name=f"Chỉ tiêu bổ sung {n + 1}",
                unit_of_measure="lần",
                max_points=Decimal(1),
                method="capped_count",
                params={"per_item": 1, "cap": 1},
            )
        )
    drafter = people["soanthao.tttt"]
    created = services.criteria_set_create(user=drafter, year=year)
    # Bands must fit the padded total.
    services.criteria_set_update(
        user=drafter,
        document_id=created.pk,
        version=None,
        title=created.document.title,
        groups=groups,
        indicators=indicators,
        bands=demo.read()["bands"],
    )
    return _issue(created.document, people)


def measure(fn, requests: int) -> list[float]:
    for _ in range(2):  # warm up: templates, translations, connection
        fn()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    with _common.fresh_database("ranking") as database:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from evaluation import selectors, services
        from evaluation.models import Evaluation, SelfAssessment, Value
        from organisation.demo import load_staff
        from organisation.models import Person, Unit

        print(f"Ranking benchmark — {database}; {_common.machine()}")
        load_staff()
        existing = Unit.objects.exclude(code="LD").count()
        for i in range(max(args.units - existing, 0)):
            unit = Unit.objects.create(
                code=f"BDT{i:02d}",
                name_vi=f"Ban Dân tộc {i:02d}",
                name_en=f"Ethnic board {i:02d}",
                sort_order=200 + i,
            )
            unit.head = Person.objects.create(
                username=f"head{i:02d}",
                full_name=f"Trưởng ban {i}",
                unit=unit,
                email=f"head{i:02d}@example.gov.vn",
            )
            unit.save(update_fields=["head"])
        people = _common.people()
        year = dt.date.today().year
        with _common.Stopwatch() as setup:
            document = criteria(people, year)
            evaluation = services.evaluation_open(
                user=people["soanthao.tttt"], criteria_document_id=document.pk
            )
            values = list(Value.objects.filter(assessment__evaluation=evaluation))
            for k, v in enumerate(values):
                v.value = Decimal((k * 7) % 11) / (10 if k % 3 else 1)
            Value.objects.bulk_update(values, ["value"], batch_size=1000)
            SelfAssessment.objects.filter(evaluation=evaluation).update(
                state="submitted", submitted_on=dt.date.today()
            )
            snapshot = selectors.compute(evaluation)
            for back in (1, 2):
                old = Evaluation.objects.create(
                    year=year - back,
                    criteria=evaluation.criteria,
                    state="published",
                    self_due_on=evaluation.self_due_on,
                    ranking_due_on=evaluation.ranking_due_on,
                    opened_by=people["soanthao.tttt"],
                    published=snapshot,
                )
                old.save()
        units = SelfAssessment.objects.filter(evaluation=evaluation).count()
        indicators = len(selectors.unit_indicators(evaluation))
        print(f"  {units} units × {indicators} indicators, setup {setup.seconds:.1f} s")

        fresh = Evaluation.objects.select_related("criteria").get(pk=evaluation.pk)
        timings = measure(lambda: selectors.compute(fresh), args.requests)
        print(f"compute ranking: {_common.summarise_ms(timings)}")
        council, centre = Client(), Client()
        council.force_login(people["hoidong.tdkt"])
        centre.force_login(people["soanthao.tttt"])
        one = SelfAssessment.objects.filter(evaluation=evaluation).first()
        pages = [
            ("Council's ranking page", council, reverse("evaluation:ranking", args=[year])),
            ("Centre's cycle page", centre, reverse("evaluation:cycle", args=[year])),
            ("unit breakdown page", council, reverse("evaluation:assessment", args=[one.pk])),
        ]
        for label, client, url in pages:
            samples = measure(lambda c=client, u=url: c.get(u), args.requests)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            print(
                f"{label}: {_common.summarise_ms(samples)}, {len(queries.captured_queries)} queries"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long do an estimate's document page and its diff page take at 2,000 lines?

Creates a fresh database (see _common.py), a five-year plan, the annual plan of 2027 with
three tasks and its budget estimate through the real services, then writes N lines
(default 2,000) with bulk_create. The revisions are made by real submissions: submit
(revision 1), return, change three lines, remove one and add one, submit again (revision
2). Then, signed in as the Planning Department's reviewer (thamdinh.kh), it times with
Django's test client (whole middleware stack and template rendering, no network):

1. GET /documents/<pk>/                     — the document page (revision 2, figures,
                                              reconciliation, comments, timeline);
2. GET /documents/<pk>/compare/?from=1&to=2 — the diff between the two revisions;

each --runs times (default 20) after three warm-up requests, and reports the median, p95,
min and max, the number of SQL queries of one request and the page size. With
--edit-runs K > 0 (default 3) it then returns the estimate and times the drafter's edit
page (GET /estimates/<pk>/edit/) K times: beyond 100 lines that page shows no line form
(lines change through the XLSX import), so it stays small.

Usage (from the project root):

    python benchmarks/budget_render.py [--lines 2000] [--runs 20] [--edit-runs 3]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/budget_render.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid

import _common

YEAR = 2027


def make_estimate(people, lines: int):
    """The estimate with `lines` lines and two revisions, awaiting review."""
    from budgeting import services as budgeting
    from budgeting.models import Estimate, LineItem
    from planning import services as planning
    from planning.models import SECTION_KEYS, Kind
    from workflows import services as engine

    drafter, reviewer = people["soanthao.tttt"], people["thamdinh.kh"]
    five = planning.plan_create(
        user=drafter, kind=Kind.FIVE_YEAR, title="Kế hoạch 2026–2030", period_start=2026
    )
    annual = planning.plan_create(
        user=drafter,
        kind=Kind.ANNUAL,
        title=f"Kế hoạch ứng dụng CNTT năm {YEAR}",
        period_start=YEAR,
        parent_id=five.pk,
    )
    planning.plan_update(
        user=drafter,
        document_id=annual.document_id,
        version=None,
        title=annual.document.title,
        sections=dict.fromkeys(SECTION_KEYS, _common.SECTION_TEXT),
        objectives=[],
        tasks=[
            planning.TaskRow(
                name=f"Nhiệm vụ {i + 1}",
                category="applications",
                lead_unit="Trung tâm Thông tin",
                estimated_cost=(i + 1) * 1_000_000_000,
                funding_source=("investment", "recurrent")[i % 2],
                deadline=dt.date(YEAR, 11, 30),
            )
            for i in range(3)
        ],
    )
    estimate = budgeting.estimate_create(user=drafter, year=YEAR)
    tasks = list(annual.tasks.order_by("position"))

    def bulk(count: int, start: int = 0) -> None:
        LineItem.objects.bulk_create(
            (
                LineItem(
                    estimate=estimate,
                    uid=uuid.uuid4(),
                    position=start + i,
                    content=f"Nội dung chi số {start + i + 1}: thiết bị, phần mềm, dịch vụ",
                    expense_category=("hardware", "software", "training", "rental")[i % 4],
                    funding_source=("investment", "recurrent")[i % 2],
                    quantity=1 + i % 5,
                    unit="bộ",
                    unit_price=1_000_000 * (1 + i % 9),
                    amount=(1 + i % 5) * 1_000_000 * (1 + i % 9),
                    plan_task=tasks[i % 3] if i % 4 else None,
                    note="Theo báo giá" if i % 3 == 0 else "",
                )
                for i in range(count)
            ),
            batch_size=500,
        )

    bulk(lines)

    def act(user, action, comment=""):
        engine.document_act(
            user=user, document_id=estimate.document_id, action=action, comment=comment
        )

    act(drafter, "submit")
    act(reviewer, "return", "Rà soát lại đơn giá.")
    ours = LineItem.objects.filter(estimate=estimate).order_by("position")
    changed = list(ours[:3])
    for line in changed:
        line.quantity += 1
        line.amount = line.quantity * line.unit_price
    LineItem.objects.bulk_update(changed, ["quantity", "amount"])
    ours.last().delete()
    bulk(1, start=lines)
    act(drafter, "submit")
    return Estimate.objects.select_related("document").get(pk=estimate.pk).document


def measure(client, url: str, runs: int, warm: int = 3):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warm):
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return samples, len(queries.captured_queries), len(response.content)


def report(label: str, samples, n_queries: int, size: int) -> None:
    print(
        f"{label}: {_common.summarise_ms(samples)}, {n_queries} queries, page {size // 1024} KiB",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2000, help="lines of the estimate (2000)")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (20)")
    parser.add_argument(
        "--edit-runs", type=int, default=3, help="timed GETs of the edit page (3; 0 skips)"
    )
    args = parser.parse_args()

    with _common.fresh_database("budget_render") as database:
        from django.test import Client
        from django.urls import reverse

        from workflows import services as engine

        print(f"Budget render benchmark — {database}; {_common.machine()}")
        people = _common.people()
        with _common.Stopwatch() as setup:
            document = make_estimate(people, args.lines)
        print(
            f"Estimate with {args.lines} lines, 2 revisions (submitted, returned, submitted): "
            f"set up in {setup.seconds:.1f} s",
            flush=True,
        )
        client = Client()
        client.force_login(people["thamdinh.kh"])
        pages = (
            ("GET document page", reverse("workflows:document", args=[document.pk])),
            (
                "GET diff page (from=1&to=2)",
                reverse("workflows:compare", args=[document.pk]) + "?from=1&to=2",
            ),
        )
        for label, url in pages:
            report(f"{label}, {args.lines} lines", *measure(client, url, args.runs))

        if args.edit_runs > 0:
            engine.document_act(
                user=people["thamdinh.kh"],
                document_id=document.pk,
                action="return",
                comment="Đo trang soạn thảo.",
            )
            client.force_login(people["soanthao.tttt"])
            url = reverse("budgeting:edit", args=[document.pk])
            report(
                f"GET edit page (drafter), {args.lines} lines",
                *measure(client, url, args.edit_runs, warm=1),
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast is "My work" (GET /work/) for a reviewer with thousands of open tasks?

Creates a fresh database, puts N five-year plans (default 5,000) in the state "submitted,
awaiting review by the Planning Department" — each with a real viewflow process whose
draft task was executed and whose open review task now waits for the Planning Department
— then signs in as the demo reviewer (thamdinh.kh) and times GET /work/ with Django's test
client (the whole middleware stack, session save and template rendering included, no
network). Reports median and p95 latency and the number of SQL queries of one request.

Two ways to create the open tasks:

- default ("bulk"): Documents and Plans are bulk-created already submitted (with due
  dates spread over 40 days, a quarter of them passed, as submitting sets them), then each
  document's flow is started with `DocumentFlow.start.run` and its draft task executed
  through viewflow's activation, exactly as `workflows.services.document_act` does — so
  Process and Task rows are viewflow's own. Revisions, audit events and task rows of the
  plans are not written: the page does not read them.
- `--services`: every plan goes through `plan_create`, `plan_update` and `document_act`
  (submit), like a person in the browser. Genuine in every table, but about 4× slower
  (~35 ms per plan on SQLite, ~45 ms on PostgreSQL on the reference machine).

Usage (from the project root):

    python benchmarks/my_work.py [--tasks 5000] [--requests 30] [--services]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/my_work.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time

import _common


def create_open_reviews_bulk(count: int, drafter, batch: int = 500) -> None:
    from django.db import transaction
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from organisation.models import Unit
    from planning.models import SECTION_KEYS, Kind, Plan
    from workflows.flows import DocumentFlow
    from workflows.models import Document
    from worktime.calendar import today as vietnam_today

    today = vietnam_today()
    tttt = Unit.objects.get(code="TTTT")
    kh = Unit.objects.get(code="KH")
    sections = dict.fromkeys(SECTION_KEYS, _common.SECTION_TEXT)
    for first in range(0, count, batch):
        n = min(batch, count - first)
        with transaction.atomic():
            documents = Document.objects.bulk_create(
                Document(
                    kind=Kind.FIVE_YEAR,
                    title=f"Kế hoạch thử tải số {first + i + 1}",
                    year=2026,
                    state="submitted",
                    drafting_unit=tttt,
                    reviewing_unit=kh,
                    created_by=drafter,
                    version=2,
                    revision_count=1,
                    # As submitting sets it: due dates spread over 40 days, a quarter
                    # of them already passed.
                    due_on=today - dt.timedelta(days=10) + dt.timedelta(days=(first + i) % 40),
                )
                for i in range(n)
            )
            Plan.objects.bulk_create(
                Plan(document=d, period_start=2026, period_end=2030, sections=sections)
                for d in documents
            )
            for document in documents:
                DocumentFlow.start.run(document=document)
                task = Task.objects.get(
                    process_id=document.process_id,
                    flow_task=DocumentFlow.draft,
                    status__in=(STATUS.NEW, STATUS.ASSIGNED),
                )
                with task.activation() as activation:
                    activation.assign(drafter)
                    activation.start(None)
                    activation.execute()
        print(f"  {first + n} plans submitted", flush=True)


def create_open_reviews_services(count: int, drafter) -> None:
    from workflows import services as engine

    for i in range(count):
        plan = _common.draft_plan(drafter, i + 1)
        engine.document_act(user=drafter, document_id=plan.document_id, action="submit")
        if (i + 1) % 500 == 0 or i + 1 == count:
            print(f"  {i + 1} plans submitted", flush=True)


def analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum would soon do on
    a live server; without it PostgreSQL may plan the task queries for empty tables."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")


def measure(client, requests: int, url: str = "/work/") -> tuple[list[float], int, list, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm up: templates, translations, connection
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    slowest = sorted(((float(q["time"]), q["sql"]) for q in queries.captured_queries), reverse=True)
    return samples, len(queries.captured_queries), slowest, response.content.decode()


def shown(html: str) -> str:
    """What the page says: the header's inbox badge, the "Waiting for me" badge, rows."""
    inbox = re.search(r'data-testid="inbox-count"[^>]*>[^<]*<span class="badge">([\d.,]+)<', html)
    mine = re.search(r'data-testid="mine-count">(\d+)<', html)
    rows = html.count("<tr>") - html.count("<thead><tr>")
    return (
        f"header badge {inbox.group(1) if inbox else '?'}, "
        f"'waiting for me' badge {mine.group(1) if mine else '?'}, table rows {rows}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=5000, help="open review tasks (5000)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests (30)")
    parser.add_argument("--services", action="store_true", help="create through the services")
    parser.add_argument("--show-sql", action="store_true", help="print the slowest queries")
    parser.add_argument(
        "--no-viewflow", action="store_true", help="skip stock viewflow's task list"
    )
    args = parser.parse_args()

    with _common.fresh_database("my_work") as database:
        from django.db.models import Count
        from django.test import Client
        from viewflow.workflow.models import Task

        print(f"My work benchmark — {database}; {_common.machine()}")
        people = _common.people()
        client = Client()
        client.force_login(people["thamdinh.kh"])

        samples, n_queries, _times, html = measure(client, args.requests)
        print(f"GET /work/ with no open task: {_common.summarise_ms(samples)}, {n_queries} queries")

        how = "services" if args.services else "bulk + viewflow activations"
        print(f"Creating {args.tasks} plans awaiting review ({how})…", flush=True)
        with _common.Stopwatch() as setup:
            if args.services:
                create_open_reviews_services(args.tasks, people["soanthao.tttt"])
            else:
                create_open_reviews_bulk(args.tasks, people["soanthao.tttt"])
        analyze()
        open_by_step = {
            task.name: n
            for task, n in Task.objects.filter(status__in=("NEW", "ASSIGNED"))
            .values_list("flow_task")
            .annotate(n=Count("pk"))
            .values_list("flow_task", "n")
        }
        per_plan = setup.seconds / max(args.tasks, 1) * 1000
        print(
            f"  done in {setup.seconds:.1f} s ({per_plan:.1f} ms/plan); "
            f"open tasks by step: {open_by_step}"
        )

        samples, n_queries, slowest, html = measure(client, args.requests)
        query_times = [t for t, _sql in slowest]
        print(
            f"GET /work/ with {args.tasks} open review tasks: {_common.summarise_ms(samples)}, "
            f"{n_queries} queries"
        )
        print(
            "  slowest queries (ms): "
            + ", ".join(f"{t * 1000:.1f}" for t in query_times[:3])
            + f"; all SQL {sum(query_times) * 1000:.0f} ms"
            + f"; page {len(html) // 1024} KiB, {shown(html)}"
        )
        if args.show_sql:
            for seconds, sql in slowest[:3]:
                print(f"  {seconds * 1000:.0f} ms: {sql[:600]}")
        if not args.no_viewflow:
            compare_with_viewflow(client, people["thamdinh.kh"], args.requests, samples)
    return 0


VIEWFLOW_QUEUE = "/viewflow/document/queue/"


def compare_with_viewflow(client, reviewer, requests: int, ours: list[float]) -> None:
    """The same open tasks listed by stock viewflow's own task list for the flow
    (FlowAppViewset's queue: the tasks this person may take, as "My work" lists them),
    mounted by benchmarks/viewflow_urls.py and never reimplemented. Stock viewflow lets
    a person see the flow's lists only with its own "view process" permission, given to
    the reviewer here."""
    import statistics

    from django.contrib.auth.models import Permission
    from django.test import override_settings

    reviewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="viewflow", codename="view_process")
    )
    with override_settings(ROOT_URLCONF="viewflow_urls"):
        samples, n_queries, _slowest, html = measure(client, requests, VIEWFLOW_QUEUE)
    rows = len(re.findall(r"#\d+/\d+</a>", html))
    print(
        f"stock viewflow GET {VIEWFLOW_QUEUE}: {_common.summarise_ms(samples)}, "
        f"{n_queries} queries, page {len(html) // 1024} KiB, {rows} task rows"
    )
    ratio = statistics.median(samples) / statistics.median(ours)
    print(f"My work is {ratio:.1f}x faster than stock viewflow's task list (medians)")


if __name__ == "__main__":
    sys.exit(main())

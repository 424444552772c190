"""How long does importing a 10,000-line budget estimate from XLSX take?

Creates a fresh database (see _common.py), a five-year plan, the annual plan of 2027 with
20 tasks and its budget estimate, all through the real services (not timed). Generates an
XLSX file of N lines (default 10,000) from the product's import template — labels and
codes, numbers as integers and as text "1.500.000", a third of the lines funding a plan
task — then times:

1. parse   — `budgeting.spreadsheets.parse_lines` alone (open, check, read, validate);
2. save    — `budgeting.services.estimate_update(what="import")` with the parsed rows,
             into an empty estimate, then again replacing the N lines just saved;
3. request — POST /estimates/<pk>/import/ through Django's test client (middleware,
             upload handling, parse, save, audit, redirect), replacing N lines;
4. around  — a POST of a file whose every line is wrong, into the empty estimate (the
             problem report: two problems per line, nothing saved), GET
             /estimates/<pk>/export.xlsx of the N lines, and with --pages the GET of the
             edit page the import redirects to (a formset of N lines: minutes).

Usage (from the project root):

    python benchmarks/budget_import.py [--lines 10000] [--repeat 3] [--pages]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/budget_import.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time

import _common

YEAR = 2027
TASKS = 20


def make_plans(drafter) -> list[tuple[str, str]]:
    """The five-year plan 2026–2030 and the annual plan of YEAR with TASKS tasks; returns
    the annual tasks as (name, uid)."""
    from planning import services
    from planning.models import Kind, Plan

    five = _common.draft_plan(drafter, 1)
    annual = services.plan_create(
        user=drafter, kind=Kind.ANNUAL, title=f"Kế hoạch năm {YEAR}", period_start=YEAR
    )
    sections = _common.plan_content(1)[0]
    services.plan_update(
        user=drafter,
        document_id=annual.document_id,
        version=None,
        title=annual.document.title,
        sections=sections,
        objectives=[],
        tasks=[
            services.TaskRow(
                name=f"Nhiệm vụ năm {YEAR} số {i + 1}",
                category="portal",
                lead_unit="Trung tâm Thông tin",
                estimated_cost=1_000_000_000,
                funding_source=("investment", "recurrent")[i % 2],
                deadline=dt.date(YEAR, 11, 30),
            )
            for i in range(TASKS)
        ],
    )
    assert five.document_id
    plan = Plan.objects.get(pk=annual.pk)
    return [(t.name, str(t.uid)) for t in plan.tasks.order_by("position")]


def make_file(lines: int, tasks: list[tuple[str, str]], *, bad: bool = False) -> bytes:
    """The product's template with N lines filled in, saved as Excel saves (shared
    strings, sheet dimensions)."""
    from openpyxl import load_workbook

    from budgeting import spreadsheets

    sources = ("Chi đầu tư phát triển", "recurrent", "CHI THƯỜNG XUYÊN")
    categories = ("Mua sắm phần cứng", "software", "Đào tạo", "Bảo trì, bảo hành")
    wb = load_workbook(io.BytesIO(spreadsheets.template_xlsx()))
    ws = wb[spreadsheets.SHEET]
    for i in range(lines):
        quantity = 1 + i % 9
        price = 1_000_000 * (1 + i % 13)
        ws.append(
            [
                i + 1,
                f"Nội dung chi số {i + 1}: thiết bị và dịch vụ công nghệ thông tin",
                "bộ",
                -quantity if bad else quantity,
                f"{price:,}".replace(",", ".") if i % 2 else price,
                quantity * price,
                "Vốn khác" if bad else sources[i % 3],
                "Ghi chú" if i % 5 == 0 else None,
                categories[i % 4],
                tasks[i % len(tasks)][0] if i % 3 == 0 else None,
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def timed(function, repeat: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return samples, result


def seconds(samples: list[float]) -> str:
    if len(samples) == 1:
        return f"{samples[0]:.2f} s"
    return (
        f"median {statistics.median(samples):.2f} s (min {min(samples):.2f}, "
        f"max {max(samples):.2f}, n={len(samples)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000, help="lines in the file (10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (3)")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="also time GET of the edit page with N lines (slow: minutes for 10,000)",
    )
    args = parser.parse_args()

    with _common.fresh_database("budget_import") as database:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from budgeting import services, spreadsheets
        from budgeting.models import LineItem
        from workflows.models import Document

        print(f"Budget import benchmark — {database}; {_common.machine()}")
        people = _common.people()
        drafter = people["soanthao.tttt"]
        tasks = make_plans(drafter)
        document = services.estimate_create(user=drafter, year=YEAR).document
        pk = document.pk

        with _common.Stopwatch() as made:
            data = make_file(args.lines, tasks)
        print(
            f"File: {args.lines:,} lines, {len(data) / 1024 / 1024:.2f} MB "
            f"(generated in {made.seconds:.1f} s, not counted)"
        )

        def parse():
            rows, problems = spreadsheets.parse_lines(io.BytesIO(data), tasks=dict(tasks))
            assert not problems, problems[:3]
            assert len(rows) == args.lines
            return rows

        parse_samples, rows = timed(parse, args.repeat)
        print(f"  parse               {seconds(parse_samples)}")

        client = Client()
        client.force_login(drafter)

        def post(payload: bytes, expect: int):
            def run():
                version = Document.objects.get(pk=pk).version
                response = client.post(
                    reverse("budgeting:import", args=[pk]),
                    {"file": SimpleUploadedFile("du-toan.xlsx", payload), "version": version},
                )
                assert response.status_code == expect, response.status_code
                return response

            return run

        # Every line wrong, into the still empty estimate: parse + the report page.
        bad = make_file(args.lines, tasks, bad=True)
        report_samples, response = timed(post(bad, 400), 1)
        html = response.content.decode()
        problems = html[html.index('data-testid="import-report"') :].count('<td class="num">')
        assert not LineItem.objects.filter(estimate_id=pk).exists()
        print(
            f"  all-bad file        {seconds(report_samples)}; {problems:,} problems listed "
            f"({len(response.content) / 1024 / 1024:.1f} MB of HTML), nothing saved"
        )

        def save():
            version = Document.objects.get(pk=pk).version
            services.estimate_update(
                user=drafter,
                document_id=pk,
                version=version,
                title=document.title,
                justification="",
                lines=rows,
                what="import",
            )

        with CaptureQueriesContext(connection) as queries:
            first = timed(save, 1)[0]
        print(f"  save (empty → N)    {seconds(first)}; {len(queries.captured_queries)} queries")
        replace_samples, _ = timed(save, args.repeat)
        print(f"  save (N → N)        {seconds(replace_samples)}")
        both = statistics.median(parse_samples) + statistics.median(replace_samples)
        print(f"  parse + save        {both:.2f} s (sum of the two medians)")
        assert LineItem.objects.filter(estimate_id=pk).count() == args.lines

        request_samples, _ = timed(post(data, 302), args.repeat)
        print(f"  request (N → N)     {seconds(request_samples)}  [POST …/import/ → 302]")
        assert LineItem.objects.filter(estimate_id=pk).count() == args.lines

        export_samples, response = timed(
            lambda: client.get(reverse("budgeting:export", args=[pk])), args.repeat
        )
        assert response.status_code == 200
        print(
            f"  export              {seconds(export_samples)}; "
            f"{len(response.content) / 1024 / 1024:.2f} MB"
        )
        if args.pages:
            edit_samples, response = timed(
                lambda: client.get(reverse("budgeting:edit", args=[pk])), 1
            )
            print(
                f"  edit page GET       {seconds(edit_samples)}; "
                f"{len(response.content) / 1024 / 1024:.1f} MB of HTML  [where the import "
                "redirects to]"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

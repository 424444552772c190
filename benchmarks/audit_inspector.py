"""How fast does the inspector's audit trail page (`GET /audit/`) answer each of its
filters at a million events?

Builds the same database as benchmarks/audit.py (the demo organisation, 60 more staff,
160 documents, N events through `audit.append_prepared`, fresh planner statistics), signs
in as the inspector (thanhtra, auditor role) and requests the page with Django's test
client (middleware, session, template rendering; no network) with each filter: none,
an action (common, rare), a unit, a kind, a person by user name and by part of a name
(and one that matches nobody), a document by its words, a date range (recent, oldest),
words in comments (found in about 1.5 % of the events, and found nowhere), two filters
together, and a page deep down the list (keyset token).

For each: the median and p95 of the whole request over --requests requests (after one
warm-up), the median time of all its SQL and of its audit-event queries, the query
count, the count the page shows and the rows shown. `--explain` prints the plan of each
audit query (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).

Usage (from the project root):

    python benchmarks/audit_inspector.py [--events 1000000] [--requests 10] [--explain]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/audit_inspector.py
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time

import _common
import audit as chain  # benchmarks/audit.py: the same database

ACTION_COMMON = "organisation.session.signed_in"
ACTION_RARE = "planning.plan.signed"
COMMENT_WORDS = "định mức"  # in about 1.5 % of the events
ABSENT_WORDS = "không tồn tại"  # in none: the worst case
MONTH = ("01/03/2026", "31/03/2026")  # about 4 % of the events, in the newer half
FIRST_MONTH = ("01/01/2025", "31/01/2025")  # the oldest month


def scenarios(total: int) -> list[tuple[str, dict]]:
    return [
        ("unfiltered, first page", {}),
        (f"action = {ACTION_COMMON}", {"action": ACTION_COMMON}),
        (f"action = {ACTION_RARE}", {"action": ACTION_RARE}),
        ("unit = KH", {"unit": "KH"}),
        ("kind = five_year_plan", {"kind": "five_year_plan"}),
        ("person by user name canbo007", {"actor": "canbo007"}),
        ("person by name “Hồng Nhung”", {"actor": "Hồng Nhung"}),
        ("person by name, nobody", {"actor": "Không Ai Cả"}),
        ("document “số 12 năm 2026”", {"document": "số 12 năm 2026"}),
        (f"date range {MONTH[0]}–{MONTH[1]}", {"date_from": MONTH[0], "date_to": MONTH[1]}),
        (
            f"date range {FIRST_MONTH[0]}–{FIRST_MONTH[1]}",
            {"date_from": FIRST_MONTH[0], "date_to": FIRST_MONTH[1]},
        ),
        (f"words in comments “{COMMENT_WORDS}”", {"q": COMMENT_WORDS}),
        (f"words in comments “{ABSENT_WORDS}” (no match)", {"q": ABSENT_WORDS}),
        (
            f"action {ACTION_COMMON} in {MONTH[0][3:]}",
            {"action": ACTION_COMMON, "date_from": MONTH[0], "date_to": MONTH[1]},
        ),
        ("unfiltered, halfway down (keyset)", {"older": str(total // 2)}),
    ]


def shown(html: str) -> tuple[str, int]:
    count = re.search(r'data-testid="audit-count">([^<]*)<', html)
    rows = html.count('<td class="num">')
    return (count.group(1).strip() if count else "?"), rows


class SqlClock:
    """The time of every query, by perf_counter (Django's own log rounds to 1 ms)."""

    def __init__(self):
        self.queries: list[tuple[str, float]] = []
        self.params: list = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, time.perf_counter() - start))
            self.params.append(params)


def measure(client, params: dict, requests: int) -> dict:
    from django.db import connection

    response = client.get("/audit/", params)  # warm up
    assert response.status_code == 200, response.status_code
    samples, sql, audit_sql = [], [], []
    for _ in range(requests):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            start = time.perf_counter()
            response = client.get("/audit/", params)
            samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        sql.append(sum(t for _q, t in clock.queries))
        audit_sql.append(sum(t for q, t in clock.queries if '"workflows_auditevent"' in q))
    matched, rows = shown(response.content.decode())
    return {
        "samples": samples,
        "sql": sql,
        "audit_sql": audit_sql,
        "queries": len(clock.queries),
        "audit_queries": [
            (q, p)
            for (q, _t), p in zip(clock.queries, clock.params, strict=True)
            if '"workflows_auditevent"' in q
        ],
        "matched": matched,
        "rows": rows,
    }


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events (1000000)")
    parser.add_argument("--requests", type=int, default=10, help="timed requests (10)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument(
        "--reuse-db",
        default="",
        metavar="NAME",
        help="PostgreSQL: use the database audit.py --keep-db NAME built (and drop it at "
        "the end) instead of building one",
    )
    args = parser.parse_args()

    with _common.fresh_database("audit_inspector", reuse=args.reuse_db) as database:
        from importlib import import_module

        from django.conf import settings
        from django.test import Client

        import_module(settings.ROOT_URLCONF)  # every app's views: all actions registered
        print(f"Audit inspector benchmark — {database}; {_common.machine()}")
        if args.reuse_db:
            from workflows.models import AuditEvent

            args.events = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[0]
            seconds = chain.analyze()
            print(f"  reusing {args.reuse_db}: {args.events:,} events; ANALYZE {seconds:.1f} s")
        else:
            chain.prepare(args.events)
        client = Client()
        client.force_login(_common.people()["thanhtra"])
        print(f"GET /audit/ as thanhtra, {args.requests} requests each:", flush=True)
        print("  filter | request median (p95) | SQL median (audit events) | queries | count, rows")
        for label, params in scenarios(args.events):
            found = measure(client, params, args.requests)
            ms = [s * 1000 for s in found["samples"]]
            print(
                f"  {label} | {statistics.median(ms):,.1f} ms "
                f"({_common.percentile(ms, 95):,.1f}) | "
                f"{statistics.median(found['sql']) * 1000:,.1f} ms "
                f"({statistics.median(found['audit_sql']) * 1000:,.1f}) | "
                f"{found['queries']} | {found['matched']}, {found['rows']}",
                flush=True,
            )
            if args.explain:
                for query, query_params in found["audit_queries"]:
                    print("    " + query[:400])
                    print("      " + explain(query, query_params).replace("\n", "\n      "))
    return 0


if __name__ == "__main__":
    sys.exit(main())

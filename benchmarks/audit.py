"""How does the audit trail behave with a million events?

Creates a fresh database with the demo organisation, then:

1. builds a valid hash chain of N events (default 1,000,000): seq, prev_hash and hash
   are computed in Python with `workflows.audit.event_hash`, exactly as `audit.record`
   does, over realistic values (weighted mix of the registered actions, the demo people
   and 60 more staff with their unit codes and roles, about half of the events on one of
   160 bulk-created documents, Vietnamese comments, JSON data, IP addresses, timestamps
   spread over two years), and inserted with `bulk_create` in batches of 5,000 (the
   triggers refuse UPDATE and DELETE only); the chain head row (pk=1) is set to the
   last event. Reports the insert rate (hashing and inserting separately);
2. times `verify_chain()` over all events (it must find the chain intact);
3. signs in as the inspector (thanhtra, auditor role) and times the audit trail list
   `GET /audit/` with Django's test client (middleware, session, template rendering; no
   network): unfiltered first page, filtered by a common and by a rare action, by a
   recent and by the oldest month, by words in comments (`icontains`: a scan of every
   comment) found in 1.5 % of the events and found nowhere, and page 1,000.
   Median and p95 over --requests requests (after one warm-up), SQL queries of one
   request and the time of its two audit queries (COUNT for the paginator, the page).

Memory stays bounded: events are generated, hashed and inserted 5,000 at a time.
On the reference machine (2 vCPU) 1,000,000 events take 2–3.5 min (SQLite) and about 3 min
(PostgreSQL) to insert, and the whole run 2.5–4 and 4–5 min, so 1,000,000 stays the
default; `--events 100000` is a quick check of about 30 s.

Usage (from the project root):

    python benchmarks/audit.py [--events 1000000] [--requests 10] [--explain]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/audit.py

`--explain` prints the query plan of each audit query (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import resource
import statistics
import sys
import time

import _common

BATCH = 5000
SPAN = dt.timedelta(days=730)  # two years of activity
START = dt.datetime(2025, 1, 1, 7, 30, tzinfo=dt.UTC)

# Relative weights of the actions, by verb for document actions (shared by every kind)
# and by code for the others; a registered action not listed here gets weight 0.2.
DOCUMENT_VERB_WEIGHTS = {
    "created": 2.0,
    "edited": 14.0,
    "submitted": 4.0,
    "commented": 8.0,
    "returned": 2.0,
    "endorsed": 2.0,
    "opinion_given": 1.0,
    "submitted_for_signature": 1.0,
    "superseded": 0.1,
    "signed": 1.2,
    "issued": 1.2,
}
KIND_SHARE = {"planning.plan": 0.6, "budgeting.estimate": 0.3, "standards.standard": 0.1}
OTHER_WEIGHTS = {
    "organisation.session.signed_in": 22.0,
    "organisation.session.signed_out": 12.0,
    "organisation.session.sign_in_failed": 2.5,
    "organisation.session.locked_out": 0.1,
    "workflows.document.access_denied": 1.5,
    "workflows.audit.exported": 0.4,
    "standards.certificate.recorded": 3.0,
    "standards.compliance.exported": 0.5,
    "planning.guidance.saved": 0.3,
}
STATES = {
    "created": ("", "draft"),
    "submitted": ("draft", "submitted"),
    "returned": ("submitted", "returned"),
    "endorsed": ("submitted", "endorsed"),
    "submitted_for_signature": ("draft", "endorsed"),
    "signed": ("endorsed", "issued"),
    "superseded": ("issued", "superseded"),
}
COMMENTS = [
    "Đề nghị bổ sung căn cứ pháp lý tại mục {n}",
    "Kinh phí dự kiến chưa phù hợp với định mức chi, đề nghị rà soát lại",
    "Thống nhất nội dung, đề nghị trình Lãnh đạo Ủy ban ký ban hành",
    "Chỉ tiêu số {n} chưa có lộ trình thực hiện cụ thể theo từng năm",
    "Đề nghị Trung tâm Thông tin làm rõ nguồn vốn của nhiệm vụ {n}",
    "Nhiệm vụ {n} trùng lặp với kế hoạch năm trước, đề nghị điều chỉnh",
    "Bổ sung đơn vị phối hợp: Văn phòng Ủy ban, Vụ Tổ chức cán bộ",
    "Đồng ý với ý kiến của Vụ Kế hoạch, sửa lại phụ lục {n}",
    "Dự toán vượt trần được giao {n}%, đề nghị cắt giảm",
    "Cập nhật theo Nghị định số 73/2019/NĐ-CP về quản lý đầu tư ứng dụng CNTT",
]
STAFF_NAMES = [
    "Nguyễn Thị Hương",
    "Trần Văn Minh",
    "Lê Thị Thu Hà",
    "Phạm Quang Huy",
    "Hoàng Văn Nam",
    "Vũ Thị Ngọc Anh",
    "Đặng Văn Phúc",
    "Bùi Thị Thanh Tâm",
    "Đỗ Mạnh Hùng",
    "Ngô Thị Lan Phương",
    "Dương Văn Thắng",
    "Lý Thị Hồng Nhung",
]
# What the list is filtered by.
ACTION_COMMON = "organisation.session.signed_in"
ACTION_RARE = "planning.plan.signed"
COMMENT_WORDS = "định mức"  # in about 1.5 % of the events
ABSENT_WORDS = "không tồn tại"  # in none: the worst case, every comment is read
MONTH = ("01/03/2026", "31/03/2026")  # about 4 % of the events, in the newer half
FIRST_MONTH = ("01/01/2025", "31/01/2025")  # the oldest month


# --- The chain ------------------------------------------------------------------------


def make_staff(count: int = 60) -> None:
    """More people than the demo's nine, so the trail has the spread of a ministry."""
    from organisation.models import Person, Unit

    units = list(Unit.objects.order_by("code"))
    Person.objects.bulk_create(
        Person(
            username=f"canbo{i:03d}",
            full_name=f"{STAFF_NAMES[i % len(STAFF_NAMES)]} {i + 1}",
            unit=units[i % len(units)],
            password="!",
        )
        for i in range(count)
    )


def make_documents(per_kind: int = 40) -> dict[str, list[int]]:
    """A handful of documents of every kind, for the events that name one; ids by the
    kind's audit prefix."""
    from organisation.models import Person, Unit
    from workflows import kinds
    from workflows.models import Document

    units = {u.code: u for u in Unit.objects.all()}
    creator = Person.objects.get(username="soanthao.tttt")
    by_prefix: dict[str, list[int]] = {}
    for kind in kinds.all_kinds():
        documents = Document.objects.bulk_create(
            Document(
                kind=kind.code,
                title=f"{kind.label} số {i + 1} năm {2025 + i % 2}",
                year=2025 + i % 2,
                state="draft" if i % 3 else "submitted",
                drafting_unit=units[kind.drafting_unit],
                reviewing_unit=units[kind.reviewing_unit],
                created_by=creator,
            )
            for i in range(per_kind)
        )
        by_prefix.setdefault(kind.audit_prefix, []).extend(d.pk for d in documents)
    return by_prefix


def action_table() -> tuple[list[str], list[float]]:
    from workflows import audit

    codes, weights = [], []
    for code in sorted(audit.registered_actions()):
        prefix, _, verb = code.rpartition(".")
        if prefix in KIND_SHARE and verb in DOCUMENT_VERB_WEIGHTS:
            weight = DOCUMENT_VERB_WEIGHTS[verb] * KIND_SHARE[prefix]
        else:
            weight = OTHER_WEIGHTS.get(code, 0.2)
        codes.append(code)
        weights.append(weight)
    return codes, weights


def actors() -> list[dict]:
    from organisation.models import Person

    found = []
    for person in Person.objects.select_related("unit").prefetch_related("groups"):
        found.append(
            {
                "actor_id": person.pk,
                "actor_name": person.display_name,
                "unit_code": person.unit.code if person.unit_id else "",
                "roles": ",".join(sorted(g.name for g in person.groups.all())),
            }
        )
    return found


class EventMaker:
    """Makes consecutive events, chained, a batch at a time."""

    def __init__(self, total: int, documents: dict[str, list[int]], seed: int = 20261129):
        from workflows import audit

        self.rng = random.Random(seed)
        self.total = total
        self.documents = documents
        self.codes, weights = action_table()
        self.cum_weights = list(_accumulate(weights))
        self.people = actors()
        self.gap = SPAN.total_seconds() / max(total, 1)
        self.when = START
        self.seq, self.prev = audit.chain_head()
        self.hash_seconds = 0.0

    def values(self, action: str) -> dict:
        rng = self.rng
        prefix, _, verb = action.rpartition(".")
        person = rng.choice(self.people)
        who = dict(person)
        document_id = revision = None
        from_state = to_state = comment = ""
        data: dict = {}
        if prefix in self.documents:
            document_id = rng.choice(self.documents[prefix])
            revision = rng.randint(1, 6)
            from_state, to_state = STATES.get(verb, ("", ""))
            data = {"version": rng.randint(1, 30)}
            if verb in ("commented", "returned", "opinion_given") or rng.random() < 0.05:
                comment = rng.choice(COMMENTS).format(n=rng.randint(1, 12))
        elif action == "organisation.session.sign_in_failed":
            who = {"actor_id": None, "actor_name": "", "unit_code": "", "roles": ""}
            data = {"username": person["actor_name"] if rng.random() < 0.2 else "canbo"}
        elif action == "workflows.document.access_denied":
            document_id = rng.choice(rng.choice(list(self.documents.values())))
            comment = "Không có quyền chỉnh sửa văn bản của đơn vị khác"
        elif action.endswith(".exported"):
            data = {"format": rng.choice(["csv", "xlsx"]), "rows": rng.randint(1, 50000)}
        elif action == "standards.certificate.recorded":
            comment = f"Chứng chỉ ứng dụng CNTT cơ bản, mô-đun IU0{rng.randint(1, 6)}"
        # Monotonic time, exponential gaps: two years over the N events.
        self.when += dt.timedelta(seconds=rng.expovariate(1 / self.gap))
        return {
            "created_at": self.when,
            **who,
            "action": action,
            "document_id": document_id,
            "revision_number": revision,
            "from_state": from_state,
            "to_state": to_state,
            "comment": comment,
            "data": data,
            "ip": None
            if rng.random() < 0.02
            else f"10.{rng.randint(0, 20)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        }

    def batch(self, size: int) -> list:
        from workflows.audit import comment_folded, event_hash
        from workflows.models import AuditEvent

        actions = self.rng.choices(self.codes, cum_weights=self.cum_weights, k=size)
        rows = [self.values(action) for action in actions]
        start = time.perf_counter()
        for values in rows:
            self.seq += 1
            values["seq"] = self.seq
            values["prev_hash"] = self.prev
            values["hash"] = self.prev = event_hash(values)
        self.hash_seconds += time.perf_counter() - start
        # As workflows.audit.record() does: the folded copy the inspector searches.
        return [AuditEvent(**values, comment_folded=comment_folded(values)) for values in rows]


def _accumulate(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def build_chain(total: int, documents: dict[str, list[int]]) -> dict:
    from django.db import connection, transaction

    from workflows.models import AuditChainHead, AuditEvent

    maker = EventMaker(total, documents)
    first_seq = maker.seq
    insert_seconds = 0.0
    started = time.perf_counter()
    last_report = started
    done = 0
    batch_size = None if connection.vendor == "sqlite" else 1000  # SQLite: 999 params
    while done < total:
        events = maker.batch(min(BATCH, total - done))
        start = time.perf_counter()
        with transaction.atomic():
            AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        insert_seconds += time.perf_counter() - start
        done += len(events)
        now = time.perf_counter()
        if now - last_report >= 15 or done == total:
            last_report = now
            print(
                f"  {done:,} events ({done / (now - started):,.0f}/s so far)",
                flush=True,
            )
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": maker.seq, "hash": maker.prev})
    seconds = time.perf_counter() - started
    return {
        "events": total,
        "first_seq": first_seq + 1,
        "head": (maker.seq, maker.prev),
        "seconds": seconds,
        "hash_seconds": maker.hash_seconds,
        "insert_seconds": insert_seconds,
    }


def analyze() -> float:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` would
    give a live server after a day of inserts."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize")
    return time.perf_counter() - start


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('workflows_auditevent'), "
                "pg_relation_size('workflows_auditevent')"
            )
            total, table = cursor.fetchone()
            return f"table {table / 2**20:,.0f} MiB, with indexes {total / 2**20:,.0f} MiB"
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return f"database file {pages * cursor.fetchone()[0] / 2**20:,.0f} MiB"


# --- The inspector's list -------------------------------------------------------------


def scenarios(total: int) -> list[tuple[str, dict]]:
    deep = min(1000, max(1, total // 50))
    return [
        ("unfiltered, page 1", {}),
        (f"action = {ACTION_COMMON}", {"action": ACTION_COMMON}),
        (f"action = {ACTION_RARE}", {"action": ACTION_RARE}),
        (f"date range {MONTH[0]}–{MONTH[1]}", {"date_from": MONTH[0], "date_to": MONTH[1]}),
        (
            f"date range {FIRST_MONTH[0]}–{FIRST_MONTH[1]}",
            {"date_from": FIRST_MONTH[0], "date_to": FIRST_MONTH[1]},
        ),
        (f"words in comments “{COMMENT_WORDS}”", {"q": COMMENT_WORDS}),
        (f"words in comments “{ABSENT_WORDS}” (no match)", {"q": ABSENT_WORDS}),
        (f"unfiltered, page {deep}", {"page": str(deep)}),
    ]


def shown(html: str) -> tuple[str, int]:
    count = re.search(r'<span class="help">\s*([\d.,]+)', html)
    rows = html.count('<td class="num">')
    return (count.group(1) if count else "?"), rows


def measure(client, params: dict, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get("/audit/", params)  # warm up
    assert response.status_code == 200, response.status_code
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get("/audit/", params)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/audit/", params)
    audit_queries = [
        (float(q["time"]), q["sql"])
        for q in queries.captured_queries
        if 'FROM "workflows_auditevent"' in q["sql"]
    ]
    matched, rows = shown(response.content.decode())
    return {
        "samples": samples,
        "queries": len(queries.captured_queries),
        "sql_seconds": sum(float(q["time"]) for q in queries.captured_queries),
        "audit_queries": audit_queries,
        "matched": matched,
        "rows": rows,
    }


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def ms(seconds: float) -> str:
    """Django records query times to the millisecond."""
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.001 else "<1 ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events (1000000)")
    parser.add_argument("--requests", type=int, default=10, help="timed requests (10)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()

    with _common.fresh_database("audit") as database:
        from importlib import import_module

        from django.conf import settings
        from django.test import Client

        from workflows.audit import verify_chain

        import_module(settings.ROOT_URLCONF)  # every app's views: all actions registered
        print(f"Audit trail benchmark — {database}; {_common.machine()}")
        make_staff()
        documents = make_documents()

        print(f"1. Building a chain of {args.events:,} events…", flush=True)
        built = build_chain(args.events, documents)
        rate = built["events"] / built["seconds"]
        print(
            f"  {built['events']:,} events in {built['seconds']:.1f} s: {rate:,.0f} events/s "
            f"(hashing {built['hash_seconds']:.1f} s, bulk_create "
            f"{built['insert_seconds']:.1f} s, generating the rest); {database_size()}; "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
        )
        print(f"  ANALYZE / PRAGMA optimize: {analyze():.1f} s", flush=True)

        print("2. verify_chain()…", flush=True)
        with _common.Stopwatch() as watch:
            result = verify_chain()
        verdict = "intact" if result.ok else f"BROKEN: {result.problem}"
        print(
            f"  {result.checked:,} events in {watch.seconds:.1f} s: "
            f"{result.checked / watch.seconds:,.0f} events/s; {verdict}; "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB",
            flush=True,
        )
        if not result.ok or result.head_hash != built["head"][1]:
            print("  the chain built is not valid: the benchmark is wrong", file=sys.stderr)
            return 1

        print(f"3. GET /audit/ as thanhtra, {args.requests} requests each…", flush=True)
        client = Client()
        client.force_login(_common.people()["thanhtra"])
        for label, params in scenarios(args.events):
            found = measure(client, params, args.requests)
            samples = [s * 1000 for s in found["samples"]]
            sql = ", ".join(ms(t) for t, _sql in found["audit_queries"])
            print(
                f"  {label}: median {statistics.median(samples):,.0f} ms, "
                f"p95 {_common.percentile(samples, 95):,.0f} ms; {found['queries']} queries "
                f"(all SQL {ms(found['sql_seconds'])}; audit COUNT, page: {sql}); "
                f"{found['matched']} events match, {found['rows']} rows shown",
                flush=True,
            )
            if args.explain:
                for _t, query in found["audit_queries"]:
                    print("    " + query[:300])
                    print("      " + explain(query).replace("\n", "\n      "))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast is the audit chain at a million events: appending, verifying in full, in
parallel, and from the last signed checkpoint?

Creates a fresh database with the demo organisation, then:

1. appends N events (default 1,000,000) through `workflows.audit.append_prepared`, the
   load generator's path (numbered, linked and hashed as `audit.record` does; COPY on
   PostgreSQL), 5,000 at a time, over realistic values (weighted mix of the registered
   actions, the demo people and 60 more staff with their unit codes and roles, about half
   of the events on one of 160 bulk-created documents, Vietnamese comments, JSON data, IP
   addresses, timestamps spread over two years). Reports the append rate;
2. verifies the whole chain: the walk as it was before (ORM dicts, json.dumps per
   event; `--no-baseline` skips it), then `verify_chain(workers=N)` for each N of
   `--workers` (segments in forked processes on PostgreSQL; on SQLite one after another);
3. signs a checkpoint (the demo PKI) and times `audit_verify(workers=N)`, which checks
   the chain and the checkpoint in one walk;
4. appends `--since-events` more (default 50,000: a busy day and more) and times
   `audit_verify(since_checkpoint=True, workers=N)`: the checkpoint's signature, its
   event, and the events after it (what `verify_audit --since-checkpoint` runs).

Each verification must find the chain intact, or the benchmark fails. The inspector's
page at the same size is benchmarks/audit_inspector.py.

Usage (from the project root):

    python benchmarks/audit.py [--events 1000000] [--since-events 50000] [--workers 1,2]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/audit.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import resource
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
        self.seq = audit.chain_head()[0]

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

    def batch(self, size: int) -> list[dict]:
        """Column values for `audit.append_prepared`, which numbers, links and hashes."""
        actions = self.rng.choices(self.codes, cum_weights=self.cum_weights, k=size)
        return [self.values(action) for action in actions]


def _accumulate(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def build_chain(total: int, documents: dict[str, list[int]], *, seed: int = 20261129) -> dict:
    """Append `total` events through `audit.append_prepared`, BATCH at a time: the load
    generator's path (COPY on PostgreSQL), which numbers, links and hashes them."""
    from workflows import audit

    maker = EventMaker(total, documents, seed=seed)
    first_seq = maker.seq
    append_seconds = 0.0
    started = time.perf_counter()
    last_report = started
    done = 0
    while done < total:
        rows = maker.batch(min(BATCH, total - done))
        start = time.perf_counter()
        seq = audit.append_prepared(rows)
        append_seconds += time.perf_counter() - start
        done += len(rows)
        now = time.perf_counter()
        if now - last_report >= 15 or done == total:
            last_report = now
            print(f"  {done:,} events ({done / (now - started):,.0f}/s so far)", flush=True)
    seconds = time.perf_counter() - started
    return {
        "events": total,
        "first_seq": first_seq + 1,
        "head": audit.chain_head() if total else (seq, None),
        "seconds": seconds,
        "append_seconds": append_seconds,
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


# --- Verification ---------------------------------------------------------------------


def verify_as_before() -> tuple[int, float]:
    """The walk as verify_chain did it until now, for comparison in the same run: the
    ORM's values() dicts (times and JSON converted per row) and json.dumps per event."""
    from organisation.text import fold
    from workflows.audit import GENESIS, HASHED_FIELDS
    from workflows.models import AuditEvent

    def canonical(values):
        fields = {name: values[name] for name in HASHED_FIELDS}
        fields["created_at"] = (
            values["created_at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        )
        return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    start = time.perf_counter()
    prev, expected = GENESIS, 1
    rows = (
        AuditEvent.objects.order_by("seq")
        .values(*HASHED_FIELDS, "hash", "comment_folded")
        .iterator(chunk_size=5000)
    )
    for row in rows:
        digest = hashlib.sha256(canonical(row).encode()).hexdigest()
        ok = row["seq"] == expected and row["prev_hash"] == prev and digest == row["hash"]
        if not ok or row["comment_folded"] != fold(row["comment"]):
            raise SystemExit(f"the old walk finds event #{row['seq']} broken: benchmark wrong")
        prev, expected = row["hash"], expected + 1
    return expected - 1, time.perf_counter() - start


def timed(label: str, run) -> float:
    """Run a verification, print its rate; fails the benchmark if it is not intact."""
    with _common.Stopwatch() as watch:
        result = run()
    if not result.ok:
        print(f"  {label}: BROKEN: {result.problem}", file=sys.stderr)
        raise SystemExit(1)
    rate = result.checked / watch.seconds if watch.seconds else 0
    print(
        f"  {label}: {result.checked:,} events in {watch.seconds:.2f} s: {rate:,.0f} events/s; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB",
        flush=True,
    )
    return watch.seconds


def prepare(events: int) -> dict:
    """The database of this benchmark and of audit_inspector.py: staff, documents, a chain
    of `events` events, fresh planner statistics."""
    make_staff()
    documents = make_documents()
    print(f"Building a chain of {events:,} events (audit.append_prepared)…", flush=True)
    built = build_chain(events, documents)
    rate = built["events"] / built["seconds"]
    print(
        f"  {built['events']:,} events in {built['seconds']:.1f} s: {rate:,.0f} events/s "
        f"(append_prepared {built['append_seconds']:.1f} s, generating the values the "
        f"rest); {database_size()}; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
    )
    print(f"  ANALYZE / PRAGMA optimize: {analyze():.1f} s", flush=True)
    built["documents"] = documents
    return built


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events (1000000)")
    parser.add_argument(
        "--since-events", type=int, default=50_000, help="events after the checkpoint (50000)"
    )
    parser.add_argument("--workers", default="1,2", help="worker counts to time (1,2)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the old walk")
    parser.add_argument(
        "--keep-db",
        default="",
        metavar="NAME",
        help="PostgreSQL: build into database NAME and leave it for "
        "audit_inspector.py --reuse-db NAME",
    )
    args = parser.parse_args()
    worker_counts = [int(n) for n in args.workers.split(",")]

    with _common.fresh_database("audit", keep=args.keep_db) as database:
        from importlib import import_module

        from django.conf import settings

        from signing import checkpoints
        from workflows import audit

        import_module(settings.ROOT_URLCONF)  # every app's views: all actions registered
        print(f"Audit chain benchmark — {database}; {_common.machine()}")
        built = prepare(args.events)

        print("Verifying the whole chain…", flush=True)
        if not args.no_baseline:
            checked, seconds = verify_as_before()
            print(
                f"  as before (ORM dicts, json.dumps): {checked:,} events in {seconds:.2f} s: "
                f"{checked / seconds:,.0f} events/s",
                flush=True,
            )
        for workers in worker_counts:
            timed(
                f"verify_chain(workers={workers})", lambda w=workers: audit.verify_chain(workers=w)
            )

        day = dt.date(2027, 1, 1)
        with _common.Stopwatch() as watch:
            point = checkpoints.audit_checkpoint_sign(day=day)
        print(f"Signed checkpoint #{point.count:,} in {watch.seconds:.2f} s", flush=True)
        for workers in worker_counts:
            timed(
                f"audit_verify(workers={workers}), checkpoint checked in the same walk",
                lambda w=workers: audit.audit_verify(workers=w).result,
            )

        print(f"Appending {args.since_events:,} events after the checkpoint…", flush=True)
        later = build_chain(args.since_events, built["documents"], seed=7)
        print(
            f"  {later['events']:,} events in {later['seconds']:.1f} s: "
            f"{later['events'] / later['seconds']:,.0f} events/s",
            flush=True,
        )
        analyze()
        for workers in worker_counts:
            timed(
                f"audit_verify(since_checkpoint=True, workers={workers}), signature included",
                lambda w=workers: audit.audit_verify(since_checkpoint=True, workers=w).result,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

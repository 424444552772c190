"""How many documents per second go from draft to issued through the real services?

Creates a fresh database, drafts N complete five-year plans (default 200; sections, 4
objectives, 10 task rows each) through `plan_create`/`plan_update` (not timed), then times,
one after the other and in a single thread:

1. submit  — the Centre's drafter submits every plan (snapshot frozen as a revision);
2. endorse — the Planning Department's reviewer endorses every plan;
3. sign    — the Minister signs every plan: its PDF rendered and signed (PAdES B-LT);
4. issue   — the Office issues it: number from the register, date, the Committee's
             signature, both signatures verified, dispatch to the recipients.

Each action is one `workflows.services.document_act` call: its own transaction, row
lock, permission checks, viewflow task, audit event(s) and the notification mail (rendered
and delivered to Django's in-memory mail backend on commit). Reports the time per action
and per step, the SQL queries of one action of each kind and the end-to-end throughput
(documents per second for submit + endorse + sign + issue), then checks that every plan is issued
with a distinct number.

Usage (from the project root):

    python benchmarks/throughput.py [--plans 200]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/throughput.py
"""

from __future__ import annotations

import argparse
import sys
import time

import _common

STEPS = (
    ("submit", "soanthao.tttt"),
    ("endorse", "thamdinh.kh"),
    ("sign", "botruong"),
    ("issue", "vanthu.vp"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=200, help="documents to issue (200)")
    args = parser.parse_args()

    with _common.fresh_database("throughput") as database:
        from django.core import mail
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from signing import step_up
        from workflows import services as engine
        from workflows.models import AuditEvent, Document, RegisterCounter

        def run(user, action, document_id):
            session = step_up.scripted_session() if action == "sign" else None
            engine.document_act(user=user, document_id=document_id, action=action, session=session)

        print(f"Throughput benchmark — {database}; {_common.machine()}")
        people = _common.people()
        with _common.Stopwatch() as setup:
            ids = [
                _common.draft_plan(people["soanthao.tttt"], i + 1).document_id
                for i in range(args.plans)
            ]
        print(f"Drafted {args.plans} plans in {setup.seconds:.1f} s (not counted below)")

        total = 0.0
        for action, username in STEPS:
            user = people[username]
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                run(user, action, ids[0])
                first = time.perf_counter() - start
            samples = [first]
            for document_id in ids[1:]:
                start = time.perf_counter()
                run(user, action, document_id)
                samples.append(time.perf_counter() - start)
            step_seconds = sum(samples)
            total += step_seconds
            print(
                f"  {action:<8} {step_seconds:6.2f} s, {args.plans / step_seconds:6.1f} /s; "
                f"{_common.summarise_ms(samples)}, first {samples[0] * 1000:.1f} ms; "
                f"{len(queries.captured_queries)} queries"
            )

        issued = Document.objects.filter(pk__in=ids, state="issued")
        numbers = set(issued.values_list("number_text", flat=True))
        assert issued.count() == args.plans, "every plan must be issued"
        assert len(numbers) == args.plans, "every issued plan must have its own number"
        counter = RegisterCounter.objects.get(register="KH")
        print(
            f"Submit → endorse → sign → issue: {args.plans} documents in {total:.2f} s = "
            f"{args.plans / total:.1f} documents/s ({total / args.plans * 1000:.1f} ms per "
            f"document for the four actions)"
        )
        print(
            f"  checks: {issued.count()} issued, numbers 01…{counter.last_number:02d}/KH-UBDT "
            f"distinct, {AuditEvent.objects.count()} audit events, "
            f"{len(getattr(mail, 'outbox', []))} mails delivered"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast does the outbox deliver mail to an SMTP server?

Creates a fresh database and starts a real SMTP server (aiosmtpd) on a loopback port,
then measures:

1. queue   — N mails written through `workflows.notifications.queue_mail`, 10 to a
             transaction (an action mailing several people), with their after-commit
             task left out so that the sweeper finds them all pending: time and SQL
             queries per mail;
2. sweep   — one worker's sweeper (`outbox.services.outbox_sweep`) delivers them all:
             claim (one UPDATE per batch of 200), one SMTP connection per batch, one
             UPDATE per mail sent — mails per second;
3. race    — N more mails, delivered by two sweepers in two threads at once (batches of
             50, so their claims interleave): mails per
             second, and the check that the claims let no mail go out twice;
4. commit  — N/4 mails queued one to a transaction with the after-commit task run in
             the process (huey's immediate mode): queue + delivery per mail end to end.

Each phase then checks that the SMTP server received every key exactly once.

Usage (from the project root):

    python benchmarks/outbox.py [--mails 2000]
    DATABASE_URL=postgres://ubdt:ubdt@127.0.0.1:5432/ubdt python benchmarks/outbox.py
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import threading
from collections import Counter

import _common


class Sink:
    def __init__(self) -> None:
        self.keys: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        from email import message_from_bytes

        key = message_from_bytes(envelope.content)["X-UBDT-Mail-Key"]
        with self.lock:
            self.keys.append(key)
        return "250 OK"

    def check(self, expected: list[str]) -> str:
        counts = Counter(self.keys)
        twice = sum(1 for k in expected if counts[k] > 1)
        missing = sum(1 for k in expected if counts[k] == 0)
        assert not twice and not missing, f"{missing} missing, {twice} sent more than once"
        self.keys.clear()
        return f"{len(expected)} received, each exactly once"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=2000, help="mails per phase (2000)")
    args = parser.parse_args()

    with _common.fresh_database("outbox") as database:
        from aiosmtpd.controller import Controller
        from django.conf import settings
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from outbox import services
        from outbox.models import Mail, Status
        from workflows.notifications import queue_mail

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-session log
        sink = Sink()
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        print(f"Outbox benchmark — {database}; {_common.machine()}; aiosmtpd on :{port}")

        def queue(prefix: str, n: int, per_transaction: int) -> list[str]:
            keys = [f"bench:{prefix}:{i}" for i in range(n)]
            for start in range(0, n, per_transaction):
                with transaction.atomic():
                    for key in keys[start : start + per_transaction]:
                        queue_mail(
                            key=key,
                            to=[f"nguoi.nhan.{key.rsplit(':', 1)[1]}@example.gov.vn"],
                            subject=f"Kế hoạch ứng dụng CNTT năm 2027 — thông báo {key}",
                            body="Kính gửi đồng chí,\n\n" + "Nội dung thông báo. " * 40,
                        )
            return keys

        real_after_commit = services._deliver_after_commit
        services._deliver_after_commit = lambda pk: None
        try:
            with CaptureQueriesContext(connection) as queries, _common.Stopwatch() as t:
                keys = queue("sweep", args.mails, 10)
            print(
                f"  queue    {args.mails} mails in {t.seconds:.2f} s: "
                f"{t.seconds / args.mails * 1000:.2f} ms and "
                f"{len(queries.captured_queries) / args.mails:.1f} queries per mail"
            )
            with _common.Stopwatch() as t:
                sent = services.outbox_sweep()
            assert sent == args.mails
            print(
                f"  sweep    1 worker: {sent} mails in {t.seconds:.2f} s = "
                f"{sent / t.seconds:.0f} mails/s; {sink.check(keys)}"
            )

            keys = queue("race", args.mails, 10)
            results: list[int] = []

            def worker() -> None:
                try:
                    results.append(services.outbox_sweep(batch=50))
                finally:
                    connection.close()

            threads = [threading.Thread(target=worker) for _ in range(2)]
            with _common.Stopwatch() as t:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            assert sum(results) == args.mails, results
            print(
                f"  race     2 workers: {sum(results)} mails in {t.seconds:.2f} s = "
                f"{sum(results) / t.seconds:.0f} mails/s (split {results}); {sink.check(keys)}"
            )
        finally:
            services._deliver_after_commit = real_after_commit

        n = max(1, args.mails // 4)
        with _common.Stopwatch() as t:
            keys = queue("commit", n, 1)
        print(
            f"  commit   {n} mails, one per transaction, delivered on commit: {t.seconds:.2f} s "
            f"= {n / t.seconds:.0f} mails/s ({t.seconds / n * 1000:.2f} ms per mail); "
            f"{sink.check(keys)}"
        )
        assert not Mail.objects.exclude(status=Status.SENT).exists()
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

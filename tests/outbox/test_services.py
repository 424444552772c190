"""The durable outbox against a real SMTP server (aiosmtpd): written in the action's
transaction, delivered after the commit or by the sweeper, each mail exactly once."""

from __future__ import annotations

import subprocess
import textwrap
import threading
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import connection, transaction
from django.utils import timezone

from outbox import services
from outbox.models import Mail, Status
from tests.processes import PYTHON, ROOT, child_env
from tests.workflows import helpers as h
from workflows.notifications import queue_mail, queue_mails

pytestmark = pytest.mark.usefixtures("demo_org")


def queue(n: int, prefix: str = "test") -> list[str]:
    keys = [f"{prefix}:{i}" for i in range(n)]
    for key in keys:
        queue_mail(key=key, to=[f"{key.replace(':', '.')}@example.gov.vn"], subject=key, body="…")
    return keys


def test_the_same_key_queued_twice_is_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_mail(key="k:1", to=["a@example.gov.vn"], subject="Một", body="1")
        queue_mail(key="k:1", to=["a@example.gov.vn"], subject="Một", body="1")
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(key="k:1", to=["a@example.gov.vn"], subject="Một", body="1")

    assert Mail.objects.filter(key="k:1").count() == 1
    assert len(django_mail.outbox) == 1


def test_a_rolled_back_action_leaves_no_row(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_mail(key="k:rolled-back", to=["a@example.gov.vn"], subject="x", body="x")
        raise RuntimeError

    assert callbacks == []
    assert not Mail.objects.exists()


def test_one_delivery_task_per_transaction_for_all_its_mails(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queue(3)
    assert len(callbacks) == 1
    assert sorted(m.extra_headers["X-UBDT-Mail-Key"] for m in django_mail.outbox) == [
        "test:0",
        "test:1",
        "test:2",
    ]
    assert set(Mail.objects.values_list("status", flat=True)) == {Status.SENT}


def test_an_action_writes_one_row_per_recipient_with_its_key(django_capture_on_commit_callbacks):
    document = h.make_plan("draft")
    with django_capture_on_commit_callbacks(execute=False):
        h.act(document, "submit", h.DRAFTER)
    document.refresh_from_db()
    rows = list(Mail.objects.filter(key__startswith=f"workflow:{document.pk}:v{document.version}:"))
    assert [r.to for r in rows] == [["thamdinh.kh@demo.ubdt.gov.vn"]]
    assert rows[0].status == Status.PENDING and rows[0].key.endswith(
        ":submit:" + str(h.person(h.REVIEWER).pk)
    )


def test_smtp_down_then_up_delivers_each_mail_exactly_once(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        keys = queue(3)

    # The server is down: the delivery after commit failed and put each row back.
    rows = list(Mail.objects.order_by("key"))
    assert [(r.status, r.attempts) for r in rows] == [(Status.PENDING, 1)] * 3
    assert all("ConnectionRefused" in r.last_error for r in rows)
    assert all(r.next_attempt_at > timezone.now() for r in rows)
    assert services.outbox_sweep() == 0  # not due yet: back-off

    smtp.start()
    later = timezone.now() + timedelta(minutes=2)
    assert services.outbox_sweep(now=later) == 3
    assert services.outbox_sweep(now=later + timedelta(days=1)) == 0
    assert services.mail_deliver(ids=[r.pk for r in rows], now=later + timedelta(days=2)) == 0

    assert sorted(smtp.keys()) == keys
    for message in smtp.messages:
        assert message["Message-ID"] == services.message_id(
            message["X-UBDT-Mail-Key"], "khcntt@ubdt.gov.vn"
        )
    assert set(Mail.objects.values_list("status", flat=True)) == {Status.SENT}


def test_failed_after_the_last_attempt_then_retried_from_the_admin_service(
    smtp, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    queue(1)  # inside the test's transaction: only the sweeper delivers it
    now = timezone.now()
    for _ in range(3):
        now += timedelta(hours=2)
        services.outbox_sweep(now=now)
    row = Mail.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert services.outbox_sweep(now=now + timedelta(days=1)) == 0

    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mail_retry(ids=[row.pk]) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert smtp.keys() == ["test:0"]


def test_back_off_doubles_up_to_its_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_CAP_SECONDS = 3600
    delays = [services.retry_delay(n).total_seconds() for n in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_delivering_the_same_row_twice_sends_one_mail(smtp):
    smtp.start()
    with transaction.atomic():  # not delivered: the test's transaction never commits
        queue(1)
    row = Mail.objects.get()
    assert services.mail_deliver(ids=[row.pk]) == 1
    assert services.mail_deliver(ids=[row.pk]) == 0
    assert services.outbox_sweep(now=timezone.now() + timedelta(days=1)) == 0
    assert smtp.keys() == ["test:0"]


def test_a_worker_lost_while_sending_is_released_after_the_claim_timeout(smtp):
    smtp.start()
    with transaction.atomic():
        queue(1)
    row = Mail.objects.get()
    Mail.objects.filter(pk=row.pk).update(status=Status.SENDING, claimed_at=timezone.now())
    assert services.outbox_sweep() == 0  # another worker may still be sending it
    assert services.outbox_sweep(now=timezone.now() + timedelta(minutes=11)) == 1
    assert smtp.keys() == ["test:0"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_rows_send_each_mail_once(smtp):
    smtp.start()
    with transaction.atomic():
        keys = queue(10)
    # Enqueued after commit and delivered at once (tests run tasks immediately): put the
    # rows back to make the two workers race for them.
    Mail.objects.update(status=Status.PENDING, attempts=0, sent_at=None)
    smtp.messages.clear()
    ids = list(Mail.objects.values_list("pk", flat=True))
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def worker():
        try:
            barrier.wait()
            sent.append(services.mail_deliver(ids=ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sum(sent) == 10
    assert sorted(smtp.keys()) == sorted(keys)
    assert Mail.objects.filter(status=Status.SENT, attempts=1).count() == 10


CRASH_AFTER_COMMIT = textwrap.dedent(
    """
    import os, django
    django.setup()
    from django.db import transaction
    from tests.workflows import helpers as h
    from workflows.models import Document

    document = Document.objects.get(pk={pk})
    with transaction.atomic():
        # Registered first, so it runs first after the commit: the process dies with the
        # action committed and before the delivery task could even be enqueued.
        transaction.on_commit(lambda: os._exit(17))
        h.act(document, "submit", h.DRAFTER)
    raise SystemExit("still alive")
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_after_its_commit_still_has_its_mail_delivered_once(smtp):
    smtp.start()
    document = h.make_plan("draft")
    Mail.objects.all().delete()

    done = subprocess.run(
        [PYTHON, "-c", CRASH_AFTER_COMMIT.format(pk=document.pk)],
        cwd=ROOT,
        env=child_env(DJANGO_SETTINGS_MODULE="config.settings.test"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 17, done.stderr[-2000:]

    document.refresh_from_db()
    assert document.state == "submitted"  # the action committed
    row = Mail.objects.get()
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert smtp.messages == []

    # The worker's sweeper, a minute later, and again.
    assert services.outbox_sweep() == 1
    assert services.outbox_sweep(now=timezone.now() + timedelta(days=1)) == 0
    assert smtp.keys() == [row.key]
    assert smtp.messages[0]["To"] == "thamdinh.kh@demo.ubdt.gov.vn"


def test_many_mails_are_queued_in_a_fixed_number_of_queries(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    def mails(n):
        return [
            {
                "key": f"many:{i}",
                "to": [f"p{i}@example.gov.vn"],
                "subject": "Nhắc\nviệc",
                "body": "…",
            }
            for i in range(n)
        ]

    queue_mail(key="many:0", to=["p0@example.gov.vn"], subject="Nhắc việc", body="…")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # The keys already queued, one INSERT, the new rows' ids (plus the savepoint).
        with django_assert_num_queries(5), transaction.atomic():
            queue_mails(mails(40))
        queue_mails(mails(40))  # all queued already: nothing more
    assert len(callbacks) == 1
    assert Mail.objects.count() == 40
    assert sorted(m.extra_headers["X-UBDT-Mail-Key"] for m in django_mail.outbox) == sorted(
        f"many:{i}" for i in range(1, 40)
    )
    assert {m.subject for m in django_mail.outbox} == {"Nhắc việc"}


def test_purge_deletes_only_sent_mails_past_the_retention(settings):
    settings.OUTBOX_KEEP_SENT_DAYS = 30
    queue(4, "purge")
    now = timezone.now()
    old, recent, failed, pending = (Mail.objects.get(key=f"purge:{i}") for i in range(4))
    Mail.objects.filter(pk=old.pk).update(status=Status.SENT, sent_at=now - timedelta(days=31))
    Mail.objects.filter(pk=recent.pk).update(status=Status.SENT, sent_at=now - timedelta(days=29))
    Mail.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, updated_at=now - timedelta(days=400)
    )

    assert services.outbox_purge(now=now, batch=1) == 1

    assert set(Mail.objects.filter(key__startswith="purge:").values_list("key", flat=True)) == {
        recent.key,
        failed.key,
        pending.key,
    }
    assert services.outbox_purge(now=now) == 0  # idempotent

"""Writing and delivering outbox mail.

A mail is queued in the caller's transaction (`mail_queue`); after the commit one huey
task per transaction delivers what that transaction queued, and a sweeper every minute
delivers whatever is due (a process that died after its commit, a worker that was down,
a retry whose time has come). Both go through `mail_deliver`, which first *claims* rows
with one conditional UPDATE (pending and due -> sending, with a token): two workers, or
the task and the sweeper, can never both send one row. A failure puts the row back to
pending with an exponential back-off, and after OUTBOX_MAX_ATTEMPTS it is failed, for an
administrator to retry from the admin.

A worker that dies in the middle of an SMTP conversation leaves its row "sending"; after
OUTBOX_CLAIM_TIMEOUT the sweeper makes it pending again. That row may then reach the
server twice, so every message carries its key (Message-ID and X-UBDT-Mail-Key) for the
receiving side to deduplicate."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Mail, Status

logger = logging.getLogger(__name__)

KEY_HEADER = "X-UBDT-Mail-Key"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the n-th failed attempt, capped: 1, 2, 4 … minutes,
    at most an hour by default."""
    base = _setting("OUTBOX_RETRY_BASE_SECONDS", 60)
    cap = _setting("OUTBOX_RETRY_CAP_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def message_id(key: str, from_email: str) -> str:
    """The same key always gives the same Message-ID, so a receiving server or mail
    client can recognise a second copy."""
    domain = from_email.rsplit("@", 1)[-1].strip("> ") or "localhost"
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}.outbox@{domain}>"


# --- Queueing (inside the caller's transaction) ---------------------------------------

_muted: ContextVar[bool] = ContextVar("outbox_muted", default=False)


@contextmanager
def muted():
    """Queue nothing inside this block (the demo loader's invented history is not news)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _check_key(key: str) -> None:
    if len(key) > Mail._meta.get_field("key").max_length:
        raise ValueError(f"outbox key too long: {key[:60]}…")


def mail_queue(*, key: str, to: list[str], subject: str, body: str) -> Mail | None:
    """Write the mail in the current transaction; a second call with the same key
    returns the existing row and queues nothing. Delivery is enqueued after commit."""
    recipients = [a for a in to if a]
    if not recipients or _muted.get():
        return None
    _check_key(key)
    mail, created = Mail.objects.get_or_create(
        key=key,
        defaults={
            "to": recipients,
            "from_email": settings.DEFAULT_FROM_EMAIL,
            "subject": subject,
            "body": body,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        _deliver_after_commit(mail.pk)
    return mail


def mail_queue_many(*, mails: Iterable[dict]) -> int:
    """`mail_queue` for many mails (a nightly job's) in a fixed number of queries: the
    keys already queued, one INSERT of the others (batched by the database's parameter
    limit), their ids. Returns how many were new."""
    if _muted.get():
        return 0
    now = timezone.now()
    rows: dict[str, Mail] = {}
    for mail in mails:
        recipients = [a for a in mail["to"] if a]
        if not recipients:
            continue
        _check_key(mail["key"])
        rows.setdefault(
            mail["key"],
            Mail(
                key=mail["key"],
                to=recipients,
                from_email=settings.DEFAULT_FROM_EMAIL,
                subject=mail["subject"],
                body=mail["body"],
                next_attempt_at=now,
            ),
        )
    if not rows:
        return 0
    existing = set(Mail.objects.filter(key__in=list(rows)).values_list("key", flat=True))
    new = [row for key, row in rows.items() if key not in existing]
    if not new:
        return 0
    # A concurrent transaction may insert one of these keys first: its row wins.
    Mail.objects.bulk_create(new, ignore_conflicts=True)
    for pk in Mail.objects.filter(key__in=[row.key for row in new]).values_list("pk", flat=True):
        _deliver_after_commit(pk)
    return len(new)


class _Batch:
    """One on-commit callback per transaction, whatever the number of mails it queued:
    it enqueues one delivery task for all of them."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.savepoints: set[str] = set()

    def __call__(self) -> None:
        from . import tasks

        try:
            tasks.deliver_mail(self.ids)
        except Exception:
            # The action has committed; the queue being unreachable must not turn it into
            # an error page. The rows are safe and the sweeper delivers them.
            logger.exception("Could not enqueue delivery of outbox mail %s", self.ids)


def _deliver_after_commit(pk: int) -> None:
    connection = transaction.get_connection()
    batch = getattr(connection, "_outbox_batch", None)
    here = set(connection.savepoint_ids)
    # Join the batch of the same atomic block if its callback is still registered (a
    # rolled-back savepoint discards its callbacks, a commit runs and clears them all);
    # otherwise register a new one.
    if (
        batch is not None
        and connection.in_atomic_block
        and batch.savepoints == here
        and any(callback is batch for _sids, callback, _robust in connection.run_on_commit)
    ):
        batch.ids.append(pk)
        return
    batch = _Batch()
    batch.ids.append(pk)
    batch.savepoints = here
    connection._outbox_batch = batch
    transaction.on_commit(batch)


# --- Delivery (in the worker) ---------------------------------------------------------


def _claim(ids: list[int], now: datetime) -> list[Mail]:
    """Those of `ids` still pending and due -> sending, in one conditional UPDATE;
    returns the rows this call won. On PostgreSQL a concurrent claimer waits for the row
    lock and then re-checks `status`, so it finds the row taken; SQLite serialises
    writers."""
    if not ids:
        return []
    token = uuid.uuid4()
    # The moment of this claim (a long sweep claims its last batch minutes after `now`),
    # which the claim timeout counts from; never before `now`, which may be given.
    claimed_at = max(timezone.now(), now)
    Mail.objects.filter(pk__in=ids, status=Status.PENDING, next_attempt_at__lte=now).update(
        status=Status.SENDING,
        claim_token=token,
        claimed_at=claimed_at,
        attempts=F("attempts") + 1,
        updated_at=claimed_at,
    )
    return list(Mail.objects.filter(claim_token=token).order_by("pk"))


def _message(mail: Mail, connection) -> EmailMessage:
    return EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        connection=connection,
        headers={"Message-ID": message_id(mail.key, mail.from_email), KEY_HEADER: mail.key},
    )


def _record_sent(mail: Mail) -> None:
    now = timezone.now()
    Mail.objects.filter(pk=mail.pk, claim_token=mail.claim_token).update(
        status=Status.SENT, sent_at=now, last_error="", claim_token=None, updated_at=now
    )


def _record_failure(mail: Mail, error: BaseException) -> None:
    # Never earlier than the claim (a sweep may run with a given `now`), so a row that
    # failed is not due again within the same sweep.
    now = max(timezone.now(), mail.claimed_at)
    text = f"{type(error).__name__}: {error}"[:2000]
    final = mail.attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 10)
    Mail.objects.filter(pk=mail.pk, claim_token=mail.claim_token).update(
        status=Status.FAILED if final else Status.PENDING,
        next_attempt_at=now + retry_delay(mail.attempts),
        last_error=text,
        claim_token=None,
        updated_at=now,
    )
    log = logger.error if final else logger.warning
    log("Outbox mail %s attempt %s failed: %s", mail.key, mail.attempts, text)


def _send(mails: Iterable[Mail]) -> int:
    """Send each claimed row on one SMTP connection, recording each outcome. If the
    server cannot be reached, the rest of the batch is put back without trying."""
    connection = get_connection(fail_silently=False)
    sent = 0
    unreachable: BaseException | None = None
    opened = False
    for mail in mails:
        if unreachable is not None:
            _record_failure(mail, unreachable)
            continue
        if not opened:
            try:
                connection.open()
                opened = True
            except Exception as exc:
                unreachable = exc
                _record_failure(mail, exc)
                continue
        try:
            if connection.send_messages([_message(mail, connection)]) != 1:
                raise RuntimeError("the mail backend did not accept the message")
        except Exception as exc:
            _record_failure(mail, exc)
            opened = False
            with suppress(Exception):  # it is broken already; the next row reopens it
                connection.close()
        else:
            _record_sent(mail)
            sent += 1
    if opened:
        with suppress(Exception):  # everything is recorded; a failed QUIT changes nothing
            connection.close()
    return sent


def mail_deliver(*, ids: list[int], now: datetime | None = None, batch: int = 200) -> int:
    """Deliver the given rows if they are still pending and due; returns how many went
    out. Safe to call twice for the same rows: the second call claims nothing. Rows are
    claimed a batch at a time, so that none waits "sending" long enough (behind
    thousands of others) for the sweeper to take it for the row of a dead worker."""
    now = now or timezone.now()
    ids = list(ids)
    return sum(_send(_claim(ids[i : i + batch], now)) for i in range(0, len(ids), batch))


def outbox_sweep(*, now: datetime | None = None, batch: int = 200) -> int:
    """Deliver every row whose time has come, oldest first; first release the rows of
    a worker that died while sending. Returns how many mails went out."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=_setting("OUTBOX_CLAIM_TIMEOUT_SECONDS", 600))
    Mail.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING,
        claim_token=None,
        next_attempt_at=now,
        last_error="the worker sending it stopped before recording the outcome",
        updated_at=now,
    )
    sent = 0
    due = Mail.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    while True:
        ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return sent
        # Another sweeper may win some or all of these: then the next round takes others.
        sent += _send(_claim(ids, now))


@transaction.atomic
def mail_retry(*, ids: list[int]) -> int:
    """A failed mail gets a fresh set of attempts, due now; returns how many rows."""
    now = timezone.now()
    count = Mail.objects.filter(pk__in=ids, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=now, updated_at=now
    )
    for pk in ids:
        _deliver_after_commit(pk)
    return count


def outbox_purge(*, now: datetime | None = None, batch: int = 5000) -> int:
    """Delete sent mails older than OUTBOX_KEEP_SENT_DAYS (default 180): their bodies
    name people and documents, and the audit trail, not the outbox, is the record of what
    happened. Failed and pending mails are kept whatever their age, for an administrator
    to see. A key is only ever made again by a job for the day it names, long past by
    then, so no mail is sent twice. Deletes in batches so no lock is held for long."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=_setting("OUTBOX_KEEP_SENT_DAYS", 180))
    purged = 0
    while True:
        ids = list(
            Mail.objects.filter(status=Status.SENT, sent_at__lt=cutoff).values_list(
                "pk", flat=True
            )[:batch]
        )
        if not ids:
            return purged
        purged += Mail.objects.filter(pk__in=ids, status=Status.SENT).delete()[0]

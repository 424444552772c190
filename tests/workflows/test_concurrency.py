"""Two people (or two clicks) acting at the same moment, on real parallel connections.

Each test commits for real (transaction=True) and runs two threads, each with its own
database connection; a barrier releases both into document_act at the same moment.

On PostgreSQL the first transaction to reach the end of document_act then waits until
the other one is seen blocked on a lock (pg_locks), so every run really overlaps the two
transactions instead of merely hoping that they do.

SQLite has no row locks: two transactions are serialised because each begins with
BEGIN IMMEDIATE (settings: transaction_mode) and the second waits in busy_timeout. That
only works with a database file (tests/conftest.py makes the test database one); Django's
default shared-cache in-memory test database answers "database table is locked" instead.
The double-click test below therefore runs on both databases.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from django.db import connection, connections
from viewflow.workflow.models import Task

from organisation import roles
from organisation.models import Unit
from tests.factories import PersonFactory
from tests.workflows import helpers as h
from workflows import notifications, services
from workflows.exceptions import AlreadyHandled
from workflows.models import AuditEvent, Document, RegisterCounter

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_org")]

postgres_only = pytest.mark.postgres


def together(*calls):
    """Run each call in its own thread with its own connection, all released at once;
    returns each call's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the outcome under test, checked by the caller
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return results


WAITING_IN_THIS_DATABASE = """
    SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE NOT l.granted AND a.datname = current_database()
"""


class WaitForContention:
    """Patch for notifications.after_action, which document_act calls inside its
    transaction with every lock held: the first caller waits there until another
    connection is blocked on a lock, proving that the two transactions overlapped and
    that the second one was held back by the first one's locks."""

    def __init__(self):
        self.first = threading.Lock()
        self.saw_contention = False
        self.real = notifications.after_action

    def __call__(self, **kwargs):
        if self.first.acquire(blocking=False):
            self.saw_contention = another_waits_on_a_lock()
        return self.real(**kwargs)


def another_waits_on_a_lock(seconds: float = 15) -> bool:
    """Poll until another connection to this database waits on a lock (True), or give up
    after `seconds` (False)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(WAITING_IN_THIS_DATABASE)
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.01)  # barrier logic: poll until the other one waits
    return False


def act_in_thread(username, document, action, task, **kwargs):
    user = h.person(username)
    user.get_all_permissions()  # warm the permission cache before the barrier

    def call():
        return services.document_act(
            user=user, document_id=document.pk, action=action, task_id=task.pk, **kwargs
        )

    return call


def outcomes(results):
    return sorted("ok" if isinstance(r, Document) else type(r).__name__ for r in results)


def on_1_july_2026():
    return patch("django.utils.timezone.localdate", return_value=dt.date(2026, 7, 1))


def events_of(document, action):
    return AuditEvent.objects.filter(document=document, action=action).count()


def tasks_named(document, name):
    return [
        t for t in Task.objects.filter(process_id=document.process_id) if t.flow_task.name == name
    ]


@contextmanager
def overlapping():
    """Within: the two transactions are made to overlap (PostgreSQL only)."""
    waiter = WaitForContention()
    with patch.object(notifications, "after_action", waiter):
        yield waiter
    assert waiter.saw_contention, "the second transaction never waited for the first one"


@postgres_only
def test_two_reviewers_endorse_the_same_task_at_once():
    PersonFactory(
        username="thamdinh2.kh", unit=Unit.objects.get(code="KH"), role=roles.PLANNING_REVIEWER
    )
    document = h.make_plan("submitted")
    task = h.open_task(document)

    with overlapping():
        results = together(
            act_in_thread(h.REVIEWER, document, "endorse", task),
            act_in_thread("thamdinh2.kh", document, "endorse", task),
        )

    assert outcomes(results) == ["AlreadyHandled", "ok"]
    document.refresh_from_db()
    assert document.state == "endorsed"
    assert (
        AuditEvent.objects.filter(document=document, action="planning.plan.endorsed").count() == 1
    )
    assert len(tasks_named(document, "sign")) == 1
    assert len(tasks_named(document, "review")) == 1


@postgres_only
def test_a_double_click_on_sign_signs_once():
    """Exactly one of two parallel signatures wins: the second waits on the row lock,
    then finds the signature task done, and signs nothing."""
    document = h.make_plan("endorsed")
    task = h.open_task(document)

    with on_1_july_2026(), overlapping():
        results = together(
            act_in_thread(h.MINISTER, document, "sign", task, session=h.stepped_up()),
            act_in_thread(h.MINISTER, document, "sign", task, session=h.stepped_up()),
        )

    assert outcomes(results) == ["AlreadyHandled", "ok"]
    document.refresh_from_db()
    assert (document.state, document.number_text) == ("signed", "")
    assert events_of(document, "planning.plan.signed") == 1
    assert len(tasks_named(document, "issue")) == 1


@postgres_only
def test_a_double_click_on_issue_issues_one_number():
    document = h.make_plan("signed")
    task = h.open_task(document)

    with on_1_july_2026(), overlapping():
        results = together(
            act_in_thread(h.CLERK, document, "issue", task),
            act_in_thread(h.CLERK, document, "issue", task),
        )

    assert outcomes(results) == ["AlreadyHandled", "ok"]
    document.refresh_from_db()
    assert document.number_text == "01/KH-UBDT"
    assert RegisterCounter.objects.get(register="KH", year=2026).last_number == 1
    assert Document.objects.filter(number__isnull=False).count() == 1
    assert events_of(document, "planning.plan.issued") == 1


@pytest.mark.usefixtures("vice_minister_delegation")
@postgres_only
@pytest.mark.parametrize("counter_exists", [False, True], ids=["first-of-year", "later"])
def test_two_documents_issued_at_once_get_consecutive_numbers(counter_exists):
    if counter_exists:
        RegisterCounter.objects.create(register="KH", year=2026, last_number=0)
    first = h.make_plan("signed", title="Kế hoạch A")
    second = h.make_plan("signed", title="Kế hoạch B", signer=h.VICE_MINISTER)

    with on_1_july_2026(), overlapping():
        results = together(
            act_in_thread(h.CLERK, first, "issue", h.open_task(first)),
            act_in_thread(h.CLERK, second, "issue", h.open_task(second)),
        )

    assert outcomes(results) == ["ok", "ok"]
    numbers = sorted(
        Document.objects.filter(pk__in=[first.pk, second.pk]).values_list("number_text", flat=True)
    )
    assert numbers == ["01/KH-UBDT", "02/KH-UBDT"]
    assert RegisterCounter.objects.get(register="KH", year=2026).last_number == 2


def test_a_double_click_on_endorse_is_serialised_on_every_database():
    """Runs on SQLite too: there IMMEDIATE transactions queue the second click behind the
    first (busy_timeout) instead of failing with "database is locked"."""
    document = h.make_plan("submitted")
    task = h.open_task(document)

    results = together(
        act_in_thread(h.REVIEWER, document, "endorse", task, version=document.version),
        act_in_thread(h.REVIEWER, document, "endorse", task, version=document.version),
    )

    assert outcomes(results) == ["AlreadyHandled", "ok"], results
    refused = next(r for r in results if not isinstance(r, Document))
    assert isinstance(refused, AlreadyHandled)
    document.refresh_from_db()
    assert document.state == "endorsed"
    assert (
        AuditEvent.objects.filter(document=document, action="planning.plan.endorsed").count() == 1
    )
    assert len(tasks_named(document, "sign")) == 1

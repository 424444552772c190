"""Many transactions appending at once must still make one straight chain."""

import threading

import pytest
from django.db import connections, transaction

from workflows import audit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS, EACH = 8, 25


def test_parallel_writers_keep_the_chain_linear():
    barrier = threading.Barrier(WRITERS)
    errors = []

    def writer(n):
        try:
            barrier.wait(timeout=30)
            for i in range(EACH):
                # Each event in its own transaction, as actions are.
                with transaction.atomic():
                    audit.record(action=audit.DENIED, data={"writer": n, "i": i})
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    result = audit.verify_chain()
    assert result.ok, result.problem
    assert result.checked == WRITERS * EACH
    from workflows.models import AuditEvent

    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    prevs = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(set(prevs)) == len(prevs)  # no fork: no two events share a parent

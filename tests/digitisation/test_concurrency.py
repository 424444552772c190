"""Two checks of one batch at the same moment (a double click, or two Centre staff): the
batch's row lock lets one win; the other is told it was already handled, and the batch
has exactly one check and one audit event. Runs on SQLite (serialised transactions) and
on PostgreSQL (row locks), with real parallel connections."""

from __future__ import annotations

import pytest

from digitisation import services
from digitisation.models import Batch, Check
from tests.digitisation import helpers as d
from tests.workflows import helpers as h
from tests.workflows.test_concurrency import together
from workflows.exceptions import AlreadyHandled
from workflows.models import AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_org")]


def test_an_accept_and_a_reject_at_once_one_wins():
    batch = d.make_batch(d.issued_task())
    centre = h.person(d.CENTRE)
    centre.get_all_permissions()  # warm the permission cache before the barrier

    results = together(
        lambda: services.batch_accept(user=centre, batch_id=batch.pk, sample_size=5),
        lambda: services.batch_reject(user=centre, batch_id=batch.pk, sample_size=5, reasons="Mờ"),
    )

    assert sorted(type(r).__name__ for r in results) == ["AlreadyHandled", "Batch"]
    winner = next(r for r in results if isinstance(r, Batch))
    assert isinstance(next(r for r in results if r is not winner), AlreadyHandled)
    batch.refresh_from_db()
    assert batch.state == winner.state
    assert Check.objects.filter(batch=batch).count() == 1
    checked = AuditEvent.objects.filter(
        action__in=["digitisation.batch.accepted", "digitisation.batch.rejected"]
    )
    assert checked.count() == 1

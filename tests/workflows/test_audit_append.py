"""Appending many events at once (record_many, append_prepared): COPY on PostgreSQL from
audit.COPY_MIN events, INSERT otherwise; the same chain, the same stored values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows import audit
from workflows.models import AppendOnlyError, AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db

MANY = audit.COPY_MIN + 20


def _given(i: int) -> dict:
    return {
        "action": audit.DENIED,
        "comment": f"Vượt ĐỊNH MỨC \x00 lần {i}" if i % 2 else "",
        "data": {"i": i, "tên": 'dấu "ngoặc"\t', "list": [1.5, None, True]},
        "ip": "2001:db8::1" if i % 3 else "10.0.0.7",
    }


def _inserts(queries) -> int:
    return sum(
        q["sql"].startswith('INSERT INTO "workflows_auditevent"') for q in queries.captured_queries
    )


@pytest.mark.parametrize("n", [1, 5, MANY])
def test_record_many_chains_as_record_does_and_returns_the_saved_events(n):
    audit.record(action=audit.DENIED)
    with CaptureQueriesContext(connection) as queries:
        events = audit.record_many([_given(i) for i in range(n)])
    copied = connection.vendor == "postgresql" and n >= audit.COPY_MIN
    assert (_inserts(queries) == 0) == copied
    assert [e.seq for e in events] == list(range(2, n + 2))
    stored = AuditEvent.objects.in_bulk([e.pk for e in events])
    for event in events:
        row = stored[event.pk]
        assert (row.seq, row.hash, row.prev_hash) == (event.seq, event.hash, event.prev_hash)
        assert row.comment == event.comment and "\x00" not in row.comment
        assert row.comment_folded == audit.comment_folded({"comment": row.comment})
        assert (row.data, row.ip) == (event.data, event.ip)
    with pytest.raises(AppendOnlyError):
        events[-1].save()  # returned as saved rows, not new ones
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (n + 1, events[-1].hash)
    result = audit.verify_chain()
    assert result.ok, result.problem
    assert audit.record(action=audit.DENIED).seq == n + 2


def test_append_prepared_copies_past_events_that_verify():
    when = dt.datetime(2020, 5, 1, 8, 0, tzinfo=dt.UTC)
    rows = [
        {
            "actor_id": None,
            "actor_name": "Trần Văn Minh",
            "unit_code": "VKH",
            "roles": "drafter",
            "action": audit.DENIED,
            "document_id": None,
            "revision_number": i % 4 or None,
            "from_state": "",
            "to_state": "",
            "comment": "Đề nghị bổ sung" if i % 5 == 0 else "",
            "data": {"n": i} if i % 2 else {},
            "ip": None,
            "created_at": when + dt.timedelta(minutes=i, microseconds=i),
        }
        for i in range(MANY)
    ]
    with CaptureQueriesContext(connection) as queries:
        assert audit.append_prepared(rows) == MANY
    assert (_inserts(queries) == 0) == (connection.vendor == "postgresql")
    assert AuditEvent.objects.count() == MANY
    assert AuditEvent.objects.get(seq=7).created_at == rows[6]["created_at"]
    result = audit.verify_chain(workers=2)
    assert result.ok and result.checked == MANY
    audit.record(action=audit.DENIED)
    assert audit.verify_chain().ok

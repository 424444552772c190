"""The audit trail is tamper-evident: the ORM and database triggers refuse changes, and
verify_audit finds an edited, deleted, inserted or reordered event and a cut-off tail."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from tests.workflows.helpers import tamper_sql
from workflows import audit
from workflows.models import AppendOnlyError, AuditChainHead, AuditEvent, AuditVerification

pytestmark = pytest.mark.django_db

ACTION = audit.DENIED


def _events(n=5):
    return [audit.record(action=ACTION, comment=f"sự kiện {i}", data={"i": i}) for i in range(n)]


def _verify(*args):
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_events_form_a_linear_chain():
    events = _events(4)
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == audit.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (4, events[-1].hash)
    assert "intact: 4 events" in _verify()
    assert AuditVerification.objects.get().ok


def test_hash_survives_the_database_round_trip():
    event = audit.record(
        action=ACTION, comment="Tiếng Việt có dấu ✓", data={"b": [1, "x"], "a": None}
    )
    stored = AuditEvent.objects.values(*audit.HASHED_FIELDS).get(pk=event.pk)
    assert audit.event_hash(stored) == event.hash


def test_event_data_with_nul_characters_is_stored_on_every_database():
    """A NUL typed into an export's filters used to reach jsonb: PostgreSQL refused the
    event and the export answered 500."""
    event = audit.record(
        action=ACTION, comment="a\x00b", data={"filters": {"q\x00": ["x\x00y", "\\u0000"]}}
    )
    stored = AuditEvent.objects.values(*audit.HASHED_FIELDS).get(pk=event.pk)
    assert stored["data"] == {"filters": {"q": ["xy", "\\u0000"]}}
    assert stored["comment"] == "ab"
    assert audit.event_hash(stored) == event.hash
    assert audit.verify_chain().ok


def test_orm_refuses_update_and_delete():
    event = _events(1)[0]
    event.comment = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="sửa")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE workflows_auditevent SET comment = 'sửa'",
        "DELETE FROM workflows_auditevent",
    ],
    ids=["update", "delete"],
)
def test_triggers_refuse_raw_sql(sql):
    _events(2)
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 2
    assert "intact" in _verify()


def test_trigger_refuses_truncate_on_postgres():
    _events(1)
    if connection.vendor != "postgresql":
        # SQLite has no TRUNCATE statement; DELETE is covered above.
        assert connection.vendor == "sqlite"
        return
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE workflows_auditevent CASCADE")
    assert AuditEvent.objects.count() == 1


def _broken(*args) -> str:
    with pytest.raises(CommandError) as info:
        _verify(*args)
    assert not AuditVerification.objects.order_by("-pk").first().ok
    return str(info.value)


def test_verify_detects_an_edited_event():
    events = _events(5)
    tamper_sql("UPDATE workflows_auditevent SET comment = %s WHERE seq = 3", ["đã bị sửa"])
    message = _broken()
    assert "event #3" in message and "content was changed" in message
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", message)  # names the event's time
    assert events[2].seq == 3


def test_verify_detects_a_changed_search_copy_of_a_comment():
    _events(4)
    assert "intact" in _verify()
    # The hashed comment is untouched, but the inspector's search would no longer find it.
    tamper_sql("UPDATE workflows_auditevent SET comment_folded = 'xoa dau vet' WHERE seq = 2")
    message = _broken()
    assert "event #2" in message and "search text does not match its comment" in message


def test_search_copy_is_the_folded_comment():
    event = audit.record(action=ACTION, comment="Vượt ĐỊNH MỨC  kinh phí")
    assert AuditEvent.objects.get(pk=event.pk).comment_folded == "vuot dinh muc kinh phi"


def test_verify_detects_a_deleted_event():
    _events(5)
    tamper_sql("DELETE FROM workflows_auditevent WHERE seq = 3")
    message = _broken()
    assert "#3 is missing before event #4" in message


def test_verify_detects_an_inserted_event():
    events = _events(4)
    # Make room after #2 and slip a forged event in with a well-formed hash.
    tamper_sql("UPDATE workflows_auditevent SET seq = seq + 100 WHERE seq > 2")
    tamper_sql("UPDATE workflows_auditevent SET seq = seq - 99 WHERE seq > 100")
    forged = {
        f: getattr(events[1], f if f not in ("actor_id", "document_id") else f)
        for f in audit.HASHED_FIELDS
    }
    forged.update(seq=3, comment="sự kiện giả", prev_hash=events[1].hash)
    digest = audit.event_hash(forged)
    tamper_sql(
        "INSERT INTO workflows_auditevent (seq, created_at, actor_name, unit_code, roles, action,"
        " revision_number, from_state, to_state, comment, comment_folded, data, prev_hash,"
        " hash) VALUES (3, %s, '', '', '', %s, NULL, '', '', %s, %s, %s, %s, %s)",
        [
            forged["created_at"],
            ACTION,
            forged["comment"],
            audit.comment_folded(forged),
            '{"i": 1}',
            events[1].hash,
            digest,
        ],
    )
    message = _broken()
    assert "event #" in message
    assert "does not link" in message or "content was changed" in message


def test_verify_detects_reordered_events():
    _events(4)
    tamper_sql("UPDATE workflows_auditevent SET seq = 100 WHERE seq = 2")
    tamper_sql("UPDATE workflows_auditevent SET seq = 2 WHERE seq = 3")
    tamper_sql("UPDATE workflows_auditevent SET seq = 3 WHERE seq = 100")
    message = _broken()
    assert "event #2" in message


def test_verify_with_recorded_head_detects_a_removed_tail():
    _events(5)
    out = StringIO()
    call_command("audit_head", stdout=out)
    head = re.search(r"head: ([0-9a-f]{64})", out.getvalue()).group(1)
    count = int(re.search(r"count: (\d+)", out.getvalue()).group(1))
    assert count == 5
    assert "intact" in _verify("--head", head, "--count", str(count))
    # An intruder removes the last two events and rewinds the head row to match.
    tamper_sql("DELETE FROM workflows_auditevent WHERE seq > 3")
    last = AuditEvent.objects.get(seq=3)
    AuditChainHead.objects.filter(pk=1).update(seq=3, hash=last.hash)
    assert "intact" in _verify()  # without the outside record it looks whole
    message = _broken("--head", head, "--count", str(count))
    assert "tail was removed" in message


def test_verify_without_outside_record_still_notices_the_head_row():
    _events(4)
    tamper_sql("DELETE FROM workflows_auditevent WHERE seq = 4")
    assert "removed from the end" in _broken()


def test_verify_accepts_later_growth_after_a_recorded_head():
    _events(3)
    count, head = audit.chain_head()
    _events(2)
    assert "intact: 5 events" in _verify("--head", head, "--count", str(count))
    assert "rewritten" in _broken("--head", "f" * 64, "--count", str(count))

"""The fast paths of the audit chain keep its meaning: the field-by-field serialisation
hashes exactly as json.dumps did (chains hashed by the old code still verify), segments
checked apart (verify_audit --workers) find what one walk finds, and --since-checkpoint
checks the events after the signed checkpoint, and the checkpoint itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from organisation.text import fold
from signing import checkpoints
from signing.models import AuditCheckpoint
from tests.workflows.helpers import tamper_sql
from workflows import audit
from workflows.models import AuditChainHead, AuditEvent, AuditVerification

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def old_canonical(values: dict) -> bytes:
    """The serialisation every chain until now was hashed with (json.dumps)."""
    fields = {name: values[name] for name in audit.HASHED_FIELDS}
    fields["created_at"] = values["created_at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))


@settings(max_examples=300)
@given(
    text=st.text(),
    number=st.none() | st.integers(min_value=0),
    data=st.dictionaries(st.text(), json_values, max_size=4),
    when=st.datetimes(
        min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=offsets
    ),
)
def test_the_serialisation_is_json_dumps_byte_for_byte(text, number, data, when):
    values = {
        "seq": 7,
        "created_at": when,
        "actor_id": number,
        "actor_name": text,
        "unit_code": "VKH",
        "roles": text[:3],
        "action": "workflows.document.access_denied",
        "document_id": number,
        "revision_number": None,
        "from_state": "",
        "to_state": text[-2:],
        "comment": text,
        "data": data,
        "ip": None,
        "prev_hash": audit.GENESIS,
    }
    assert audit.canonical(values) == old_canonical(values)


AWKWARD = [
    # (comment, data, ip, time): what the old code hashed, awkward for a serialiser.
    ("", {}, "10.0.0.1", dt.datetime(2025, 1, 1, 7, 30, tzinfo=dt.UTC)),
    (
        'Đề nghị "bổ sung"\n\tmục 3 \\ ✓ \u2028',
        {"z": [1.5, True, None], "a": {"é": '"q"', "n": 10**20}, "": "\x01"},
        "2001:db8::1",
        dt.datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    ),
    ("Vượt ĐỊNH MỨC", {"filters": {"q": ["x", "y"]}}, None, dt.datetime(2026, 1, 1, 0, 0, 0)),
]


def _old_chain(n: int) -> list[AuditEvent]:
    """Events hashed by the old serialisation, written straight to the table."""
    prev, events = audit.GENESIS, []
    for seq in range(1, n + 1):
        comment, data, ip, when = AWKWARD[seq % len(AWKWARD)]
        values = {
            "seq": seq,
            "created_at": when if when.tzinfo else when.replace(tzinfo=dt.UTC),
            "actor_id": None,
            "actor_name": "Nguyễn Thị Hương",
            "unit_code": "VKH",
            "roles": "drafter,reviewer",
            "action": audit.DENIED,
            "document_id": None,
            "revision_number": seq % 3 or None,
            "from_state": "draft",
            "to_state": "",
            "comment": comment,
            "data": data,
            "ip": ip,
            "prev_hash": prev,
        }
        values["hash"] = prev = hashlib.sha256(old_canonical(values)).hexdigest()
        events.append(AuditEvent(**values, comment_folded=fold(comment)))
    AuditEvent.objects.bulk_create(events)
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": n, "hash": prev})
    return events


@pytest.mark.parametrize("workers", [1, 2])
def test_a_chain_hashed_by_the_old_code_still_verifies(workers):
    events = _old_chain(9)
    result = audit.verify_chain(workers=workers)
    assert result.ok, result.problem
    assert (result.checked, result.head_hash) == (9, events[-1].hash)
    # And the new code, appending after it, extends the same chain.
    audit.record(action=audit.DENIED, comment="sau")
    assert audit.verify_chain().ok


def _events(n: int) -> list[AuditEvent]:
    return audit.record_many(
        [{"action": audit.DENIED, "comment": f"sự kiện {i}", "data": {"i": i}} for i in range(n)]
    )


def _verify(*args) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _broken(*args) -> str:
    with pytest.raises(CommandError) as info:
        _verify(*args)
    return str(info.value)


TAMPERING = {
    # With 12 events and 2 workers, the segments are #1–3, #4–6, #7–9 and #10 on.
    "edited inside a segment": ("UPDATE workflows_auditevent SET comment = 'x' WHERE seq = 5",),
    "edited at a segment's start": ("UPDATE workflows_auditevent SET data = '{}' WHERE seq = 7",),
    "deleted at a segment's start": ("DELETE FROM workflows_auditevent WHERE seq = 4",),
    "deleted at a segment's end": ("DELETE FROM workflows_auditevent WHERE seq = 6",),
    "relinked at a segment's start": (
        "UPDATE workflows_auditevent SET prev_hash = 'f' WHERE seq = 10",
    ),
    "search copy changed": ("UPDATE workflows_auditevent SET comment_folded = 'y' WHERE seq = 11",),
    "reordered across a join": (
        "UPDATE workflows_auditevent SET seq = 100 WHERE seq = 3",
        "UPDATE workflows_auditevent SET seq = 3 WHERE seq = 4",
        "UPDATE workflows_auditevent SET seq = 4 WHERE seq = 100",
    ),
}


@pytest.mark.parametrize("statements", TAMPERING.values(), ids=TAMPERING.keys())
def test_segments_find_what_one_walk_finds(statements):
    _events(12)
    assert audit.verify_chain(workers=2).ok
    for sql in statements:
        tamper_sql(sql)
    alone, segmented = audit.verify_chain(), audit.verify_chain(workers=2)
    assert not alone.ok and alone.problem
    assert (segmented.problem, segmented.event_seq, segmented.checked, segmented.head_hash) == (
        alone.problem,
        alone.event_seq,
        alone.checked,
        alone.head_hash,
    )
    assert segmented.event_time == alone.event_time


def test_segments_check_the_recorded_head_and_the_head_row():
    events = _events(12)
    assert "intact: 12 events" in _verify(
        "--workers", "3", "--head", events[6].hash, "--count", "7"
    )
    assert "rewritten" in _broken("--workers", "3", "--head", events[5].hash, "--count", "7")
    tamper_sql("DELETE FROM workflows_auditevent WHERE seq = 12")
    assert "removed from the end" in _broken("--workers", "3")


def test_workers_must_be_positive():
    assert "at least 1" in _broken("--workers", "0")


# --- Since the signed checkpoint ------------------------------------------------------


def test_since_checkpoint_checks_the_events_after_it():
    _events(4)
    point = checkpoints.audit_checkpoint_sign(day=DAY)
    _events(3)
    out = _verify("--since-checkpoint")
    assert f"since the signed checkpoint of 02/03/2026 (#4, {point.head_hash})" in out
    assert "3 events after it, head #7" in out
    verification = AuditVerification.objects.get()
    assert verification.ok and verification.head_seq == 7 and verification.checked == 7
    assert "from the signed checkpoint of 02/03/2026 (#4)" in verification.message


def test_since_checkpoint_with_nothing_after_it():
    _events(3)
    checkpoints.audit_checkpoint_sign(day=DAY)
    assert "0 events after it, head #3" in _verify("--since-checkpoint", "--workers", "2")


def test_since_checkpoint_finds_an_event_edited_after_it():
    _events(4)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _events(3)
    tamper_sql("UPDATE workflows_auditevent SET comment = 'sửa' WHERE seq = 6")
    message = _broken("--since-checkpoint")
    assert "BROKEN after event #5 (1 good events after the signed checkpoint)" in message
    assert "event #6 does not match its hash" in message


def test_since_checkpoint_finds_the_checkpoints_own_event_edited():
    _events(4)
    checkpoints.audit_checkpoint_sign(day=DAY)
    tamper_sql("UPDATE workflows_auditevent SET comment = 'sửa' WHERE seq = 4")
    assert "event #4 does not match its hash" in _broken("--since-checkpoint")


def _rehash_from(seq: int) -> None:
    """Rewrite an event and re-hash everything after it: the chain agrees with itself."""
    tamper_sql("UPDATE workflows_auditevent SET comment = 'sửa' WHERE seq = %s", [seq])
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else audit.GENESIS
    for row in AuditEvent.objects.filter(seq__gte=seq).values(*audit.HASHED_FIELDS):
        row["prev_hash"] = prev
        prev = audit.event_hash(row)
        tamper_sql(
            "UPDATE workflows_auditevent SET prev_hash = %s, hash = %s, comment_folded = %s "
            "WHERE seq = %s",
            [row["prev_hash"], prev, audit.comment_folded(row), row["seq"]],
        )
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


def test_since_checkpoint_reports_a_rewritten_history_as_an_anchor_problem():
    _events(5)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _events(2)
    _rehash_from(2)
    assert audit.verify_chain().ok  # the chain alone looks intact
    message = _broken("--since-checkpoint")
    assert message.startswith("Audit chain ANCHOR BROKEN (event #5, ")
    assert "against the signed checkpoint of 02/03/2026: event #5 does not have the signed" in (
        message
    )
    assert "run verify_audit without --since-checkpoint" in message
    assert not AuditVerification.objects.get().ok


def test_since_checkpoint_reports_a_forged_checkpoint_as_an_anchor_problem():
    _events(5)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _rehash_from(2)
    AuditCheckpoint.objects.update(head_hash=audit.chain_head()[1])
    message = _broken("--since-checkpoint")
    assert "ANCHOR BROKEN: the signed checkpoint of 02/03/2026: its signature does not match" in (
        message
    )


def test_since_checkpoint_reports_a_removed_checkpoint_event():
    _events(5)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _events(1)
    tamper_sql("DELETE FROM workflows_auditevent WHERE seq >= 5")
    AuditChainHead.objects.filter(pk=1).update(seq=4, hash=AuditEvent.objects.get(seq=4).hash)
    message = _broken("--since-checkpoint")
    assert "ANCHOR BROKEN" in message
    assert "the chain ends before event #5, the signed head: its tail was removed" in message


def test_since_checkpoint_needs_a_checkpoint():
    _events(2)
    message = _broken("--since-checkpoint")
    assert "No signed checkpoint yet" in message and "without --since-checkpoint" in message
    assert not AuditVerification.objects.exists()


def test_since_checkpoint_with_a_recorded_head():
    events = _events(4)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _events(3)
    assert "intact since" in _verify(
        "--since-checkpoint", "--head", audit.chain_head()[1], "--count", "7"
    )
    message = _broken("--since-checkpoint", "--head", events[1].hash, "--count", "2")
    assert "older than the checkpoint" in message


# --- In parallel processes (PostgreSQL) -----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forked_workers_verify_and_find_a_change():
    _events(40)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _events(10)
    assert "intact: 50 events" in _verify("--workers", "3")
    assert "10 events after it" in _verify("--since-checkpoint", "--workers", "2")
    tamper_sql("UPDATE workflows_auditevent SET comment = 'sửa' WHERE seq = 33")
    assert "event #33 does not match its hash" in _broken("--workers", "3")
    tamper_sql("UPDATE workflows_auditevent SET comment = 'sửa' WHERE seq = 45")
    assert "event #45 does not match its hash" in _broken("--since-checkpoint", "--workers", "2")

"""The one way to write an audit event. Every action code is registered with a label, so
the trail can be read in either language and a typo in a code fails loudly."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import threading
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisation.text import fold
from worktime.calendar import today

from .models import (
    DOCUMENT_NUMBER,
    DOCUMENT_TITLE,
    AuditChainHead,
    AuditEvent,
    AuditHeadRecord,
    AuditVerification,
    Document,
)
from .notifications import queue_mail

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# The fields a hash covers, in the canonical serialisation (JSON, sorted keys, UTF-8).
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "unit_code",
    "roles",
    "action",
    "document_id",
    "revision_number",
    "from_state",
    "to_state",
    "comment",
    "data",
    "ip",
    "prev_hash",
)

_ACTIONS: dict[str, str | Promise] = {}


def register_action(code: str, label: str | Promise) -> str:
    if code.count(".") < 2:
        raise ValueError(f"Audit action codes are dotted: app.entity.verb, got {code!r}")
    _ACTIONS[code] = label
    return code


# What every document kind records, as `<kind audit prefix>.<verb>`.
DOCUMENT_VERBS: dict[str, str | Promise] = {
    "created": _("created"),
    "edited": _("edited"),
    "submitted": _("submitted"),
    "commented": _("commented"),
    "returned": _("returned for revision"),
    "endorsed": _("endorsed and forwarded for signature"),
    "opinion_given": _("opinion given"),
    "submitted_for_signature": _("submitted for signature"),
    "superseded": _("superseded"),
    "signed": _("signed"),
    "issued": _("issued"),
}


def register_document_actions(prefix: str, kind_label: str | Promise) -> None:
    from django.utils.text import format_lazy

    for verb, label in DOCUMENT_VERBS.items():
        register_action(f"{prefix}.{verb}", format_lazy("{}: {}", kind_label, label))


def actor_label(name: str, data: dict | None) -> str:
    """The actor as the trail's exports name them: with the absentee they acted for."""
    on_behalf = (data or {}).get("on_behalf_of") or {}
    if not on_behalf.get("name"):
        return name
    return f"{name} ({gettext('on behalf of %(name)s') % {'name': on_behalf['name']}})"


def action_label(code: str) -> str:
    return str(_ACTIONS.get(code, code))


def registered_actions() -> dict[str, str | Promise]:
    return dict(_ACTIONS)


def client_ip(request) -> str | None:
    """The client's address behind PROXY_COUNT reverse proxies (AXES_IPWARE_PROXY_COUNT):
    each proxy appends the address it saw to X-Forwarded-For, so the client is the entry
    that many places from the right; entries further left are the client's own claim and
    are ignored. The one rule for the audit trail, sign-in lockouts (axes, through
    AXES_CLIENT_IP_CALLABLE) and rate limits: behind nginx, REMOTE_ADDR is nginx's own."""
    if request is None:
        return None
    from django.conf import settings

    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45] or None
    return request.META.get("REMOTE_ADDR") or None


# The canonical serialisation is JSON with sorted keys, no spaces, UTF-8 (not escaped):
# what json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")) gives,
# written out field by field, because verifying millions of events spends its time here.
# The keys in sorted order; tests/workflows/test_audit_canonical.py holds the hash to
# json.dumps' byte for byte.
_encode_text = json.encoder.encode_basestring  # json.dumps' own (C) string encoder
_encode_json = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), check_circular=False
).encode


def _json(value: Any) -> str:
    """One value as json.dumps writes it, with a short cut for the common types."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if kind is int:
        return int.__repr__(value)
    if kind is dict and not value:
        return "{}"
    return _encode_json(value)


def utc_text(when: dt.datetime) -> str:
    """The event's time as hashed: UTC, microseconds, "Z" (strftime's %Y for old years)."""
    when = when.astimezone(dt.UTC)
    if when.year < 1000:
        return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return when.isoformat(timespec="microseconds")[:-6] + "Z"


# PostgreSQL writes the time as utc_text() does ("FM": the year without leading zeros, as
# strftime), so the verifier never builds a datetime.
UTC_TEXT_SQL = """to_char(created_at AT TIME ZONE 'UTC', 'FMYYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


def canonical_text(
    seq, created_at, actor_id, actor_name, unit_code, roles, action, document_id,
    revision_number, from_state, to_state, comment, data, ip, prev_hash, *, data_json=None,
) -> str:  # fmt: skip
    """The canonical text of an event from its hashed fields in HASHED_FIELDS' order, its
    time already as utc_text() (or to_char) writes it, its data as a value or, through
    `data_json`, already as canonical JSON text."""
    j = _json
    return (
        f'{{"action":{j(action)},"actor_id":{j(actor_id)},"actor_name":{j(actor_name)},'
        f'"comment":{j(comment)},"created_at":{_encode_text(created_at)},'
        f'"data":{j(data) if data_json is None else data_json},'
        f'"document_id":{j(document_id)},"from_state":{j(from_state)},"ip":{j(ip)},'
        f'"prev_hash":{j(prev_hash)},"revision_number":{j(revision_number)},'
        f'"roles":{j(roles)},"seq":{j(seq)},"to_state":{j(to_state)},"unit_code":{j(unit_code)}}}'
    )


def canonical(values: dict[str, Any]) -> bytes:
    v = values
    return canonical_text(
        v["seq"], utc_text(v["created_at"]), v["actor_id"], v["actor_name"], v["unit_code"],
        v["roles"], v["action"], v["document_id"], v["revision_number"], v["from_state"],
        v["to_state"], v["comment"], v["data"], v["ip"], v["prev_hash"],
    ).encode()  # fmt: skip


def event_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def comment_folded(values: dict[str, Any]) -> str:
    """The comment as the inspector's search finds it. Outside the hash, so it is always
    derived from the hashed comment, and verify_chain checks that it still is: a changed
    copy would hide an event from the search while the chain looked intact."""
    comment = values["comment"]
    return fold(comment) if comment else ""


def _locked_head() -> AuditChainHead:
    """The chain's head row, locked until the caller's transaction ends. Created on first
    use (or after a test flush) from the last event, never from scratch over events."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(
                    pk=1, seq=last["seq"] if last else 0, hash=last["hash"] if last else GENESIS
                )
        except IntegrityError:
            pass  # a concurrent first writer created it
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def record(
    *,
    action: str,
    actor=None,
    document: Document | None = None,
    revision_number: int | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Joins the caller's transaction, so the event exists
    exactly when the action it records does. The document's title (and number, once it
    has one) go into the hashed data: the trail shows a document as it was then, even
    after it is renamed."""
    # The parameters, and nothing else yet: record_many() takes the same keys.
    return _append([_event_values(locals())])[0]


def record_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append many events (each given as `record()`'s keyword arguments) under one lock
    of the head, in as few INSERTs as the database allows: a nightly job recording thousands
    of reminders costs a few queries, not thousands. Chained exactly as `record()`."""
    if not events:
        return []
    return _append([_event_values(event) for event in events])


_EVENT_DEFAULTS: dict[str, Any] = {
    "actor": None,
    "document": None,
    "revision_number": None,
    "from_state": "",
    "to_state": "",
    "comment": "",
    "data": None,
    "ip": None,
}


def _event_values(event: dict[str, Any]) -> dict[str, Any]:
    unknown = set(event) - set(_EVENT_DEFAULTS) - {"action"}
    if unknown:
        raise TypeError(f"Unknown audit event fields: {sorted(unknown)}")
    event = {**_EVENT_DEFAULTS, **event}
    action, actor, document, data = (event[k] for k in ("action", "actor", "document", "data"))
    revision_number, from_state, to_state, comment, ip = (
        event[k] for k in ("revision_number", "from_state", "to_state", "comment", "ip")
    )
    if action not in _ACTIONS:
        raise KeyError(f"Unregistered audit action {action!r}")
    unit_code = ""
    roles = ""
    actor_name = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        unit_code = actor.unit.code if actor.unit_id else ""
        roles = ",".join(sorted(g.name for g in actor.groups.all()))
        actor_name = actor.display_name
    else:
        actor = None
    # What is hashed must be exactly what the database gives back later; PostgreSQL
    # cannot store a NUL character in text or jsonb, so none reaches either.
    data = dict(data or {})
    if document is not None:
        data.setdefault(DOCUMENT_TITLE, document.title)
        if document.number_text:
            data.setdefault(DOCUMENT_NUMBER, document.number_text)
    data = _without_nul(json.loads(json.dumps(data, ensure_ascii=False, default=str)))
    ip = AuditEvent._meta.get_field("ip").to_python(ip) if ip else None
    return {
        "actor_id": actor.pk if actor else None,
        "actor_name": actor_name,
        "unit_code": unit_code,
        "roles": roles,
        "action": action,
        "document_id": document.pk if document else None,
        "revision_number": revision_number,
        "from_state": from_state,
        "to_state": to_state,
        "comment": (comment or "").replace("\x00", ""),
        "data": data,
        "ip": ip,
    }


def _chained(prepared: list[dict[str, Any]], seq: int, prev: str) -> list[dict[str, Any]]:
    """The column values of the events after (seq, prev): numbered, linked, hashed, with
    their search copy. The one place a chain link is made, for record(), record_many()
    and append_prepared() alike."""
    rows = []
    for values in prepared:
        seq += 1
        values = {**values, "seq": seq, "prev_hash": prev}
        values["hash"] = prev = event_hash(values)
        values["comment_folded"] = comment_folded(values)
        rows.append(values)
    return rows


# From this many events at once, PostgreSQL gets them through COPY rather than INSERT.
COPY_MIN = 100
_COPIED = (*HASHED_FIELDS, "hash", "comment_folded")


def _copy(rows: list[dict[str, Any]]) -> None:
    """COPY the rows into the table (psycopg): several times the rate of a multi-row
    INSERT, and no statement to build and parse."""
    table = AuditEvent._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(_COPIED)}) FROM STDIN") as copy,
    ):
        for r in rows:
            copy.write_row(
                (
                    r["seq"], r["created_at"], r["actor_id"], r["actor_name"], r["unit_code"],
                    r["roles"], r["action"], r["document_id"], r["revision_number"],
                    r["from_state"], r["to_state"], r["comment"], _encode_json(r["data"]),
                    r["ip"], r["prev_hash"], r["hash"], r["comment_folded"],
                )
            )  # fmt: skip


def _insert(rows: list[dict[str, Any]], *, batch_size: int, events: bool) -> list[AuditEvent]:
    """Write the chained rows; with `events`, return them as saved AuditEvents."""
    if connection.vendor == "postgresql" and len(rows) >= COPY_MIN:
        _copy(rows)
        if not events:
            return []
        ids = dict(
            AuditEvent.objects.filter(
                seq__gte=rows[0]["seq"], seq__lte=rows[-1]["seq"]
            ).values_list("seq", "pk")
        )
        saved = [AuditEvent(pk=ids[r["seq"]], **r) for r in rows]
        for event in saved:
            event._state.adding, event._state.db = False, connection.alias
        return saved
    saved = [AuditEvent(**r) for r in rows]
    if len(saved) == 1:
        saved[0].save(force_insert=True)
    else:
        AuditEvent.objects.bulk_create(saved, batch_size=batch_size)
    return saved


def _append(prepared: list[dict[str, Any]]) -> list[AuditEvent]:
    with transaction.atomic():
        head = _locked_head()
        now = timezone.now()
        rows = _chained([{**v, "created_at": now} for v in prepared], head.seq, head.hash)
        events = _insert(rows, batch_size=500, events=True)
        AuditChainHead.objects.filter(pk=1).update(seq=rows[-1]["seq"], hash=rows[-1]["hash"])
    return events


def append_prepared(rows: list[dict[str, Any]], *, batch_size: int | None = None) -> int:
    """Append events given as column values (what `_event_values` returns, plus their own
    `created_at`): the load generator's path for millions of past events, which cannot
    afford a query per actor. The values must already be what the database gives back
    (JSON-clean data, no NUL), as verify_chain hashes what it reads. Chained exactly as
    record() under one lock of the head, COPYed on PostgreSQL; returns the new head's
    sequence number."""
    if not rows:
        return _locked_head().seq
    with transaction.atomic():
        head = _locked_head()
        chained = _chained(rows, head.seq, head.hash)
        _insert(chained, batch_size=batch_size, events=False)
        last = chained[-1]
        AuditChainHead.objects.filter(pk=1).update(seq=last["seq"], hash=last["hash"])
    return last["seq"]


DENIED = register_action("workflows.document.access_denied", _("Access to a document denied"))


# --- Verification ---------------------------------------------------------------------


@dataclass
class Verification:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str = ""
    event_seq: int | None = None
    event_time: dt.datetime | None = None
    # The signed checkpoint (signing.checkpoints) the chain was found to match, if any.
    checkpoint: Any = None
    # The hashes of the events verify_chain was asked to watch, as the chain holds them.
    hashes: dict[int, str] = field(default_factory=dict)
    # Checked from this event on (its hash anchored by a signed checkpoint); 1: all of it.
    since: int = 1
    # The problem is the anchor's: the chain does not hold the checkpoint's head.
    anchor_broken: bool = False


# What a walk reads: the hashed fields in HASHED_FIELDS' order, the hash, the search copy.
_WALKED = (*HASHED_FIELDS, "hash", "comment_folded")
_LAST_SEQ = 2**63 - 1
CHUNK = 5000
MEMO = 1 << 16  # distinct comments (and data) a walk remembers the canonical form of


@dataclass
class _Walk:
    """What one walk over the events of a range of sequence numbers found."""

    first_seq: int | None = None
    first_prev: str = ""
    first_hash: str = ""
    last_seq: int = 0
    last_hash: str = ""
    problem: str = ""
    event_seq: int | None = None
    good_seq: int = 0  # the last event found good before the problem, and its hash
    good_hash: str = ""
    hashes: dict[int, str] = field(default_factory=dict)


def _sequence_problem(seq: int, expected: int) -> str:
    if seq > expected:
        missing = f"#{expected}" if seq == expected + 1 else f"#{expected}–#{seq - 1}"
        return f"event {missing} is missing before event #{seq}"
    return f"event #{seq} is out of sequence"


def _link_problem(seq: int, expected: int) -> str:
    return (
        f"event #{seq} does not link to event #{expected - 1} "
        "(an event was inserted, deleted or reordered)"
    )


def _check_rows(rows, time_text, data_text, watch) -> _Walk:
    """Check consecutive events (tuples of _WALKED) against each other and their hashes;
    the first one's link is the caller's to check (_joined). `time_text` and `data_text`
    turn the time and the data, as the source gives them, into their canonical text."""
    walk = _Walk()
    expected = prev = None
    text, sha256 = _encode_text, hashlib.sha256
    j = _json
    # Comments repeat (and so does the data of one document's events): fold() is pure.
    folded_comment = lru_cache(maxsize=MEMO)(fold)
    for row in rows:
        seq, created, actor_id, actor_name, unit_code, roles, action, document_id = row[:8]
        revision, from_state, to_state, comment, data, ip, prev_hash, digest, folded = row[8:]
        if expected is None:
            walk.first_seq, walk.first_prev, walk.first_hash = seq, prev_hash, digest
            expected, prev = seq, prev_hash
        elif seq != expected:
            problem = _sequence_problem(seq, expected)
            return _broken_walk(walk, problem, seq, expected, prev)
        elif prev_hash != prev:
            return _broken_walk(walk, _link_problem(seq, expected), seq, expected, prev)
        try:
            # canonical_text() inlined: the text columns are NOT NULL, always str.
            serialised = (
                f'{{"action":{text(action)},"actor_id":{j(actor_id)},'
                f'"actor_name":{text(actor_name)},"comment":{text(comment)},'
                f'"created_at":{text(time_text(created))},"data":{data_text(data)},'
                f'"document_id":{j(document_id)},"from_state":{text(from_state)},'
                f'"ip":{j(ip)},"prev_hash":{text(prev_hash)},'
                f'"revision_number":{j(revision)},"roles":{text(roles)},"seq":{j(seq)},'
                f'"to_state":{text(to_state)},"unit_code":{text(unit_code)}}}'
            )
        except TypeError:  # a NULL the schema does not allow: the general path
            serialised = canonical_text(
                seq, time_text(created), actor_id, actor_name, unit_code, roles, action,
                document_id, revision, from_state, to_state, comment, None, ip, prev_hash,
                data_json=data_text(data),
            )  # fmt: skip
        if sha256(serialised.encode()).hexdigest() != digest:
            problem = f"event #{seq} does not match its hash (its content was changed)"
            return _broken_walk(walk, problem, seq, expected, prev)
        if folded != (folded_comment(comment) if comment else ""):  # comment_folded()
            problem = (
                f"event #{seq}'s search text does not match its comment "
                "(it was changed, so the search would miss the event)"
            )
            return _broken_walk(walk, problem, seq, expected, prev)
        prev = digest
        if seq in watch:
            walk.hashes[seq] = digest
        expected += 1
    if expected is not None:
        walk.last_seq, walk.last_hash = expected - 1, prev
    return walk


def _broken_walk(walk: _Walk, problem: str, seq: int, expected: int, prev: str) -> _Walk:
    walk.problem, walk.event_seq, walk.good_seq, walk.good_hash = problem, seq, expected - 1, prev
    return walk


def _postgres_data_text(data: str) -> str:
    """jsonb as PostgreSQL writes it (Django reads it as text) in canonical JSON: what
    JSONField would load, dumped again with sorted keys."""
    return "{}" if data == "{}" else _encode_json(json.loads(data))


def _postgres_rows(lo: int, hi: int):
    """The events lo < seq <= hi, oldest first, through a server-side cursor (the caller's
    transaction keeps it open), CHUNK rows a fetch, the time as text from the database."""
    columns = ", ".join(UTC_TEXT_SQL if name == "created_at" else name for name in _WALKED)
    wrapper = connection.chunked_cursor()
    cursor = wrapper.cursor  # psycopg's own server-side cursor: no per-row wrapper
    try:
        table = AuditEvent._meta.db_table
        sql = f"SELECT {columns} FROM {table} WHERE seq > %s AND seq <= %s ORDER BY seq"  # noqa: S608
        cursor.execute(sql, [lo, hi])
        while rows := cursor.fetchmany(CHUNK):
            yield from rows
    finally:
        wrapper.close()


def _walk(lo: int, hi: int, watch: frozenset[int]) -> _Walk:
    if connection.vendor == "postgresql":
        # In a transaction, so the cursor streams instead of being materialised WITH HOLD.
        with transaction.atomic(), closing(_postgres_rows(lo, hi)) as rows:
            # The data as text is hashable: its canonical form is remembered, as fold's.
            data_text = lru_cache(maxsize=MEMO)(_postgres_data_text)
            return _check_rows(rows, str, data_text, watch)
    rows = (
        AuditEvent.objects.filter(seq__gt=lo, seq__lte=hi)
        .order_by("seq")
        .values_list(*_WALKED)
        .iterator(chunk_size=CHUNK)
    )
    return _check_rows(rows, utc_text, _json, watch)


def _walk_in_worker(bounds: tuple[int, int, frozenset[int]]) -> _Walk:
    try:
        return _walk(*bounds)
    finally:
        connections.close_all()


def _walks(lo: int, hi: int, workers: int, watch: frozenset[int]) -> list[_Walk]:
    """Walk lo < seq <= hi in segments, each checked from its own first event: on
    PostgreSQL in `workers` forked processes (two segments each, so one slow segment
    does not idle the others), elsewhere (and inside a transaction) one segment after
    another in this process."""
    parts = 1 if workers <= 1 else workers * 2
    step = max(1, -(-(hi - lo) // parts))
    bounds = [(a, min(a + step, hi), watch) for a in range(lo, hi, step)] or [(lo, hi, watch)]
    bounds[-1] = (bounds[-1][0], _LAST_SEQ, watch)  # and whatever lies beyond the head
    # Inside a transaction, other processes would not see its events: walked here too.
    # Forking a process that runs other threads (a threaded task worker, a test's live
    # server or browser driver) can leave a child waiting forever on a lock one of those
    # threads held: then too the segments are walked here, one after another.
    if (
        workers <= 1
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
        or threading.active_count() > 1
    ):
        return [_walk(*b) for b in bounds]
    # The workers open their own connections: none may share the parent's.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(_walk_in_worker, bounds, chunksize=1)


def recorded_head_problem(result: Verification, count: int, head: str, what: str) -> str:
    """Why a verified chain does not hold `head` at event #count ("" when it does);
    `count` must have been among verify_chain's watched events."""
    if result.head_seq < count:
        return (
            f"the chain ends at event #{result.head_seq} but {count} events were recorded: "
            "its tail was removed"
        )
    if result.hashes.get(count) != head:
        return f"event #{count} does not have the {what}: the chain was rewritten"
    return ""


def verify_chain(
    *,
    expected_head: str | None = None,
    expected_count: int | None = None,
    workers: int = 1,
    since: tuple[int, str] | None = None,
    watch: Iterable[int] = (),
) -> Verification:
    """Check the chain: every event must carry the next sequence number, link to the
    hash of the one before, and hash to what it says. With the head hash and count
    recorded outside the system, a truncated tail is found too.

    `since=(count, head)` checks only from event #count on, which must hash to `head` (a
    signed checkpoint's). `workers` > 1 checks segments in parallel (PostgreSQL), each
    from its own first event, and then the joins between them. The hashes of the events
    in `watch` are returned (Verification.hashes), for checking against other anchors."""
    first, start_prev = (1, GENESIS) if since is None else (since[0], None)
    if since is not None and expected_count is not None and expected_count < first:
        raise ValueError("The recorded head is older than the checkpoint the check starts at.")
    watch = frozenset({*watch, *([expected_count] if expected_count is not None else [])})
    top = AuditEvent.objects.aggregate(top=Max("seq"))["top"] or 0
    walks = _walks(first - 1, max(top, first - 1), workers, watch)
    result = _joined(walks, first, start_prev, since)
    if not result.ok:
        result.event_time = (
            AuditEvent.objects.filter(seq=result.event_seq)
            .values_list("created_at", flat=True)
            .first()
        )
        return result
    if expected_count is not None:
        result.problem = recorded_head_problem(
            result, expected_count, expected_head, "recorded head hash"
        )
    elif expected_head and result.head_hash != expected_head:
        result.problem = "the chain's head is not the recorded head hash"
    if not result.problem:
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is not None and (head.seq, head.hash) != (result.head_seq, result.head_hash):
            result.problem = (
                f"the chain ends at event #{result.head_seq} but its head row says "
                f"#{head.seq}: events were removed from the end"
            )
    result.ok = not result.problem
    return result


def _joined(
    walks: list[_Walk], first: int, start_prev: str | None, since: tuple[int, str] | None
) -> Verification:
    """The segments' walks joined into one verdict: each segment must start where the one
    before ended, linked to its last hash; the first problem in chain order is reported."""
    expected, prev, hashes = first, start_prev, {}
    base = 0 if since is None else first

    def broken(problem: str, seq: int, good_seq: int, good_hash: str, anchor=False):
        return Verification(
            False, max(good_seq - base, 0), good_seq, good_hash or "", problem, seq,
            hashes=hashes, since=first, anchor_broken=anchor,
        )  # fmt: skip

    for walk in walks:
        if walk.first_seq is None:
            continue
        if walk.first_seq != expected:
            problem = _sequence_problem(walk.first_seq, expected)
            return broken(problem, walk.first_seq, expected - 1, prev, anchor=since is not None)
        if prev is None:  # the anchor: a signed checkpoint's event, from its own hash
            if walk.first_hash != since[1]:
                problem = (
                    f"event #{first} does not have the signed head hash: the chain was rewritten"
                )
                return broken(problem, first, first - 1, "", anchor=True)
        elif walk.first_prev != prev:
            return broken(
                _link_problem(walk.first_seq, expected), walk.first_seq, expected - 1, prev
            )
        hashes.update(walk.hashes)
        if walk.problem:
            return broken(walk.problem, walk.event_seq, walk.good_seq, walk.good_hash)
        expected, prev = walk.last_seq + 1, walk.last_hash
    if prev is None:  # nothing from the anchor on
        problem = f"the chain ends before event #{first}, the signed head: its tail was removed"
        return broken(problem, None, first - 1, "", anchor=True)
    count = expected - 1
    return Verification(True, count - base, count, prev, hashes=hashes, since=first)


def chain_head() -> tuple[int, str]:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last else (0, GENESIS)


# --- Scheduled (the worker's periodic jobs, workflows/tasks.py) -------------------------


def audit_head_record(*, day: dt.date | None = None) -> AuditHeadRecord:
    """Keep today's head (once a day: a second run the same day keeps the first) and mail
    it to the inspectorate, who keep it outside the system."""
    day = day or today()
    count, head = chain_head()
    with transaction.atomic():
        record, created = AuditHeadRecord.objects.get_or_create(
            day=day, defaults={"count": count, "head_hash": head}
        )
        recipients = list(getattr(settings, "AUDIT_HEAD_EMAILS", []))
        if created and recipients:
            with translation.override("vi"):
                queue_mail(
                    key=f"audit-head:{day.isoformat()}",
                    to=recipients,
                    subject=_("Audit trail head of %(day)s") % {"day": f"{day:%d/%m/%Y}"},
                    body=_(
                        "Keep this record outside the system.\n\nhead: %(head)s\ncount: "
                        "%(count)s\n\nVerify later with: manage.py verify_audit --head "
                        "%(head)s --count %(count)s"
                    )
                    % {"head": head, "count": count},
                )
    return record


class NoCheckpoint(Exception):
    """An incremental verification was asked for, but no checkpoint was signed yet."""


def audit_verify(
    *,
    expected_head: str | None = None,
    expected_count: int | None = None,
    workers: int = 1,
    since_checkpoint: bool = False,
) -> AuditVerification:
    """Walk the chain once, checking it against the latest signed checkpoint (the anchor
    outside the database) in the same walk, and keep the outcome (shown on the
    inspector's page). With `since_checkpoint`, only the events from that checkpoint on
    are walked, once its signature is found valid: the day's events, in seconds."""
    # Imported here: signing builds on this module.
    from signing.checkpoints import checkpoint_matches, checkpoint_signature_problem
    from signing.models import AuditCheckpoint

    checkpoint = AuditCheckpoint.objects.order_by("-day").first()
    if since_checkpoint and checkpoint is None:
        raise NoCheckpoint("No signed checkpoint yet to verify from.")
    message = ""
    if since_checkpoint:
        when = f"{checkpoint.day:%d/%m/%Y}"
        problem = checkpoint_signature_problem(checkpoint)
        if problem:
            result = Verification(False, 0, 0, "", f"the signed checkpoint of {when}: {problem}")
            result.anchor_broken = True
        else:
            result = verify_chain(
                expected_head=expected_head,
                expected_count=expected_count,
                workers=workers,
                since=(checkpoint.count, checkpoint.head_hash),
            )
            if result.anchor_broken:
                result.problem = f"against the signed checkpoint of {when}: {result.problem}"
        result.checkpoint = checkpoint
        message = f"checked from the signed checkpoint of {when} (#{checkpoint.count})"
    else:
        result = verify_chain(
            expected_head=expected_head,
            expected_count=expected_count,
            workers=workers,
            watch=[checkpoint.count] if checkpoint else [],
        )
        if result.ok and checkpoint is not None:
            anchored = checkpoint_matches(checkpoint, result)
            result.checkpoint = checkpoint
            if not anchored.ok:
                result.ok, result.problem = False, anchored.problem
    verification = AuditVerification.objects.create(
        ok=result.ok,
        checked=result.head_seq,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        message=result.problem or message,
    )
    verification.result = result
    return verification


def audit_verify_against_last_head() -> AuditVerification:
    """The weekly check: against the latest daily head, so a removed tail is found too.
    A broken chain must not go unnoticed in a log nobody reads: it is logged at ERROR
    and mailed to the ADMINS through the outbox (once a day, whoever runs it)."""
    last = AuditHeadRecord.objects.order_by("-day").first()
    verification = audit_verify(
        expected_head=last.head_hash if last else None,
        expected_count=last.count if last else None,
    )
    if not verification.ok:
        logger.error(
            "Audit chain BROKEN after %s good events: %s",
            verification.checked,
            verification.message,
        )
        with translation.override("vi"):
            queue_mail(
                key=f"audit-verify-failed:{today().isoformat()}",
                to=[address for _name, address in settings.ADMINS],
                subject=_("The audit trail is BROKEN"),
                body=_(
                    "The weekly verification found the audit trail broken after %(checked)s "
                    "good events: %(problem)s\n\nRun manage.py verify_audit for the details "
                    "and tell the inspectorate."
                )
                % {"checked": verification.checked, "problem": verification.message},
            )
    return verification

"""The one way to write an audit event. Every action code is registered with a label, so
the trail can be read in either language and a typo in a code fails loudly."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
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


def canonical(values: dict[str, Any]) -> bytes:
    fields = {name: values[name] for name in HASHED_FIELDS}
    fields["created_at"] = values["created_at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def comment_folded(values: dict[str, Any]) -> str:
    """The comment as the inspector's search finds it. Outside the hash, so it is always
    derived from the hashed comment, and verify_chain checks that it still is: a changed
    copy would hide an event from the search while the chain looked intact."""
    return fold(values["comment"])


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


def _chained(prepared: list[dict[str, Any]], seq: int, prev: str) -> list[AuditEvent]:
    """The events after (seq, prev): numbered, linked and hashed. The one place a chain
    link is made, for record(), record_many() and append_prepared() alike."""
    events = []
    for values in prepared:
        seq += 1
        values = {**values, "seq": seq, "prev_hash": prev}
        values["hash"] = prev = event_hash(values)
        events.append(AuditEvent(**values, comment_folded=comment_folded(values)))
    return events


def _append(prepared: list[dict[str, Any]]) -> list[AuditEvent]:
    with transaction.atomic():
        head = _locked_head()
        now = timezone.now()
        events = _chained([{**v, "created_at": now} for v in prepared], head.seq, head.hash)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events, batch_size=500)
        AuditChainHead.objects.filter(pk=1).update(seq=events[-1].seq, hash=events[-1].hash)
    return events


def append_prepared(rows: list[dict[str, Any]], *, batch_size: int | None = None) -> int:
    """Append events given as column values (what `_event_values` returns, plus their own
    `created_at`): the load generator's path for millions of past events, which cannot
    afford a query per actor. The values must already be what the database gives back
    (JSON-clean data, no NUL), as verify_chain hashes what it reads. Chained exactly as
    record() under one lock of the head; returns the new head's sequence number."""
    if not rows:
        return _locked_head().seq
    with transaction.atomic():
        head = _locked_head()
        events = _chained(rows, head.seq, head.hash)
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        AuditChainHead.objects.filter(pk=1).update(seq=events[-1].seq, hash=events[-1].hash)
    return events[-1].seq


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


def verify_chain(
    *, expected_head: str | None = None, expected_count: int | None = None
) -> Verification:
    """Walk the chain from the first event: every event must carry the next sequence
    number, link to the hash of the one before, and hash to what it says. With the head
    hash and count recorded outside the system, a truncated tail is found too."""
    prev, expected_seq = GENESIS, 1
    seen_at_count = None
    rows = (
        AuditEvent.objects.order_by("seq")
        .values(*HASHED_FIELDS, "hash", "comment_folded")
        .iterator(chunk_size=5000)
    )

    def broken(problem: str, row) -> Verification:
        return Verification(
            False, expected_seq - 1, expected_seq - 1, prev, problem, row["seq"], row["created_at"]
        )

    for row in rows:
        if row["seq"] != expected_seq:
            if row["seq"] > expected_seq:
                missing = (
                    f"#{expected_seq}"
                    if row["seq"] == expected_seq + 1
                    else f"#{expected_seq}–#{row['seq'] - 1}"
                )
                return broken(f"event {missing} is missing before event #{row['seq']}", row)
            return broken(f"event #{row['seq']} is out of sequence", row)
        if row["prev_hash"] != prev:
            return broken(
                f"event #{row['seq']} does not link to event #{expected_seq - 1} "
                "(an event was inserted, deleted or reordered)",
                row,
            )
        if event_hash(row) != row["hash"]:
            return broken(
                f"event #{row['seq']} does not match its hash (its content was changed)", row
            )
        if row["comment_folded"] != comment_folded(row):
            return broken(
                f"event #{row['seq']}'s search text does not match its comment "
                "(it was changed, so the search would miss the event)",
                row,
            )
        prev = row["hash"]
        if expected_count is not None and row["seq"] == expected_count:
            seen_at_count = row["hash"]
        expected_seq += 1
    count = expected_seq - 1
    result = Verification(True, count, count, prev)
    if expected_count is not None:
        if count < expected_count:
            result.ok = False
            result.problem = (
                f"the chain ends at event #{count} but {expected_count} events were recorded: "
                "its tail was removed"
            )
        elif expected_head and seen_at_count != expected_head:
            result.ok = False
            result.problem = (
                f"event #{expected_count} does not have the recorded head hash: the chain "
                "was rewritten"
            )
    elif expected_head and prev != expected_head:
        result.ok = False
        result.problem = "the chain's head is not the recorded head hash"
    if result.ok:
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is not None and (head.seq, head.hash) != (count, prev):
            result.ok = False
            result.problem = (
                f"the chain ends at event #{count} but its head row says #{head.seq}: "
                "events were removed from the end"
            )
    return result


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


def audit_verify(
    *, expected_head: str | None = None, expected_count: int | None = None
) -> AuditVerification:
    """Walk the chain, then check it against the latest signed checkpoint (the anchor
    outside the database), and keep the outcome (shown on the inspector's page)."""
    # Imported here: signing.checkpoints builds on this module.
    from signing.checkpoints import checkpoint_verify_latest

    result = verify_chain(expected_head=expected_head, expected_count=expected_count)
    if result.ok:
        anchored = checkpoint_verify_latest()
        result.checkpoint = anchored.checkpoint
        if not anchored.ok:
            result.ok, result.problem = False, anchored.problem
    verification = AuditVerification.objects.create(
        ok=result.ok,
        checked=result.checked,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        message=result.problem,
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

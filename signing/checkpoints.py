"""The audit trail anchored outside the database: each day the worker signs the chain's
head with the Committee's key and an RFC 3161 timestamp (signing.tasks), and verify_audit
checks the chain against the latest signed checkpoint. An administrator who rewrites an
event and re-hashes the chain after it is found, because the checkpoint's head is no
longer in the chain; one who edits the checkpoint row too is found, because its
signature no longer covers it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from asn1crypto import cms
from django.db import IntegrityError, transaction
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from workflows import audit
from worktime.calendar import today

from . import keys
from .models import AuditCheckpoint
from .pades import outside_event_loop


def checkpoint_bytes(count: int, head_hash: str) -> bytes:
    """What is signed: the count and the head, nothing the database could reinterpret."""
    return f"{count}:{head_hash}".encode("ascii")


@outside_event_loop
def _sign(data: bytes) -> bytes:
    signer = keys.committee_signer()
    signed = async_to_sync(signer.async_sign_general_data)(
        data, "sha256", detached=True, timestamper=keys.timestamper()
    )
    return signed.dump()


def audit_checkpoint_sign(*, day: dt.date | None = None) -> AuditCheckpoint:
    """Sign the day's head (the daily head record's, so both agree); once a day."""
    day = day or today()
    existing = AuditCheckpoint.objects.filter(day=day).first()
    if existing is not None:
        return existing
    record = audit.audit_head_record(day=day)
    signature = _sign(checkpoint_bytes(record.count, record.head_hash))
    try:
        with transaction.atomic():
            return AuditCheckpoint.objects.create(
                day=day, count=record.count, head_hash=record.head_hash, signature=signature
            )
    except IntegrityError:  # another worker signed the same day first
        return AuditCheckpoint.objects.get(day=day)


@dataclass
class CheckpointCheck:
    ok: bool
    checkpoint: AuditCheckpoint | None
    problem: str = ""


@outside_event_loop
def checkpoint_signature_problem(checkpoint: AuditCheckpoint) -> str:
    """Why the checkpoint's signature does not prove its row ("" when it does)."""
    try:
        content = cms.ContentInfo.load(bytes(checkpoint.signature))
        signed_data = content["content"]
        status = async_to_sync(async_validate_detached_cms)(
            checkpoint_bytes(checkpoint.count, checkpoint.head_hash),
            signed_data,
            signer_validation_context=ValidationContext(
                trust_roots=keys.trust_roots(), allow_fetching=False
            ),
            ts_validation_context=ValidationContext(
                trust_roots=keys.trust_roots(), allow_fetching=False
            ),
        )
    except Exception as exc:  # noqa: BLE001 (a malformed signature is a finding, not a crash)
        return f"its signature cannot be read ({exc.__class__.__name__})"
    if not (status.intact and status.valid):
        return "its signature does not match its count and head (the row was edited)"
    if not status.trusted:
        return "its signature is not by a trusted certificate"
    if status.timestamp_validity is None or not status.timestamp_validity.valid:
        return "its signature has no valid timestamp"
    return ""


def checkpoint_matches(
    checkpoint: AuditCheckpoint, verified: audit.Verification
) -> CheckpointCheck:
    """The checkpoint's signature, and its head against a chain already verified with the
    checkpoint's count among the watched events (audit.verify_chain's `watch`)."""
    when = f"{checkpoint.day:%d/%m/%Y}"
    problem = checkpoint_signature_problem(checkpoint)
    if problem:
        return CheckpointCheck(False, checkpoint, f"the signed checkpoint of {when}: {problem}")
    problem = audit.recorded_head_problem(
        verified, checkpoint.count, checkpoint.head_hash, "recorded head hash"
    )
    if problem:
        return CheckpointCheck(
            False, checkpoint, f"against the signed checkpoint of {when}: {problem}"
        )
    return CheckpointCheck(True, checkpoint)

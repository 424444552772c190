"""The daily signed audit checkpoint (signing.checkpoints) and verify_audit against it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from asgiref.sync import async_to_sync
from asn1crypto import cms, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.sign import signers

from signing import checkpoints, pki, tasks
from signing.models import AuditCheckpoint
from tests.workflows.helpers import tamper_sql
from workflows import audit
from workflows.models import AuditChainHead, AuditEvent, AuditHeadRecord

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def _events(n=5):
    return [audit.record(action=audit.DENIED, comment=f"sự kiện {i}") for i in range(n)]


def _verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def _broken() -> str:
    with pytest.raises(CommandError) as info:
        _verify()
    return str(info.value)


def _rewrite_history(seq: int, comment: str) -> None:
    """Change an event and re-hash the whole chain after it, the head row and the daily
    head record too: everything in the database agrees again."""
    tamper_sql("UPDATE workflows_auditevent SET comment = %s WHERE seq = %s", [comment, seq])
    prev = audit.GENESIS
    for row in AuditEvent.objects.order_by("seq").values(*audit.HASHED_FIELDS, "hash"):
        row["prev_hash"] = prev
        new = audit.event_hash(row)
        tamper_sql(
            "UPDATE workflows_auditevent SET prev_hash = %s, hash = %s, comment_folded = %s "
            "WHERE seq = %s",
            [prev, new, audit.comment_folded(row), row["seq"]],
        )
        prev = new
    AuditChainHead.objects.filter(pk=1).update(hash=prev)
    AuditHeadRecord.objects.update(head_hash=prev)


def test_the_daily_job_signs_the_head_once_a_day():
    _events(3)
    head_then = audit.chain_head()
    first = checkpoints.audit_checkpoint_sign(day=DAY)
    _events(2)
    again = checkpoints.audit_checkpoint_sign(day=DAY)
    assert again.pk == first.pk and again.count == 3
    assert AuditCheckpoint.objects.count() == 1
    assert (first.count, first.head_hash) == head_then
    head = AuditHeadRecord.objects.get(day=DAY)
    assert (head.count, head.head_hash) == (first.count, first.head_hash)
    assert checkpoints.checkpoint_signature_problem(first) == ""


def test_the_scheduled_task_signs_today(settings):
    _events(2)
    assert tasks.sign_audit_checkpoint.call_local() == 2
    assert AuditCheckpoint.objects.get().count == 2


def test_the_checkpoint_is_a_timestamped_cms_signature_of_count_and_head():
    _events(2)
    point = checkpoints.audit_checkpoint_sign(day=DAY)
    signed = cms.ContentInfo.load(bytes(point.signature))["content"]
    signer_info = signed["signer_infos"][0]
    assert signed["encap_content_info"]["content"].native is None  # detached
    assert "signature_time_stamp_token" in {
        attr["type"].native for attr in signer_info["unsigned_attrs"]
    }
    certs = [c.chosen for c in signed["certificates"]]
    assert any("Uy ban Dan toc" in c.subject.human_friendly for c in certs)


def test_verify_audit_accepts_the_chain_matching_the_checkpoint_and_later_growth():
    _events(4)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _events(3)
    out = _verify()
    assert "intact: 7 events" in out
    assert "signed checkpoint of 02/03/2026 (#4," in out


def test_verify_audit_detects_a_rewritten_history():
    _events(5)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _rewrite_history(2, "đã bị sửa")
    # The chain alone looks intact: only the signed checkpoint tells.
    assert audit.verify_chain().ok
    message = _broken()
    assert "signed checkpoint of 02/03/2026" in message
    assert "chain was rewritten" in message


def test_verify_audit_detects_a_forged_checkpoint():
    _events(5)
    checkpoints.audit_checkpoint_sign(day=DAY)
    _rewrite_history(2, "đã bị sửa")
    AuditCheckpoint.objects.update(head_hash=audit.chain_head()[1])
    message = _broken()
    assert "signature does not match" in message


def test_verify_audit_detects_a_checkpoint_signed_by_another_key(settings):
    _events(2)
    point = checkpoints.audit_checkpoint_sign(day=DAY)
    # Re-signed with an untrusted key that claims the same content.
    arch = pki.demo_arch()
    rogue = signers.SimpleSigner(
        signing_cert=_self_signed(arch.key_set.get_private_key("committee")),
        signing_key=arch.key_set.get_private_key("committee"),
        cert_registry=None,
    )
    data = checkpoints.checkpoint_bytes(point.count, point.head_hash)
    cms_der = async_to_sync(rogue.async_sign_general_data)(data, "sha256", detached=True)
    AuditCheckpoint.objects.update(signature=cms_der.dump())
    assert "not by a trusted certificate" in _broken()


def _self_signed(private_key):
    """A self-signed certificate for the given key: nobody's trust root."""
    key = serialization.load_der_private_key(private_key.dump(), password=None)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Rogue")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            cx509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .sign(key, hashes.SHA256())
    )
    return x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def test_verify_audit_detects_an_unreadable_checkpoint():
    _events(1)
    checkpoints.audit_checkpoint_sign(day=DAY)
    AuditCheckpoint.objects.update(signature=b"not a signature")
    assert "cannot be read" in _broken()


def test_verify_audit_without_checkpoint_says_so():
    _events(2)
    assert "No signed checkpoint yet." in _verify()


def test_the_admin_shows_checkpoints_read_only(admin_client):
    _events(1)
    point = checkpoints.audit_checkpoint_sign(day=DAY)
    listing = admin_client.get("/admin/signing/auditcheckpoint/")
    assert listing.status_code == 200
    assert point.head_hash in listing.content.decode()
    assert admin_client.get("/admin/signing/auditcheckpoint/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/signing/auditcheckpoint/{point.pk}/delete/").status_code == 403
    )


def test_the_weekly_verification_checks_the_signed_checkpoint_and_alerts(settings):
    from outbox.models import Mail
    from workflows import tasks as workflow_tasks
    from workflows.models import AuditVerification

    settings.ADMINS = [("Quản trị", "quantri@example.gov.vn")]
    _events(4)
    checkpoints.audit_checkpoint_sign(day=DAY)
    assert workflow_tasks.verify_audit.call_local() is True
    _rewrite_history(1, "đã bị sửa")
    assert workflow_tasks.verify_audit.call_local() is False
    last = AuditVerification.objects.order_by("-pk").first()
    assert not last.ok and "signed checkpoint of 02/03/2026" in last.message
    assert any("quantri@example.gov.vn" in mail.to for mail in Mail.objects.all())

"""The signature and the issue of the PDF, through the engine's services: the signer's
certified PAdES signature, the number and date in the reserved fields, the Committee's
seal, both verified before anything is saved; the dispatch to the recipient units and
their acknowledgement; the step-up each signature needs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone, translation
from pyhanko.pdf_utils.reader import PdfFileReader

from issuance import pdf_store, selectors, services
from issuance.models import Dispatch, IssuedCopy
from organisation.models import Unit
from outbox.models import Mail
from signing import keys
from signing.pades import verify_pdf
from signing.pdf_fields import fields_read
from signing.verification import pdf_verify
from tests.workflows import helpers as h
from workflows import audit
from workflows.exceptions import AlreadyHandled, InvalidInput, NotInScope, ReauthenticationRequired
from workflows.models import AuditEvent, Document, RegisterCounter

pytestmark = pytest.mark.usefixtures("demo_org", "vice_minister_delegation")


def events(document) -> list[str]:
    trail = AuditEvent.objects.filter(document=document).order_by("seq")
    return list(trail.values_list("action", flat=True))


def test_sign_then_issue_gives_a_pdf_both_signatures_validate():
    document = h.make_plan("signed")
    copy = IssuedCopy.objects.get(document=document)
    assert (copy.issued_pdf_name, copy.issued_pdf_size, copy.issued_at) == ("", None, None)
    signed = selectors.signed_pdf(document)
    assert [r.field_name for r in verify_pdf(signed, trust_roots=keys.trust_roots())] == [
        "ChuKyNguoiKy"
    ]
    assert fields_read(signed)["so_ky_hieu"] == ""  # the number comes with the issue

    h.act(document, "issue", h.CLERK)

    document.refresh_from_db()
    issued = selectors.issued_pdf(document)
    reports = verify_pdf(issued, trust_roots=keys.trust_roots())
    assert [(r.field_name, r.ok, r.pades_level) for r in reports] == [
        ("ChuKyNguoiKy", True, "B-LT"),
        ("ChuKyCoQuan", True, "B-LT"),
    ]
    verification = pdf_verify(issued)
    assert verification.ok, verification.problems
    assert verification.register.document == document
    assert verification.signatures[0].modification == "FORM_FILLING"
    values = fields_read(issued)
    today = timezone.localdate()
    assert values == {
        "so_ky_hieu": "01/KH-UBDT",
        "ngay": f"{today:%d}",
        "thang": f"{today:%m}",
        "nam": f"{today:%Y}",
    }
    assert (document.state, document.issued_on) == ("issued", today)


def test_the_issue_is_on_record_with_the_audit_head_in_the_pdf():
    document = h.make_plan("signed")
    seq, head = audit.chain_head()

    h.act(document, "issue", h.CLERK)

    copy = IssuedCopy.objects.get(document=document)
    assert (copy.audit_seq, copy.audit_hash) == (seq, head)
    reader = PdfFileReader(io.BytesIO(selectors.issued_pdf(document)))
    agency = reader.embedded_signatures[1]
    assert agency.field_name == "ChuKyCoQuan"
    assert str(agency.sig_object["/Reason"]) == f"Phát hành 01/KH-UBDT; nhật ký #{seq} {head}"
    assert events(document)[-3:] == [
        "planning.plan.issued",
        "issuance.dispatch.sent",
        "issuance.dispatch.sent",
    ]
    issued = AuditEvent.objects.get(document=document, action="planning.plan.issued")
    assert issued.data["number"] == "01/KH-UBDT"
    assert issued.actor.username == h.CLERK


def test_the_issued_pdf_is_dispatched_to_the_units_chosen_and_they_are_mailed():
    document = h.make_plan("signed")
    units = list(Unit.objects.filter(code__in=["TCCB", "KH"]))

    h.act(document, "issue", h.CLERK, recipient_unit_ids=[u.pk for u in units])

    dispatched = Dispatch.objects.filter(document=document)
    assert {d.unit.code for d in dispatched} == {"TCCB", "KH"}
    assert all(d.acknowledged_at is None for d in dispatched)
    mails = Mail.objects.filter(key__startswith="dispatch:")
    assert mails.count() >= 2
    assert all("01/KH-UBDT" in m.subject for m in mails)


@pytest.mark.parametrize(
    ("recipients", "message"),
    [
        ([], "Choose at least one recipient unit."),
        ([999_999], "Choose the recipients from the list."),
        (["x"], "Choose the recipients from the list."),
    ],
)
def test_bad_recipients_are_refused_and_nothing_is_numbered(recipients, message):
    document = h.make_plan("signed")

    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        h.act(document, "issue", h.CLERK, recipient_unit_ids=recipients)

    assert refused.value.problems == [message]
    document.refresh_from_db()
    assert (document.state, document.number) == ("signed", None)
    assert not RegisterCounter.objects.exists()
    assert IssuedCopy.objects.get(document=document).issued_pdf_name == ""


def test_the_issue_date_may_be_neither_in_the_future_nor_before_the_signature():
    document = h.make_plan("signed")
    today = timezone.localdate()

    with translation.override("en"):
        with pytest.raises(InvalidInput) as future:
            h.act(document, "issue", h.CLERK, issued_on=today + dt.timedelta(days=1))
        with pytest.raises(InvalidInput) as early:
            h.act(document, "issue", h.CLERK, issued_on=today - dt.timedelta(days=1))

    assert future.value.problems == ["The issue date cannot be in the future."]
    assert early.value.problems == [
        f"The issue date cannot be before the signature ({today:%d/%m/%Y})."
    ]
    assert Document.objects.get(pk=document.pk).state == "signed"


def test_an_issue_the_day_after_the_signature_is_dated_and_numbered_that_day():
    signed_at = dt.datetime(2026, 12, 31, 16, 59, tzinfo=dt.UTC)  # 23:59 in Hà Nội
    with time_machine.travel(signed_at, tick=False):
        document = h.make_plan("signed")
    with time_machine.travel(signed_at + dt.timedelta(minutes=2), tick=False):
        h.act(document, "issue", h.CLERK)

    document.refresh_from_db()
    assert document.issued_on == dt.date(2027, 1, 1)
    assert (document.number_year, document.number_text) == (2027, "01/KH-UBDT")


def test_an_issued_pdf_that_does_not_verify_is_not_issued():
    """The signer's PDF replaced by another (one byte changed, its row updated to match,
    so the hash check passes): the Office's issue checks both signatures before saving,
    and refuses."""
    document = h.make_plan("signed")
    data = bytearray(selectors.signed_pdf(document))
    data[11] ^= 1  # in the binary comment of line 2: still a PDF, no longer the one signed
    name, size, sha256 = pdf_store.pdf_put(bytes(data))
    IssuedCopy.objects.filter(document=document).update(
        signed_pdf_name=name, signed_pdf_size=size, signed_pdf_sha256=sha256
    )

    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        h.act(document, "issue", h.CLERK)

    assert refused.value.problems[0] == "The issued PDF does not verify; it was not issued."
    document.refresh_from_db()
    assert (document.state, document.number) == ("signed", None)
    assert not Dispatch.objects.filter(document=document).exists()


# --- The signer's step-up ------------------------------------------------------------


def test_signing_without_a_step_up_is_refused_on_record_and_signs_nothing():
    document = h.make_plan("endorsed")
    before = Document.objects.values().get(pk=document.pk)

    with pytest.raises(ReauthenticationRequired) as refused:
        h.act(document, "sign", h.MINISTER, session={})

    assert refused.value.status == 403
    assert Document.objects.values().get(pk=document.pk) == before
    assert not IssuedCopy.objects.filter(document=document).exists()
    denied = AuditEvent.objects.filter(document=document).latest("seq")
    assert (denied.action, denied.data["status"], denied.data["reason"]) == (
        "workflows.document.access_denied",
        403,
        "step_up_required",
    )


def test_a_step_up_expires_after_five_minutes_and_serves_one_signature():
    first = h.make_plan("endorsed", title="Kế hoạch A")
    second = h.make_plan("endorsed", title="Kế hoạch B")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        session = h.stepped_up()
    late = start + dt.timedelta(minutes=5, seconds=1)
    with time_machine.travel(late, tick=False), pytest.raises(ReauthenticationRequired):
        h.act(first, "sign", h.MINISTER, session=session)
    session = h.stepped_up()

    h.act(first, "sign", h.MINISTER, session=session)
    with pytest.raises(ReauthenticationRequired):
        h.act(second, "sign", h.MINISTER, session=session)

    assert Document.objects.get(pk=first.pk).state == "signed"
    assert Document.objects.get(pk=second.pk).state == "endorsed"


def test_a_delegated_signature_prints_kt_and_the_vice_ministers_title():
    document = h.make_plan("issued", signer=h.VICE_MINISTER)

    assert document.signed_on_behalf
    reports = verify_pdf(selectors.issued_pdf(document), trust_roots=keys.trust_roots())
    assert all(r.ok for r in reports)
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-", "-"], input=selectors.issued_pdf(document), capture_output=True
    ).stdout.decode()
    assert "KT. BỘ TRƯỞNG, CHỦ NHIỆM" in text
    assert document.signer_title in text
    assert document.signer_name in text


# --- Acknowledging receipt -------------------------------------------------------------


def test_a_member_of_the_recipient_unit_acknowledges_once():
    document = h.make_plan("issued")
    dispatch = Dispatch.objects.get(document=document, unit__code="KH")
    reviewer = h.person(h.REVIEWER)

    services.dispatch_acknowledge(user=reviewer, dispatch_id=dispatch.pk)

    dispatch.refresh_from_db()
    assert dispatch.acknowledged_by == reviewer and dispatch.acknowledged_at is not None
    event = AuditEvent.objects.filter(document=document).latest("seq")
    assert (event.action, event.data["unit"]) == ("issuance.dispatch.acknowledged", "KH")
    with translation.override("en"), pytest.raises(AlreadyHandled) as again:
        services.dispatch_acknowledge(user=h.person(h.REVIEWER), dispatch_id=dispatch.pk)
    assert str(again.value) == f"Receipt was already acknowledged by {reviewer.display_name}."


@pytest.mark.parametrize("dispatch_id", ["other-unit", "missing", "garbage"])
def test_anyone_outside_the_recipient_unit_gets_404(dispatch_id):
    document = h.make_plan("issued")
    dispatch = Dispatch.objects.get(document=document, unit__code="KH")
    ids = {"other-unit": dispatch.pk, "missing": dispatch.pk + 1000, "garbage": "x"}

    with pytest.raises(NotInScope):
        services.dispatch_acknowledge(user=h.person(h.MINISTER), dispatch_id=ids[dispatch_id])

    dispatch.refresh_from_db()
    assert dispatch.acknowledged_at is None


def test_the_pdf_opens_as_pdf_bytes():
    document = h.make_plan("issued")
    data = selectors.issued_pdf(document)
    assert data.startswith(b"%PDF-")
    assert io.BytesIO(data).getbuffer().nbytes < 2 * 1024 * 1024

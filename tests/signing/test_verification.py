"""signing.verification.pdf_verify: each signature of an issued PDF (who, in what
capacity, when, trusted, unrevoked, changed after it, PAdES level) and its match with the
register; and every way a copy can be wrong is reported, each on its own."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing import pki
from signing.verification import VerificationRefused, pdf_verify, pyhanko_report
from tests.signing import signed_pdfs as s

pytestmark = pytest.mark.usefixtures("demo_org")


def test_an_issued_pdf_verifies_with_both_signatures_and_matches_the_register():
    document, pdf = s.plan_pdf()
    verification = pdf_verify(s.issued(document, pdf))

    signer, agency = verification.signatures
    assert verification.ok, verification.problems
    assert [signer.field_name, agency.field_name] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    assert signer.signer_name == "Bo truong Chu nhiem (DEMO)"
    assert signer.capacity == "Lanh dao"  # the certificate's organisational unit
    assert agency.signer_name == "Uy ban Dan toc (DEMO)"
    assert "seal" in agency.capacity or "dấu" in agency.capacity
    for check in (signer, agency):
        assert check.trusted and check.intact and not check.changed_after
        assert check.revocation == "unrevoked"
        assert check.pades_level == "B-LT"
        assert check.signed_at_iso.endswith("+07:00")
    # The Office's form filling and the agency's signature are allowed after the signer's.
    assert signer.modification == "FORM_FILLING"
    register = verification.register
    assert register.document == document
    assert register.sha256_matches and register.number_matches and register.date_matches


def test_a_pdf_whose_number_differs_from_the_register_is_reported():
    document, pdf = s.plan_pdf()
    values = {**s.register_values(document), "so_ky_hieu": "99/KH-UBDT"}

    verification = pdf_verify(s.issued(document, pdf, values=values))

    assert all(check.ok for check in verification.signatures)
    assert verification.register.sha256_matches and verification.register.date_matches
    assert not verification.register.number_matches
    assert not verification.ok


def test_a_pdf_not_in_the_register_is_reported():
    _, issued = s.issued_plan()
    from workflows.models import Document

    Document.objects.update(signed_sha256="0" * 64)

    verification = pdf_verify(issued)

    assert not verification.register.found
    assert not verification.ok


def test_one_changed_byte_after_signing_is_invalid():
    _, issued = s.issued_plan()
    tampered = bytearray(issued)
    # Inside the first revision, covered by both signatures: WeasyPrint's producer name.
    index = tampered.index(b"WeasyPrint")
    tampered[index] = ord("X")

    try:
        verification = pdf_verify(bytes(tampered))
    except VerificationRefused:
        return  # refusing the file outright is as good
    assert not verification.ok
    assert not any(check.intact for check in verification.signatures)
    assert all(check.problems for check in verification.signatures)


def test_content_appended_after_the_agency_signature_is_reported():
    _, issued = s.issued_plan()
    writer = IncrementalPdfFileWriter(io.BytesIO(issued))
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf (Forged) Tj ET"))
    writer.add_stream_to_page(0, extra)
    out = io.BytesIO()
    writer.write(out)

    verification = pdf_verify(out.getvalue())

    assert not verification.ok
    assert all(check.intact and check.changed_after for check in verification.signatures)
    assert all(check.modification == "OTHER" for check in verification.signatures)


def test_a_certificate_from_another_ca_is_not_trusted():
    pdf, _ = s.issued_plan()
    signed = s.sign(pdf, s.other_signer("signer"), lt=False)

    [check] = pdf_verify(signed).signatures

    assert check.intact and not check.trusted
    assert not check.ok
    assert check.signer_name == "Nguoi ky cua CA khac (TEST)"
    assert check.capacity == "Chuyen vien"  # the certificate's title
    assert any("trusted" in p or "tin cậy" in p for p in check.problems)


def test_a_revoked_signer_certificate_is_reported_revoked():
    pdf, _ = s.issued_plan()
    # Signing with revocation data is refused (tests/signing/test_pades.py); without it
    # the signature is made, and the revocation list added later shows it revoked.
    signed = s.with_demo_crls(s.sign(pdf, pki.demo_signer(pki.REVOKED), lt=False))

    [check] = pdf_verify(signed).signatures

    assert check.intact
    assert check.revocation == "revoked"
    assert not check.trusted and not check.ok


def test_an_expired_certificate_is_reported_expired():
    pdf, _ = s.issued_plan()
    signed = s.sign(pdf, s.other_signer("expired"), lt=False)
    roots = [pki.root_certificate(), s.other_arch().get_cert("root")]

    [check] = pdf_verify(signed, trust_roots=roots).signatures

    assert check.intact and check.expired
    assert not check.trusted and not check.ok
    assert any("01/01/2021" in p for p in check.problems)


def test_a_signature_without_revocation_data_cannot_be_proven_unrevoked():
    pdf, _ = s.issued_plan()
    signed = s.sign(pdf, pki.demo_signer(pki.MINISTER), lt=False)

    [check] = pdf_verify(signed).signatures

    assert check.trusted and check.pades_level == "B-T"
    assert check.revocation == "unproven"
    assert check.revocation_label != pdf_verify(s.issued_plan()[1]).signatures[0].revocation_label


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not a pdf", "not a PDF|không phải là tệp PDF"),
        (b"%PDF-1.7\n1 0 obj <<", "damaged|hỏng"),
        (b"", "not a PDF|không phải là tệp PDF"),
    ],
)
def test_bytes_that_are_not_a_signed_pdf_are_refused(data, message):
    with pytest.raises(VerificationRefused, match=message):
        pdf_verify(data)


def test_an_unsigned_pdf_is_refused():
    pdf, _ = s.issued_plan()
    with pytest.raises(VerificationRefused, match="no digital signature|không có chữ ký số"):
        pdf_verify(pdf)


def test_a_truncated_pdf_is_refused_or_invalid():
    _, issued = s.issued_plan()
    with pytest.raises(VerificationRefused):
        pdf_verify(issued[: len(issued) // 2])


def test_pyhanko_report_covers_every_signature():
    _, issued = s.issued_plan()
    report = pyhanko_report(pdf_verify(issued))
    assert "=== ChuKyNguoiKy ===" in report and "=== ChuKyCoQuan ===" in report
    assert "Bo truong Chu nhiem (DEMO)" in report


def test_signing_time_is_vietnam_iso():
    _, issued = s.issued_plan()
    check = pdf_verify(issued).signatures[0]
    assert check.signed_at is not None
    assert dt.datetime.fromisoformat(check.signed_at_iso).utcoffset() == dt.timedelta(hours=7)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=16)),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_pdfs_are_refused_or_reported_never_raise(edits):
    """Whatever bytes of an issued PDF change, the answer is a refusal or a report."""
    _, issued = s.issued_plan()
    data = bytearray(issued)
    for offset, chunk in edits:
        at = offset % len(data)
        data[at : at + len(chunk)] = chunk
    try:
        verification = pdf_verify(bytes(data))
    except VerificationRefused as exc:
        assert str(exc)
        return
    assert all(check.field_name for check in verification.signatures)
    assert isinstance(verification.ok, bool)

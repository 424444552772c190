"""Signed PDFs for the verification tests, made as the issue step makes them: a real
document's PDF (workflows.issued_pdf) with the reserved number and date fields, signed
by the Minister, the fields filled by the Office, then the Committee's signature; and the
ways a copy goes wrong (a changed byte, appended content, another CA, a revoked or an
expired certificate)."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from certomancer.registry import CertomancerConfig
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing import pki
from signing.pades import sign_pdf
from signing.pdf_fields import fields_fill
from signing.verification import DATE_FIELDS
from tests.signing.test_pades import signature_png
from tests.workflows import helpers as h
from workflows import issued_pdf
from workflows.issued_pdf import document_pdf

OTHER_CA = Path(__file__).resolve().parent / "pki" / "other-ca.yml"
N = generic.NameObject
AGENCY_BOX = (300, 60, 420, 180)


@functools.cache
def other_arch():
    """A second PKI (tests only): its root is not one the product trusts."""
    config = CertomancerConfig.from_file(str(OTHER_CA), key_search_dir=str(OTHER_CA.parent))
    return config.get_pki_arch("other")


def other_signer(label: str) -> SimpleSigner:
    arch = other_arch()
    cert = arch.get_cert(label)
    return SimpleSigner(
        signing_cert=cert,
        signing_key=arch.key_set.get_private_key(label),
        cert_registry=SimpleCertificateStore.from_certs([cert, arch.get_cert("root")]),
    )


def _write(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_reserved_fields(pdf: bytes) -> bytes:
    """The number and date fields, empty, as the issued PDF reserves them before the
    signer signs (added here when the renderer does not add them itself)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if "/AcroForm" in writer.root:
        return pdf
    refs = [
        writer.add_object(
            generic.DictionaryObject({N("/FT"): N("/Tx"), N("/T"): generic.TextStringObject(name)})
        )
        for name in ("so_ky_hieu", "ngay", "thang", "nam")
    ]
    writer.root[N("/AcroForm")] = generic.DictionaryObject(
        {N("/Fields"): generic.ArrayObject(refs)}
    )
    writer.update_root()
    return _write(writer)


def fill_fields(pdf: bytes, values: dict[str, str]) -> bytes:
    """The Office's incremental update, as the product makes it (signing.pdf_fields)."""
    return fields_fill(pdf, values, italic=DATE_FIELDS, centred=DATE_FIELDS)


def sign(
    pdf,
    signer,
    *,
    field="ChuKyNguoiKy",
    lt=True,
    box=None,
    title="BỘ TRƯỞNG, CHỦ NHIỆM",
    certify=False,
):
    return sign_pdf(
        pdf,
        signer=signer,
        field_name=field,
        reason="Ký ban hành",
        location="Hà Nội",
        stamp_image_png=signature_png(),
        signer_name="Nguyễn Văn A",
        signer_title=title,
        on_behalf_line=None,
        timestamper=pki.demo_timestamper(),
        validation_context=pki.demo_validation_context() if lt else None,
        certify=certify,
        **({"box": box} if box else {}),
    )


def register_values(document) -> dict[str, str]:
    return issued_pdf.register_values(document)


def plan_pdf(document=None) -> tuple[object, bytes]:
    """An issued plan of the register and its PDF with the reserved fields."""
    document = document or h.make_plan("issued")
    pdf = document_pdf(
        document, document.signed_revision, money_unit=document.money_unit, reserve=True
    )
    return document, with_reserved_fields(pdf)


def issued(document, pdf: bytes, *, signer=None, values=None) -> bytes:
    """Signer's signature (certifying), number and date filled in, the Committee's
    signature: the issue step's sequence, with any signer."""
    signed = sign(pdf, signer or pki.demo_signer(pki.MINISTER), certify=True)
    filled = fill_fields(signed, values or register_values(document))
    return sign(filled, pki.demo_signer(pki.COMMITTEE), field="ChuKyCoQuan", box=AGENCY_BOX)


@functools.cache
def issued_plan() -> tuple[bytes, bytes]:
    """One issued plan's unsigned and issued PDF, for the tests that need no register
    (rendering and signing take seconds: made once per test run)."""
    document, pdf = plan_pdf()
    return pdf, issued(document, pdf)


def with_demo_crls(pdf: bytes) -> bytes:
    """The demo CRLs added to the DSS afterwards, as a later LTV update would, so that a
    signature made without them can be checked for revocation."""
    out = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(
        out, sig_contents=None, crls=pki.demo_crls(), certs=pki.intermediate_certificates()
    )
    return out.getvalue()

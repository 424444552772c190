"""Verification of an issued PDF from its bytes alone, for anyone: whatever produced the
file (this product, a copy mailed around, a forgery), the answer comes from the file's
signatures, checked against the trust roots (signing.keys), and from the register.

Untrusted input: the bytes are refused early and with a clear message when they are not
a PDF, are encrypted, cannot be parsed or carry no signature, so a caller (the public page,
the command) never has to handle a parser's exception."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from asn1crypto import x509
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import keys
from .pades import SignatureReport, verify_pdf, vietnam_iso

log = logging.getLogger(__name__)

# The public page and the command accept files up to this size: a 300-row plan signed
# twice with its revocation data is well under 2 MB.
MAX_BYTES = 20 * 1024 * 1024
# ISO 32000 lets a reader find the header within the first 1024 bytes.
HEADER_WINDOW = 1024
SIGNER_FIELD = "ChuKyNguoiKy"
AGENCY_FIELD = "ChuKyCoQuan"
NUMBER_FIELD = "so_ky_hieu"
DATE_FIELDS = ("ngay", "thang", "nam")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")

REVOCATION_LABELS = {
    "unrevoked": gettext_lazy("Not revoked (proven by the revocation list in the file)"),
    "revoked": gettext_lazy("Revoked"),
    "unproven": gettext_lazy("Cannot be proven unrevoked (no revocation data in the file)"),
}
MODIFICATION_LABELS = {
    "NONE": gettext_lazy("None"),
    "LTA_UPDATES": gettext_lazy("Only validation data added"),
    "FORM_FILLING": gettext_lazy("Only the number and date filled in and signatures added"),
    "ANNOTATIONS": gettext_lazy("Annotations added"),
    "OTHER": gettext_lazy("Content changed"),
}


class VerificationRefused(ValueError):
    """The bytes cannot be verified at all (not a PDF, encrypted, malformed, unsigned);
    the message says why, in the reader's language."""


@dataclass(frozen=True)
class SignatureCheck:
    """One signature, as a reader needs it: who, in what capacity, when, and whether
    the certificate and the document can be relied on."""

    field_name: str
    signer_name: str
    capacity: str
    organisation: str
    signed_at: dt.datetime | None
    timestamped: bool
    intact: bool
    trusted: bool
    revocation: str  # "unrevoked", "revoked" or "unproven"
    expired: bool
    changed_after: bool
    modification: str
    pades_level: str
    problems: tuple[str, ...]
    report: SignatureReport = field(repr=False, compare=False)

    @property
    def signed_at_iso(self) -> str:
        return vietnam_iso(self.signed_at) if self.signed_at else ""

    @property
    def revocation_label(self) -> str:
        return str(REVOCATION_LABELS[self.revocation])

    @property
    def modification_label(self) -> str:
        return str(MODIFICATION_LABELS.get(self.modification, self.modification))

    @property
    def ok(self) -> bool:
        """Valid as an official signature: intact, trusted, not revoked, not expired and
        nothing but allowed changes (form filling, later signatures) after it.
        "Cannot be proven unrevoked" is shown but does not by itself fail it."""
        return (
            self.intact
            and self.trusted
            and self.revocation != "revoked"
            and not self.expired
            and not self.changed_after
        )


@dataclass(frozen=True)
class RegisterMatch:
    """Whether the PDF is the document the register holds: found by the SHA-256 of the
    signed revision the PDF names, then its number and date compared."""

    sha256: str
    number: str
    issued_on: dt.date | None
    document: object | None  # workflows.models.Document

    @property
    def found(self) -> bool:
        return self.document is not None

    @property
    def sha256_matches(self) -> bool:
        return self.found and self.document.signed_sha256 == self.sha256

    @property
    def number_matches(self) -> bool:
        return self.found and bool(self.number) and self.document.number_text == self.number

    @property
    def date_matches(self) -> bool:
        return (
            self.found and self.issued_on is not None and self.document.issued_on == self.issued_on
        )

    @property
    def ok(self) -> bool:
        return self.sha256_matches and self.number_matches and self.date_matches


@dataclass(frozen=True)
class Verification:
    signatures: tuple[SignatureCheck, ...]
    register: RegisterMatch

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures) and self.register.ok

    @property
    def problems(self) -> list[str]:
        found = [f"{s.field_name}: {p}" for s in self.signatures for p in s.problems]
        if not self.register.found:
            found.append(_("The register holds no issued document with this SHA-256."))
        else:
            if not self.register.number_matches:
                found.append(_("The number on the PDF is not the register's."))
            if not self.register.date_matches:
                found.append(_("The date on the PDF is not the register's."))
        return found


def size_refusal() -> VerificationRefused:
    return VerificationRefused(
        _("The file is larger than %(max)s MB; a signed document is far smaller.")
        % {"max": MAX_BYTES // (1024 * 1024)}
    )


def check_size(size: int) -> None:
    """Refuse before reading: the page calls this with the request's Content-Length, the
    command with the file's size."""
    if size > MAX_BYTES:
        raise size_refusal()


def _malformed() -> VerificationRefused:
    return VerificationRefused(
        _("The file is damaged or incomplete: it cannot be read as a PDF. Download it again.")
    )


def _open(pdf_bytes: bytes):
    """pypdf's and pyHanko's readers over the bytes, or a refusal saying why not."""
    import pypdf
    from pyhanko.pdf_utils.reader import PdfFileReader

    check_size(len(pdf_bytes))
    if b"%PDF-" not in pdf_bytes[:HEADER_WINDOW]:
        raise VerificationRefused(_("The file is not a PDF."))
    # Parsers raise many kinds of error on crafted input; every one means "malformed".
    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf_bytes), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # noqa: BLE001
        log.info("unreadable PDF: %r", exc)
        raise _malformed() from exc
    if encrypted:
        raise VerificationRefused(
            _("The PDF is encrypted; an issued document never is. Upload the file as issued.")
        )
    try:
        hanko = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signed = bool(hanko.embedded_signatures)
        len(reader.pages)
    except Exception as exc:  # noqa: BLE001
        log.info("unreadable PDF: %r", exc)
        raise _malformed() from exc
    if not signed:
        raise VerificationRefused(
            _("The PDF carries no digital signature: it is not an issued electronic document.")
        )
    return reader, hanko


def _attribute(cert: x509.Certificate, name: str) -> str:
    return str(cert.subject.native.get(name, "") or "")


def _crl_issuers(hanko) -> set:
    """The issuers of the revocation lists embedded in the file's DSS."""
    from asn1crypto import crl
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    if "/DSS" not in hanko.root:
        return set()
    dss = DocumentSecurityStore.read_dss(hanko)
    issuers = set()
    for ref in dss.crls:
        data = ref.get_object().data if hasattr(ref, "get_object") else ref.data
        issuers.add(crl.CertificateList.load(data).issuer.dump())
    return issuers


def _revocation(status, crl_issuers: set) -> str:
    """Revoked when pyHanko says so; unrevoked only when every certificate of the path
    below the root has its issuer's CRL in the file (pyHanko then checked it); else
    unproven, which a reader must know apart from both."""
    if status.revoked:
        return "revoked"
    path = status.validation_path
    if path is None:
        return "unproven"
    certs = [cert for cert in path if cert.issuer != cert.subject]
    if certs and all(cert.issuer.dump() in crl_issuers for cert in certs):
        return "unrevoked"
    return "unproven"


def _capacity(cert: x509.Certificate, field_name: str, document) -> str:
    """In what capacity: the certificate's title, else its organisational unit, else what
    the register says of the signer (the agency for the Committee's seal)."""
    capacity = _attribute(cert, "title") or _attribute(cert, "organizational_unit_name")
    if capacity:
        return capacity
    if field_name == AGENCY_FIELD:
        return _("The agency (the Committee's seal)")
    if document is not None and field_name == SIGNER_FIELD:
        prefix = "KT. BỘ TRƯỞNG, CHỦ NHIỆM — " if document.signed_on_behalf else ""
        return f"{prefix}{document.signer_title}".strip()
    return ""


def _check(report: SignatureReport, crl_issuers: set, document) -> SignatureCheck:
    status = report.status
    cert = status.signing_cert
    revocation = _revocation(status, crl_issuers)
    expired = bool(
        report.signing_time
        and (
            cert.not_valid_after < report.signing_time
            or cert.not_valid_before > report.signing_time
        )
    )
    level = status.modification_level
    modification = level.name if level is not None else "OTHER"
    changed_after = not report.covers_whole_document
    problems = []
    if not report.intact or not report.valid:
        problems.append(_("The signed content was changed: the signature does not match it."))
    if expired:
        problems.append(
            _("The certificate was not valid at the signing time (valid %(start)s to %(end)s).")
            % {
                "start": cert.not_valid_before.strftime("%d/%m/%Y"),
                "end": cert.not_valid_after.strftime("%d/%m/%Y"),
            }
        )
    if revocation == "revoked":
        problems.append(_("The certificate was revoked."))
    elif not report.trusted and report.intact and not expired:
        problems.append(_("The certificate was not issued by a trusted authority."))
    if changed_after:
        problems.append(_("The document was changed after this signature."))
    return SignatureCheck(
        field_name=report.field_name,
        signer_name=_attribute(cert, "common_name") or cert.subject.human_friendly,
        capacity=_capacity(cert, report.field_name, document),
        organisation=_attribute(cert, "organization_name"),
        signed_at=report.signing_time,
        timestamped=report.timestamped,
        intact=report.intact and report.valid,
        trusted=report.trusted,
        revocation=revocation,
        expired=expired,
        changed_after=changed_after,
        modification=modification,
        pades_level=report.pades_level,
        problems=tuple(problems),
        report=report,
    )


def _text(value) -> str:
    return str(value or "").strip()


def _register(reader, document=None) -> RegisterMatch:
    """What the PDF says (Info RevisionSHA256, the number and date fields) and the
    issued document of the register with that SHA-256 (or ``document``, when the reader
    came through its link)."""
    from workflows.models import Document
    from workflows.permissions import ISSUED_STATES

    try:
        info = reader.metadata or {}
        sha256 = _text(info.get("/RevisionSHA256")).lower()
        fields = reader.get_form_text_fields() or {}
    except Exception:  # noqa: BLE001 - a broken Info or form is "nothing stated"
        sha256, fields = "", {}
    number = _text(fields.get(NUMBER_FIELD))
    try:
        day, month, year = (int(_text(fields.get(name))) for name in DATE_FIELDS)
        issued_on = dt.date(year, month, day)
    except (TypeError, ValueError):
        issued_on = None
    if document is None and SHA256_RE.match(sha256):
        document = Document.objects.filter(signed_sha256=sha256, state__in=ISSUED_STATES).first()
    return RegisterMatch(sha256=sha256, number=number, issued_on=issued_on, document=document)


def pdf_verify(
    pdf_bytes: bytes,
    *,
    trust_roots: Iterable[x509.Certificate] | None = None,
    document=None,
) -> Verification:
    """Every signature of the PDF and its match with the register. Raises
    VerificationRefused when the bytes cannot be verified at all."""
    reader, hanko = _open(pdf_bytes)
    roots = list(trust_roots) if trust_roots is not None else keys.trust_roots()
    try:
        reports = verify_pdf(pdf_bytes, trust_roots=roots)
        crl_issuers = _crl_issuers(hanko)
    except Exception as exc:  # noqa: BLE001
        log.info("signatures not verifiable: %r", exc)
        raise _malformed() from exc
    register = _register(reader, document)
    checks = tuple(_check(report, crl_issuers, register.document) for report in reports)
    return Verification(signatures=checks, register=register)


def pyhanko_report(verification: Verification) -> str:
    """pyHanko's own validation report of every signature (its pretty-printed details,
    as its command line prints them)."""
    sections = []
    for check in verification.signatures:
        sections.append(f"=== {check.field_name} ===\n{check.report.status.pretty_print_details()}")
    return "\n\n".join(sections) + "\n"

"""PAdES signing and verification of PDF bytes with pyHanko. Knows no document kind: a
caller passes the PDF, the signer, the stamp's lines and the timestamper, and gets signed
bytes back. Each signature is an incremental update, so a later signature (the
Committee's, applied by the Office) leaves the earlier ones valid."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import x509
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Liberation Serif 2 (Debian fonts-liberation2) has Times New Roman's metrics and every
# Vietnamese glyph; version 1 (fonts-liberation) lacks many.
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
STAMP_FONT = FONT_DIR / "LiberationSerif-Regular.ttf"
STAMP_FONT_BOLD = FONT_DIR / "LiberationSerif-Bold.ttf"
# Pixels per PDF point of the drawn stamp: sharp when printed.
STAMP_SCALE = 4
# Where the stamp goes when the caller gives no box: the signer block, bottom right.
DEFAULT_BOX = (330, 60, 550, 200)

# A signature under Decree 30/2020 must bind the signer to the content (non-repudiation),
# both when we sign and when we verify.
NON_REPUDIATION = KeyUsageConstraints(key_usage=frozenset({"non_repudiation"}))


class SignatureRefused(ValueError):
    """The signature cannot be made as asked (e.g. the certificate may not sign)."""


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_subject: str
    signing_time: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    timestamped: bool
    covers_whole_document: bool
    pades_level: str
    # Human-readable summary from pyHanko, for logs and the command-line report.
    summary: str
    # pyHanko's full status (certificate, path, revocation, modifications) for the
    # verifier's details (signing.verification) and pyHanko's own report.
    status: object = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_whole_document


def outside_event_loop(function):
    """pyHanko's synchronous API calls asyncio.run(), which refuses to run in a thread
    whose event loop is already running (a Playwright or ASGI caller): run it in a
    thread of its own then, and directly otherwise."""
    import asyncio
    import functools
    from concurrent.futures import ThreadPoolExecutor

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return wrapper


def vietnam_iso(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time, e.g. 2026-12-02T17:30:00+07:00 (Decree 30/2020)."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def stamp_lines(
    *, signer_title: str, signer_name: str, on_behalf_line: str | None, signed_at: dt.datetime
) -> list[str]:
    """The stamp's lines, top to bottom: the delegation line (KT. …) when the signature
    is delegated, the title, room for the signature image (the empty line), the name and
    the signing time."""
    lines = [on_behalf_line] if on_behalf_line else []
    return [*lines, signer_title, "", signer_name, vietnam_iso(signed_at)]


def stamp_image(
    lines: list[str], signature_png: bytes | None, size: tuple[float, float]
) -> Image.Image:
    """Draw the stamp as one transparent image: pyHanko's text stamps need its optional
    OpenType support (uharfbuzz, not installed) to show Vietnamese, while Pillow draws
    Liberation Serif with every diacritic. The signature image fills the empty line."""
    width, height = (round(side * STAMP_SCALE) for side in size)
    canvas = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(canvas)
    text_size = 10 * STAMP_SCALE
    bold = ImageFont.truetype(str(STAMP_FONT_BOLD), text_size)
    regular = ImageFont.truetype(str(STAMP_FONT), int(text_size * 0.9))
    line_height = int(text_size * 1.3)
    gap = height - line_height * (len(lines) - 1)
    y = 0
    for index, line in enumerate(lines):
        if not line:
            if signature_png:
                signature = Image.open(io.BytesIO(signature_png)).convert("RGBA")
                signature.thumbnail((width, max(gap, 1)))
                canvas.alpha_composite(
                    signature, ((width - signature.width) // 2, y + (gap - signature.height) // 2)
                )
            y += gap
            continue
        font = regular if index >= len(lines) - 2 else bold
        draw.text((width // 2, y), line, font=font, fill=(0, 0, 0, 255), anchor="ma")
        y += line_height
    return canvas


def _require_non_repudiation(cert: x509.Certificate) -> None:
    usage = cert.key_usage_value
    if usage is None or "non_repudiation" not in usage.native:
        raise SignatureRefused(
            _(
                "The certificate of %(subject)s does not allow signing documents "
                "(the non-repudiation key usage is missing)."
            )
            % {"subject": cert.subject.human_friendly}
        )


def _stamp_style(image: Image.Image) -> StaticStampStyle:
    return StaticStampStyle(
        background=PdfImage(image),
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
        # pyHanko's defaults (0.6 opacity, a 3-unit border) do not fit Appendix I.
        background_opacity=1.0,
        border_width=0,
    )


@outside_event_loop
def sign_pdf(
    pdf_bytes: bytes,
    *,
    signer: signers.Signer,
    field_name: str,
    reason: str,
    location: str,
    stamp_image_png: bytes | None,
    signer_name: str,
    signer_title: str,
    on_behalf_line: str | None,
    timestamper: TimeStamper,
    validation_context: ValidationContext | None = None,
    box: tuple[float, float, float, float] = DEFAULT_BOX,
    page: int = -1,
    certify: bool = False,
    lines: list[str] | None = None,
) -> bytes:
    """Sign as PAdES B-T (RFC 3161 timestamp), or B-LT when ``validation_context`` is
    given: the chain's revocation information is then embedded in the DSS, so the
    signature can be checked after the CA's services are gone.

    ``certify``: the first signature certifies the document allowing only form filling
    and further signatures (DocMDP level 2), so the Office can still write the number and
    date into the reserved fields and add the Committee's signature, and anything else
    added later invalidates it. ``lines`` replaces the stamp's lines (an empty line is
    where the image goes) when the page itself prints the title and the name; the
    signing time is appended to them."""
    _require_non_repudiation(signer.signing_cert)
    signed_at = dt.datetime.now(dt.UTC)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=validation_context is not None,
        validation_context=validation_context,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    if lines is not None:
        lines = [*lines, vietnam_iso(signed_at)]
    else:
        lines = stamp_lines(
            signer_title=signer_title,
            signer_name=signer_name,
            on_behalf_line=on_behalf_line,
            signed_at=signed_at,
        )
    image = stamp_image(lines, stamp_image_png, (box[2] - box[0], box[3] - box[1]))
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,
        stamp_style=_stamp_style(image),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, box=box, on_page=page),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    try:
        out = pdf_signer.sign_pdf(writer)
    except SigningError as exc:
        raise SignatureRefused(str(exc)) from exc
    return out.getvalue()


def _pades_level(status, has_dss: bool) -> str:
    if status.timestamp_validity is None:
        return "B-B"
    return "B-LT" if has_dss else "B-T"


@outside_event_loop
def verify_pdf(
    pdf_bytes: bytes, *, trust_roots: Iterable[x509.Certificate]
) -> list[SignatureReport]:
    """One report per signature, oldest first. Revocation information comes from the
    document's own DSS (nothing is fetched): a signature without it cannot be proven
    unrevoked, which is reported, not raised."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    vc_kwargs = {"trust_roots": list(trust_roots), "allow_fetching": False}
    reports = []
    for embedded in reader.embedded_signatures:
        vc = dss.as_validation_context(vc_kwargs) if dss else ValidationContext(**vc_kwargs)
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=vc,
            ts_validation_context=vc,
            key_usage_settings=NON_REPUDIATION,
        )
        reports.append(
            SignatureReport(
                field_name=embedded.field_name,
                signer_subject=status.signing_cert.subject.human_friendly,
                signing_time=(
                    status.timestamp_validity.timestamp
                    if status.timestamp_validity
                    else status.signer_reported_dt
                ),
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                timestamped=status.timestamp_validity is not None,
                covers_whole_document=status.coverage
                in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
                and status.docmdp_ok is not False,
                pades_level=_pades_level(status, dss is not None),
                summary=status.summary(),
                status=status,
            )
        )
    return reports

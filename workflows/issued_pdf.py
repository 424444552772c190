"""The document as a PDF: the print template (the Decree 30/2020 layout) of the exact
revision being signed, with its verification QR code, rendered by signing.pdf. The one
template serves the print view and the PDF; the PDF adds pdf.css for paged media."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from organisation.text import fold
from signing.pdf import Box, pdf_render_with_layout, qr_data_uri
from signing.pdf_fields import fields_reserve
from signing.verification import AGENCY_FIELD, DATE_FIELDS, NUMBER_FIELD, SIGNER_FIELD

from . import money, selectors, services
from .models import Document, Revision


def verify_url(document: Document) -> str:
    """The short link printed on the PDF, on the site's public address (SITE_URL), never
    on the Host a request happened to carry."""
    link = services.verification_link_ensure(document=document)
    path = reverse("workflows:verify_link", args=[link.token])
    return settings.SITE_URL.rstrip("/") + path


def print_context(document: Document, revision: Revision) -> dict:
    return {
        "document": document,
        "revision": revision,
        "content": selectors.presented(document, revision.content),
    }


TEXT_FIELDS = (NUMBER_FIELD, *DATE_FIELDS)
# The Committee's seal (Appendix I): a circle over the left third of the signer's image.
SEAL_SIZE = 100.0  # points (35 mm)


def seal_box(signature: Box) -> Box:
    """Where the Committee's seal goes: its right edge a third into the signer's box, its
    centre at the height of the signer's box's centre."""
    page, (x0, y0, x1, y1) = signature
    right = x0 + (x1 - x0) / 3
    middle = (y0 + y1) / 2
    return page, (right - SEAL_SIZE, middle - SEAL_SIZE / 2, right, middle + SEAL_SIZE / 2)


def document_pdf(
    document: Document, revision: Revision, *, money_unit: str, reserve: bool | None = None
) -> bytes:
    """The official document as the signer signs it: Vietnamese and in the unit it was
    signed in, whatever the reader's preferences (as the print view), with the number
    and date fields and the two signature fields reserved, empty (signing.pdf_fields).
    A document numbered without a signed PDF (issued before signatures were electronic)
    is rendered with its number and date as text instead, unless `reserve` says."""
    if reserve is None:
        reserve = not document.number_text
    url = verify_url(document)
    with translation.override("vi"), money.money_unit(money_unit):
        html = render_to_string(
            "workflows/print.html",
            {
                **print_context(document, revision),
                "pdf": {"qr": qr_data_uri(url), "verify_url": url, "reserve": reserve},
            },
        )
    pdf, layout = pdf_render_with_layout(
        html=html,
        title=document.title,
        keywords=(f"sha256:{revision.sha256}",),
        custom={"RevisionSHA256": revision.sha256, "VerificationURL": url},
        box_ids=(*TEXT_FIELDS, SIGNER_FIELD) if reserve else (),
    )
    if not reserve:
        return pdf
    signature = layout[SIGNER_FIELD]
    return fields_reserve(
        pdf,
        text={name: layout[name] for name in TEXT_FIELDS},
        signatures={SIGNER_FIELD: signature, AGENCY_FIELD: seal_box(signature)},
    )


def register_values(document: Document) -> dict[str, str]:
    """What the Office writes into the reserved fields: the number and symbol, and the
    day and month with two digits (Decree 30/2020: 05, 01) and the year."""
    issued = document.issued_on
    return {
        NUMBER_FIELD: document.number_text,
        "ngay": f"{issued.day:02d}",
        "thang": f"{issued.month:02d}",
        "nam": f"{issued.year}",
    }


def pdf_filename(document: Document, revision: Revision) -> str:
    """ASCII only (header-safe, any browser): the number and symbol once issued
    (07/KH-UBDT → 07-KH-UBDT.pdf), the document and revision before."""
    base = document.number_text or f"du-thao-{document.pk}-r{revision.number}"
    name = re.sub(r"[^A-Za-z0-9]+", "-", fold(base)).strip("-")
    return f"{name or document.pk}.pdf"

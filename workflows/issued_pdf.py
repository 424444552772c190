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
from signing.pdf import pdf_render, qr_data_uri

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


def document_pdf(document: Document, revision: Revision, *, money_unit: str) -> bytes:
    """The official document is Vietnamese and in the unit it was signed in, whatever
    the reader's preferences (as the print view)."""
    url = verify_url(document)
    with translation.override("vi"), money.money_unit(money_unit):
        html = render_to_string(
            "workflows/print.html",
            {
                **print_context(document, revision),
                "pdf": {"qr": qr_data_uri(url), "verify_url": url},
            },
        )
    return pdf_render(
        html=html,
        title=f"{document.number_text} {document.title}".strip(),
        keywords=(f"sha256:{revision.sha256}",),
        custom={"RevisionSHA256": revision.sha256, "VerificationURL": url},
    )


def pdf_filename(document: Document, revision: Revision) -> str:
    """ASCII only (header-safe, any browser): the number and symbol once issued
    (07/KH-UBDT → 07-KH-UBDT.pdf), the document and revision before."""
    base = document.number_text or f"du-thao-{document.pk}-r{revision.number}"
    name = re.sub(r"[^A-Za-z0-9]+", "-", fold(base)).strip("-")
    return f"{name or document.pk}.pdf"

"""HTML to PDF with WeasyPrint. Generic: the caller passes the HTML of the exact revision
being signed and the metadata to stamp in it (the revision's SHA-256 among them); this
module knows no document kind, so every kind's issued PDF is made the same way."""

from __future__ import annotations

from collections.abc import Mapping

from weasyprint import HTML


def pdf_render(
    *,
    html: str,
    base_url: str | None = None,
    title: str = "",
    keywords: tuple[str, ...] = (),
    custom: Mapping[str, str] | None = None,
) -> bytes:
    """Keywords and custom keys go into the PDF's Info dictionary, so a verifier can read
    the SHA-256 of the signed revision without parsing the page text."""
    document = HTML(string=html, base_url=base_url).render()
    if title:
        document.metadata.title = title
    document.metadata.keywords = list(keywords)
    document.metadata.custom = dict(custom or {})
    return document.write_pdf(custom_metadata=True)

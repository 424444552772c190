"""HTML to PDF with WeasyPrint. Generic: the caller passes the HTML of the exact revision
being signed and the metadata to stamp in it (the revision's SHA-256 among them); this
module knows no document kind, so every kind's issued PDF is made the same way.

Rendering reaches no network: the HTML's resources are read from the static files the
product serves, or from data: URIs (the QR code); anything else is refused, so content
typed by a drafter can never make the server fetch a URL."""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


class ResourceRefused(ValueError):
    """A resource the PDF may not load (not a static file of the product, not data:)."""


def _static_name(url: str) -> str | None:
    path = unquote(urlsplit(url).path)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    return None if ".." in name.split("/") else name


@functools.cache
def _fetcher_class():
    """Built on first use: importing WeasyPrint takes over half a second, which no
    process that never renders a PDF should pay at start-up."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Serves data: URIs and the product's static files; refuses everything else,
        and a refused or missing resource stops the rendering rather than leave a PDF
        without its layout."""

        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            name = _static_name(url)
            found = None
            if name:
                # The source folders first; collected (hashed) names in production.
                found = finders.find(name)
                if not found and staticfiles_storage.exists(name):
                    found = staticfiles_storage.path(name)
            if not found:
                raise ResourceRefused(url)
            with open(found, "rb") as handle:
                data = handle.read()
            kind = "text/css" if name.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": kind})

    return LocalFetcher


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data: URI, drawn here rather than by any service."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


# Where an element with an id was laid out: (page index from 0, (x0, y0, x1, y1) in PDF
# points, origin bottom left), what the signature and form fields are placed on.
Box = tuple[int, tuple[float, float, float, float]]
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (1/96 in); PDF points are 1/72 in.


def _layout(document, ids: tuple[str, ...]) -> dict[str, Box]:
    found: dict[str, Box] = {}
    for index, page in enumerate(document.pages):
        height = page.height * PX_TO_PT
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            name = element.get("id") if element is not None else None
            if name in ids and name not in found and hasattr(box, "border_width"):
                x0 = box.position_x * PX_TO_PT
                top = box.position_y * PX_TO_PT
                x1 = x0 + box.border_width() * PX_TO_PT
                bottom = top + box.border_height() * PX_TO_PT
                found[name] = (index, (x0, height - bottom, x1, height - top))
    return found


def pdf_render(
    *,
    html: str,
    base_url: str = "http://localhost/",
    title: str = "",
    keywords: tuple[str, ...] = (),
    custom: Mapping[str, str] | None = None,
) -> bytes:
    return pdf_render_with_layout(
        html=html, base_url=base_url, title=title, keywords=keywords, custom=custom
    )[0]


def pdf_render_with_layout(
    *,
    html: str,
    base_url: str = "http://localhost/",
    title: str = "",
    keywords: tuple[str, ...] = (),
    custom: Mapping[str, str] | None = None,
    box_ids: tuple[str, ...] = (),
) -> tuple[bytes, dict[str, Box]]:
    """Keywords and custom keys go into the PDF's Info dictionary, so a verifier reads the
    SHA-256 of the signed revision without parsing the page text. Fonts are embedded
    (subset) by WeasyPrint; the stylesheet names the fonts. Also returns where the
    elements named by ``box_ids`` were laid out (the reserved places of the number, the
    date and the signatures)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher_class()()).render()
    layout = _layout(document, box_ids)
    if title:
        document.metadata.title = title
    document.metadata.keywords = list(keywords)
    document.metadata.custom = dict(custom or {})
    out = io.BytesIO()
    document.write_pdf(out, custom_metadata=True)
    return out.getvalue(), layout

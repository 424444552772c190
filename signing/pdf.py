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


def pdf_render(
    *,
    html: str,
    base_url: str = "http://localhost/",
    title: str = "",
    keywords: tuple[str, ...] = (),
    custom: Mapping[str, str] | None = None,
) -> bytes:
    """Keywords and custom keys go into the PDF's Info dictionary, so a verifier reads the
    SHA-256 of the signed revision without parsing the page text. Fonts are embedded
    (subset) by WeasyPrint; the stylesheet names the fonts."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher_class()()).render()
    if title:
        document.metadata.title = title
    document.metadata.keywords = list(keywords)
    document.metadata.custom = dict(custom or {})
    out = io.BytesIO()
    document.write_pdf(out, custom_metadata=True)
    return out.getvalue()

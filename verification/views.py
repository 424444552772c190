"""/verify/: anyone (no sign-in) uploads an issued PDF, or follows the QR code's link, and
sees each signature and whether the file matches the register. Public, so it is
rate-limited per client address, the upload is capped and kept in memory only (never
written to disk or stored), and every bad input gets a clear message, never a 500."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from signing.verification import (
    MAX_BYTES,
    VerificationRefused,
    check_size,
    pdf_verify,
    size_refusal,
)
from workflows import audit
from workflows.models import VerificationLink
from workflows.permissions import ISSUED_STATES

from .forms import VerifyForm

# Room for the multipart envelope and the link field around the file itself.
ENVELOPE_BYTES = 64 * 1024


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed per client address: VERIFY_RATE_LIMIT in settings."""
    return getattr(settings, "VERIFY_RATE_LIMIT", (30, 600))


def client_address(request) -> str:
    return audit.client_ip(request) or "unknown"


def rate_limited(request) -> bool:
    """Counts this request against its client address in the cache, and says whether it
    is over the limit."""
    allowed, seconds = rate_limit()
    key = f"verify-rate:{client_address(request)}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > allowed


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps the upload in memory and stops reading past MAX_BYTES, so a verified file is
    never written to a temporary file and an oversized one never fills memory."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_BYTES:
            self.request.verify_upload_too_big = True
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size, None
        )


def _record(token: str):
    """The issued document a QR link names, or None (unknown, or not issued)."""
    if not token:
        return None
    link = (
        VerificationLink.objects.select_related("document")
        .filter(token=token, document__state__in=ISSUED_STATES)
        .first()
    )
    return link.document if link else None


def stored_pdf(document) -> bytes | None:
    """The issued PDF the Office stored at issue (issuance.selectors.issued_pdf, the
    contract of the issue step), or None while that app is not installed or the document
    has none (issued before signing was electronic)."""
    try:
        from issuance.selectors import issued_pdf
    except ImportError:
        return None
    return issued_pdf(document)


def _record_page(request, document, token):
    """The register's record and, when the stored PDF exists, its own verification: a
    reader following the QR code sees whether the register's copy is validly signed."""
    verification = None
    stored = stored_pdf(document)
    if stored:
        try:
            verification = pdf_verify(stored, document=document)
        except VerificationRefused as exc:
            return _page(
                request,
                form=VerifyForm(initial={"link": token}),
                document=document,
                refusal=str(exc),
            )
    return _page(
        request,
        form=VerifyForm(initial={"link": token}),
        document=document,
        verification=verification,
        stored=bool(stored),
    )


def _page(request, *, form, status=200, **context):
    return render(
        request,
        "verification/verify.html",
        {"form": form, "max_mb": MAX_BYTES // (1024 * 1024), **context},
        status=status,
    )


def _refused(request, message: str, status: int):
    return _page(request, form=VerifyForm(), refusal=message, status=status)


def upload_guard(request):
    """Run before anything reads the body (verification.middleware): refuse a client over
    its rate or an announced size over the cap without reading the upload, then parse it
    with the memory-only handler. A response to send instead, or None."""
    if rate_limited(request):
        return _refused(
            request,
            _("Too many verifications from your address. Please wait a few minutes."),
            429,
        )
    try:
        check_size(int(request.META.get("CONTENT_LENGTH") or 0) - ENVELOPE_BYTES)
    except VerificationRefused as exc:
        return _refused(request, str(exc), 413)
    except ValueError:
        pass
    request.upload_handlers = [MemoryOnlyUploadHandler(request)]
    try:
        request.POST  # noqa: B018 - parse now, to answer a broken body with a message
    except MultiPartParserError:
        return _refused(request, _("The upload was broken off or malformed. Try again."), 400)
    return None


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "POST":
        return _verify_post(request)
    if not request.GET.get("link"):
        return _page(request, form=VerifyForm())
    if rate_limited(request):
        return _refused(
            request,
            _("Too many verifications from your address. Please wait a few minutes."),
            429,
        )
    form = VerifyForm(request.GET)
    form.is_valid()
    token = form.cleaned_data.get("link", "")
    document = _record(token)
    if document is None:
        return _refused(request, _("No issued document has this link."), 404)
    return _record_page(request, document, token)


def _verify_post(request):
    if getattr(request, "verify_upload_too_big", False):
        return _refused(request, str(size_refusal()), 413)
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    token = form.cleaned_data["link"]
    document = _record(token)
    if token and document is None:
        return _refused(request, _("No issued document has this link."), 404)
    upload = form.cleaned_data["file"]
    if upload is None:
        if document is None:
            return _refused(request, _("Choose the PDF file to verify."), 400)
        return _page(request, form=form, document=document)
    try:
        verification = pdf_verify(upload.read(), document=document)
    except VerificationRefused as exc:
        return _refused(request, str(exc), 400)
    return _page(
        request,
        form=VerifyForm(initial={"link": token}),
        verification=verification,
        document=verification.register.document,
        file_name=upload.name,
    )

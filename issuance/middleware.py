"""A stored PDF that cannot be given (its file missing, or not the one recorded:
issuance.pdf_store) is answered, on every page that reads one (the document's PDF, the
incoming documents, the public verifier, the issue), with a page saying so and an ERROR
log line for the administrator, never with a 500 or with wrong bytes."""

from __future__ import annotations

import logging

from django.shortcuts import render

from .pdf_store import PdfUnavailable

log = logging.getLogger("issuance.pdf_store")


class PdfUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PdfUnavailable):
            return None
        log.error(
            "stored PDF %s is %s (%s %s): restore it from the storage backup",
            exception.name,
            exception.reason,
            request.method,
            request.path,
        )
        response = render(request, "issuance/pdf_unavailable.html", status=503)
        response["Retry-After"] = "3600"
        return response

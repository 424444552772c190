"""Incoming issued documents of the person's unit: the signed PDF and the
acknowledgement of receipt."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows import audit, issued_pdf, paging
from workflows.exceptions import WorkflowError

from . import selectors, services


@require_GET
def incoming(request):
    return _incoming_page(request)


@require_GET
def incoming_pdf(request, pk):
    dispatch = selectors.incoming_for(request.user, pk)
    data = selectors.issued_pdf(dispatch.document) if dispatch else None
    if data is None:
        raise Http404
    document = dispatch.document
    response = HttpResponse(data, content_type="application/pdf")
    name = issued_pdf.pdf_filename(document, document.signed_revision)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def acknowledge(request, pk):
    try:
        services.dispatch_acknowledge(
            user=request.user, dispatch_id=pk, ip=audit.client_ip(request)
        )
    except WorkflowError as exc:
        for problem in exc.problems or [exc.message]:
            messages.error(request, problem)
        return _incoming_page(request, exc.status)
    messages.success(request, _("Receipt acknowledged."))
    return redirect("issuance:incoming")


def _incoming_page(request, status=200):
    page = paging.page_of(request, selectors.incoming(request.user), 50)
    return render(request, "issuance/incoming.html", {"page": page}, status=status)

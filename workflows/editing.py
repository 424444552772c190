"""What every kind's edit page does the same way: find the document the person may edit
(or say why not), turn posted rows into service rows, and run the save service, turning
a refusal into form errors with the status to answer with."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import permissions, selectors
from .exceptions import NotInScope, WorkflowError
from .models import Document


def editable_document(request, pk, *, kinds: set[str], closed_message: str):
    """The document to edit, or a redirect to its page with `closed_message` once it is
    past editing; 404 outside scope or of another kind, 403 without the right."""
    document = selectors.document_for(request.user, pk)
    if document.kind not in kinds:
        raise NotInScope
    if not permissions.can_edit(request.user, document):
        if document.is_editable:
            raise PermissionDenied
        messages.info(request, closed_message)
        return redirect("workflows:document", pk=document.pk)
    return document


def rows(formset, row_class) -> list:
    """The rows a formset posted, as service rows, without the deleted ones; a form field
    the row class lacks (DELETE, an id used only to check the row) is left out."""
    names = {f.name for f in dataclasses.fields(row_class)}
    return [
        row_class(**{k: v for k, v in f.cleaned_data.items() if k in names})
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def save(request, form, document: Document, call: Callable[[], object], edit_url: str):
    """Run the save service. Saved: a redirect (to the document page on "save and
    close"). Refused: its reasons are put on the form and the status is returned."""
    try:
        call()
    except WorkflowError as exc:
        for problem in exc.problems or [exc.message]:
            form.add_error(None, problem)
        return exc.status
    messages.success(request, _("Saved."))
    if "save_and_view" in request.POST:
        return redirect("workflows:document", pk=document.pk)
    return redirect(edit_url, pk=document.pk)


def is_response(value) -> bool:
    return isinstance(value, HttpResponse)

"""Reads of the signed PDFs and of the dispatches."""

from __future__ import annotations

from django.db.models import F, QuerySet

from workflows.models import Document

from . import pdf_store
from .models import Dispatch, IssuedCopy


def _stored(document: Document, prefix: str) -> bytes | None:
    row = (
        IssuedCopy.objects.filter(document=document)
        .exclude(**{f"{prefix}_name": ""})
        .values_list(f"{prefix}_name", f"{prefix}_sha256")
        .first()
    )
    return pdf_store.pdf_read(*row) if row else None


def issued_pdf(document: Document) -> bytes | None:
    """The official copy: the PDF with the number, date and the Committee's seal; None
    while it is not issued (or it was issued before signing was electronic). Raises
    pdf_store.PdfUnavailable when its file is missing or not the one recorded."""
    return _stored(document, "issued_pdf")


def signed_pdf(document: Document) -> bytes | None:
    """The PDF as the signer signed it, waiting for the number, date and seal."""
    return _stored(document, "signed_pdf")


def copy_status(document: Document) -> IssuedCopy | None:
    """The copy's times and audit head (the PDFs themselves are files in storage)."""
    return IssuedCopy.objects.filter(document=document).first()


def dispatches(document: Document) -> QuerySet[Dispatch]:
    return Dispatch.objects.filter(document=document).select_related("unit", "acknowledged_by")


def incoming(user) -> QuerySet[Dispatch]:
    """The issued documents sent to the person's unit, newest first."""
    if not user.unit_id:
        return Dispatch.objects.none()
    return (
        Dispatch.objects.filter(unit_id=user.unit_id)
        .select_related("document", "acknowledged_by", "unit")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-sent_at", "-pk")
    )


def incoming_for(user, dispatch_id) -> Dispatch | None:
    try:
        return incoming(user).filter(pk=int(dispatch_id)).first()
    except (TypeError, ValueError):
        return None

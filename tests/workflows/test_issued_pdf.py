"""The document as a PDF (workflows/issued_pdf.py over signing/pdf.py): the print
template of the exact revision being signed, in the Decree 30/2020 layout, with Liberation
Serif embedded, the revision's SHA-256 in the metadata and a QR code with the short link
to the public verification page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.workflows import helpers as h
from workflows.models import VerificationLink

pytestmark = pytest.mark.usefixtures("demo_org")


def _info(data: bytes):
    return PdfFileReader(io.BytesIO(data)).trailer_view["/Info"]


def _get_pdf(client, document, username=h.DRAFTER):
    client.force_login(h.person(username))
    return client.get(reverse("workflows:pdf", args=[document.pk]))


def test_the_pdf_of_an_issued_document(client):
    document = h.make_plan("issued")
    response = _get_pdf(client, document)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    name = document.number_text.replace("/", "-").lower()
    assert response["Content-Disposition"] == f'inline; filename="{name}.pdf"'
    assert response.content.startswith(b"%PDF")
    info = _info(response.content)
    assert str(info["/RevisionSHA256"]) == document.signed_sha256
    assert document.signed_sha256 in str(info["/Keywords"])
    token = VerificationLink.objects.get(document=document).token
    assert str(info["/VerificationURL"]).endswith(f"/v/{token}/")

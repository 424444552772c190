"""The pages of the signature and the issue: the signer re-authenticates on the sign page
and signs; the clerk issues from the issue page; the document page shows the signature
status with the signed PDF and the verification link; a recipient unit downloads the
issued PDF and acknowledges it. Bad input gets a message and the right status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from issuance.models import Dispatch, IssuedCopy
from organisation.demo import DEMO_PASSWORD
from organisation.models import Unit
from tests.workflows import helpers as h
from workflows.models import AuditEvent, Document

pytestmark = pytest.mark.usefixtures("demo_org", "vice_minister_delegation")


@pytest.fixture
def as_user(client):
    def login(username, language="en"):
        client.force_login(h.person(username))
        client.cookies["ubdt_language"] = language
        return client

    return login


def _act(client, document, data):
    task = h.open_task(document)
    return client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"version": document.version, "comment": "", **data},
    )


def test_the_sign_page_asks_for_the_password_and_signs_with_it(as_user):
    document = h.make_plan("endorsed")
    client = as_user(h.MINISTER)
    page = client.get(reverse("workflows:sign", args=[document.pk, h.open_task(document).pk]))
    assert page.status_code == 200
    assert 'data-testid="step-up-password"' in page.content.decode()

    response = _act(client, document, {"action": "sign", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.state, document.signer_name) == ("signed", "Đỗ Văn Hải")
    actions = list(
        AuditEvent.objects.filter(action__startswith="signing.step_up").values_list(
            "action", flat=True
        )
    )
    assert actions == ["signing.step_up.passed", "signing.step_up.consumed"]


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"password": "sai-mat-khau"}, 403, "The password is wrong. Try again."),
        ({}, 403, "Confirm your identity again (password or authentication code) to sign."),
        ({"password": "x" * 5000}, 400, "Shorten this to at most 4.096 characters"),
    ],
)
def test_a_signature_without_the_right_password_signs_nothing(as_user, data, status, message):
    document = h.make_plan("endorsed")
    before = Document.objects.values().get(pk=document.pk)

    response = _act(as_user(h.MINISTER), document, {"action": "sign", **data})

    assert response.status_code == status
    assert message in response.content.decode()
    assert Document.objects.values().get(pk=document.pk) == before


def test_the_clerk_issues_from_the_issue_page_to_the_units_ticked(as_user):
    document = h.make_plan("signed")
    client = as_user(h.CLERK)
    task = h.open_task(document)
    page = client.get(reverse("workflows:issue", args=[document.pk, task.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Number from the register: 01/KH-UBDT" in body
    # The drafting and reviewing units are ticked; the others are not.
    assert ' checked data-testid="recipient-KH"' in body
    assert ' checked data-testid="recipient-TTTT"' in body
    assert ' checked data-testid="recipient-TCCB"' not in body
    tccb = Unit.objects.get(code="TCCB")

    response = _act(
        client,
        document,
        {"action": "issue", "recipients_shown": "1", "recipients": [tccb.pk], "issued_on": ""},
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.state, document.number_text) == ("issued", "01/KH-UBDT")
    assert [d.unit.code for d in Dispatch.objects.filter(document=document)] == ["TCCB"]


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"recipients": []}, 400, "Choose at least one recipient unit."),
        ({"recipients": ["999999"]}, 400, "Choose the recipients from the list."),
        ({"issued_on": "31/02/2026"}, 400, "dd/mm/yyyy"),
        ({"issued_on": "01/01/2099"}, 400, "The issue date cannot be in the future."),
    ],
)
def test_a_bad_issue_form_gets_its_message_and_issues_nothing(as_user, data, status, message):
    document = h.make_plan("signed")
    posted = {"action": "issue", "recipients_shown": "1", "recipients": [], **data}
    if "recipients" not in data:
        posted["recipients"] = [Unit.objects.get(code="KH").pk]

    response = _act(as_user(h.CLERK), document, posted)

    assert response.status_code == status
    assert message in response.content.decode()
    document.refresh_from_db()
    assert (document.state, document.number) == ("signed", None)


def test_the_document_page_shows_the_signatures_the_pdf_and_the_verify_link(as_user):
    document = h.make_plan("issued")
    client = as_user(h.DRAFTER)

    page = client.get(reverse("workflows:document", args=[document.pk]))

    body = page.content.decode()
    assert 'data-testid="signature-status"' in body
    assert "Issued as 01/KH-UBDT with the Committee" in body
    token = document.verification_link.token
    assert f"/verify/?link={token}" in body
    pdf = client.get(reverse("workflows:pdf", args=[document.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    verified = client.get(reverse("verification:verify"), {"link": token})
    assert verified.status_code == 200
    assert verified.context["verification"].ok


def test_a_recipient_unit_downloads_the_pdf_and_acknowledges_it(as_user):
    document = h.make_plan("issued")
    dispatch = Dispatch.objects.get(document=document, unit__code="KH")
    client = as_user(h.REVIEWER)

    listing = client.get(reverse("issuance:incoming"))
    assert listing.status_code == 200
    assert document.number_text in listing.content.decode()
    pdf = client.get(reverse("issuance:pdf", args=[dispatch.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    response = client.post(reverse("issuance:acknowledge", args=[dispatch.pk]))
    assert response.status_code == 302
    again = client.post(reverse("issuance:acknowledge", args=[dispatch.pk]))
    assert again.status_code == 409
    assert "Receipt was already acknowledged by" in again.content.decode()

    dispatch.refresh_from_db()
    assert dispatch.acknowledged_by.username == h.REVIEWER


@pytest.mark.parametrize("url", ["issuance:pdf", "issuance:acknowledge"])
def test_another_units_dispatch_is_404(as_user, url):
    document = h.make_plan("issued")
    dispatch = Dispatch.objects.get(document=document, unit__code="KH")
    client = as_user("soanthao.tccb")

    method = client.get if url == "issuance:pdf" else client.post
    assert method(reverse(url, args=[dispatch.pk])).status_code == 404
    assert method(reverse(url, args=[dispatch.pk + 1000])).status_code == 404
    dispatch.refresh_from_db()
    assert dispatch.acknowledged_at is None


def test_a_document_issued_before_signed_pdfs_downloads_with_its_number_as_text(as_user):
    """Documents issued before signing was electronic have no stored PDF: theirs is
    rendered with the number and date printed, not with empty fields to fill."""
    import subprocess

    document = h.make_plan("issued")
    IssuedCopy.objects.filter(document=document).delete()

    response = as_user(h.DRAFTER).get(reverse("workflows:pdf", args=[document.pk]))

    assert response.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Số: 01/KH-UBDT" in text

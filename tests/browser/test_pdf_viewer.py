"""The PDF opens in Chromium's own viewer (issue 11): the preview before the signature,
the PDF the signer signed, and the issued copy with both signatures, each served to the
drafter and read by the viewer as the pages the file holds."""

import io

import pytest
from pypdf import PdfReader

from issuance import selectors as issuance_selectors
from organisation.demo import DEMO_PASSWORD
from tests.browser.conftest import login, pdf_viewer_page_count
from tests.workflows import helpers as h
from workflows.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def viewer_page(viewer_browser, live_server):
    context = viewer_browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("state", ["endorsed", "signed", "issued"])
def test_the_document_pdf_opens_in_chromiums_viewer(demo_org, viewer_page, state):
    document = h.make_plan(state, title="Kế hoạch mở trong trình xem PDF")
    login(viewer_page, h.DRAFTER, DEMO_PASSWORD)
    served = viewer_page.request.get(f"/documents/{document.pk}/pdf/")
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"].startswith("inline;")
    pages = len(PdfReader(io.BytesIO(served.body())).pages)

    shown = pdf_viewer_page_count(viewer_page, f"/documents/{document.pk}/pdf/")

    assert shown == pages >= 1
    document = Document.objects.get(pk=document.pk)
    if state == "issued":
        assert served.body() == issuance_selectors.issued_pdf(document)
    elif state == "signed":
        assert served.body() == issuance_selectors.signed_pdf(document)

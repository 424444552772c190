"""load_demo drafts this year's criteria set (issued by the evaluation demo) and leaves
next year's signed at the Office's issue step; a second load changes neither."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from issuance import selectors as issuance_selectors
from reporting import kinds
from reporting.models import Indicator
from signing import verification
from tests.workflows import helpers as h
from workflows import selectors
from workflows.models import Document

# `demo` (tests/conftest.py) has run load_demo once for this module; each test runs it once
# more, as the loader must leave a second run's data as the first left it.
pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _load_again():
    call_command("load_demo", stdout=StringIO())


def test_load_demo_drafts_the_criteria_set_of_the_current_year_once():
    _load_again()
    document = Document.objects.get(kind=kinds.KIND, year=timezone.localdate().year)
    # Drafted by the reporting demo, then issued by the evaluation demo to open the year.
    assert document.state == "issued"
    assert document.drafting_unit.code == "TTTT"
    assert document.title.startswith("Bộ tiêu chí đánh giá, xếp hạng ứng dụng")
    assert Indicator.objects.filter(group__criteria_set__document=document).count() == 20


def test_load_demo_leaves_next_years_set_signed_for_the_office_to_issue(client):
    """The demo's one document at the Office's issue step: the clerk finds it in My
    work, and issuing it numbers it and keeps both signatures valid."""
    _load_again()
    year = timezone.localdate().year + 1
    document = Document.objects.get(kind=kinds.KIND, year=year)
    assert document.state == "signed" and document.number is None
    assert issuance_selectors.signed_pdf(document).startswith(b"%PDF")
    assert issuance_selectors.issued_pdf(document) is None
    clerk = h.person(h.CLERK)
    assert [t.process.document.pk for t in selectors.my_tasks(clerk)] == [document.pk]
    client.force_login(clerk)
    assert document.title in client.get("/work/").content.decode()

    issued = h.act(document, "issue", h.CLERK)

    assert issued.state == "issued" and issued.number_text.endswith("/QĐ-UBDT")
    checked = verification.pdf_verify(issuance_selectors.issued_pdf(issued), document=issued)
    assert len(checked.signatures) == 2 and checked.ok

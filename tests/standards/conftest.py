"""Fixtures for compliance tracking: the demo organisation with its position groups, and a
competency standard issued through the real services and in force today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from standards import demo
from standards.services import RequirementRow, standard_create, standard_update
from tests.workflows import helpers as h

DRAFTER = "soanthao.tccb"  # Personnel Department: drafts standards, records certificates
CENTRE = "soanthao.tttt"  # Information Centre: gives the technical opinion
SIGNER = "botruong"

BASIC = ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
CNTT_ADVANCED = ["IU07", "IU09", "IU14"]

# The matrix of the standard the tests issue (demo position groups, standards/demo.py).
MATRIX = [
    RequirementRow("LANHDAO_UB", "none"),
    RequirementRow("LANHDAO_VU", "basic"),
    RequirementRow("CHUYENVIEN", "basic"),
    RequirementRow("CNTT", "advanced", CNTT_ADVANCED),
    RequirementRow("HANHCHINH", "none"),
]


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English (the msgids), whatever the lead translates."""
    with translation.override("en"):
        yield


@pytest.fixture
def org(demo_org):
    """The demo organisation with the demo position groups and people placed in them."""
    demo.load_groups()


def issue_standard(
    *, matrix=None, effective_date: dt.date | None = None, title="Chuẩn kỹ năng CNTT"
):
    """A standard created, filled in, reviewed and signed through the real services."""
    drafter = h.person(DRAFTER)
    standard = standard_create(user=drafter, title=title)
    document = standard.document
    standard_update(
        user=drafter,
        document_id=document.pk,
        version=None,
        title=title,
        sections={
            "scope": "Công chức, viên chức của Ủy ban Dân tộc.",
            "applies_to": "Các Vụ, đơn vị thuộc Ủy ban.",
        },
        effective_date=effective_date or timezone.localdate(),
        months_to_comply=12,
        requirements=MATRIX if matrix is None else matrix,
        items=[],
    )
    h.act(document, "submit", DRAFTER)
    h.act(document, "opinion", CENTRE, verdict="agree")
    h.act(document, "submit_to_signer", DRAFTER)
    h.sign_and_issue(document, SIGNER)
    standard.refresh_from_db()
    standard.document.refresh_from_db()
    return standard


@pytest.fixture
def standard(org):
    """An issued standard, effective today, so in force."""
    return issue_standard()


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(h.person(username))
    client.cookies["ubdt_language"] = "en"
    return client

"""Helpers for the criteria-set tests: the demo content (reporting/demo/criteria.yaml) and
`make_criteria(state)`, which drives a complete criteria set to a state through the real
services (the engine's shared `tests.workflows.helpers.drive`)."""

from __future__ import annotations

from reporting import demo, services
from reporting.models import CriteriaSet
from tests.workflows import helpers as h
from workflows.models import Document

DRAFTER = "soanthao.tttt"  # the Information Centre drafts
REVIEWER = "thamdinh.kh"  # the Planning Department reviews

DATA = demo.read()
BANDS = DATA["bands"]


def content():
    """The demo groups and indicators, as service rows."""
    return demo.rows(DATA)


def fill(document: Document, *, user: str = DRAFTER, title: str | None = None, **changes):
    document.refresh_from_db()
    groups, indicators = content()
    return services.criteria_set_update(
        user=h.person(user),
        document_id=document.pk,
        version=document.version,
        title=title or document.title,
        groups=changes.get("groups", groups),
        indicators=changes.get("indicators", indicators),
        bands=changes.get("bands", BANDS),
    )


def create(year: int = 2026) -> Document:
    return services.criteria_set_create(user=h.person(DRAFTER), year=year).document


def make_criteria(state: str = "draft", *, year: int = 2026) -> Document:
    document = create(year)
    fill(document)
    return h.drive(document, state, drafter=DRAFTER, reviewer=REVIEWER)


def criteria_of(document: Document) -> CriteriaSet:
    return CriteriaSet.objects.get(document=document)

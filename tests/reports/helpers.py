"""A known fixture for the report tests: documents, audit events and fake providers of
training and digitisation figures, at dates inside and outside January 2027's period
(15/12/2026 – 14/01/2027)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from organisation.models import Person, Unit
from reporting import sources
from reports.audit_actions import COMMENTED
from workflows import audit
from workflows.audit_hooks import SIGNED_IN
from workflows.models import Document
from worktime.calendar import VIETNAM

D = dt.date
# Inside January 2027's period, in Vietnam.
INSIDE = dt.datetime(2027, 1, 5, 9, 0, tzinfo=VIETNAM)
# Just before it, and just after it (Vietnam days: 14/12 23:30 and 15/01 00:30).
BEFORE = dt.datetime(2026, 12, 14, 23, 30, tzinfo=VIETNAM)
AFTER = dt.datetime(2027, 1, 15, 0, 30, tzinfo=VIETNAM)
# The job runs on the day after the period's end, 00:20 in Vietnam.
DRAFT_DAY = dt.datetime(2027, 1, 15, 0, 20, tzinfo=VIETNAM)


def documents(*rows) -> list[Document]:
    creator = Person.objects.get(username="soanthao.tttt")
    units = {u.code: u for u in Unit.objects.all()}
    return Document.objects.bulk_create(
        Document(
            kind=kind,
            title=f"Văn bản {i}",
            year=2027,
            state=state,
            drafting_unit=units[unit],
            reviewing_unit=units["KH"],
            created_by=creator,
            issued_on=issued_on,
            due_on=due_on,
            number=i + 1 if issued_on else None,
            number_year=2027 if issued_on else None,
            signed_sha256="0" * 64 if issued_on else "",
        )
        for i, (kind, unit, state, issued_on, due_on) in enumerate(rows)
    )


def events(person: Person, when: dt.datetime, *, sign_ins: int = 0, actions: int = 0) -> None:
    with time_machine.travel(when, tick=False):
        for _ in range(sign_ins):
            audit.record(action=SIGNED_IN, actor=person)
        for _ in range(actions):
            audit.record(action=COMMENTED, actor=person)


def known_fixture() -> dict:
    """Documents of TTTT and KH, and use by two people; returns the people."""
    centre = Person.objects.get(username="soanthao.tttt")
    reviewer = Person.objects.get(username="thamdinh.kh")
    documents(
        ("five_year_plan", "TTTT", "issued", D(2027, 1, 10), None),  # issued in the period
        ("five_year_plan", "TTTT", "issued", D(2026, 12, 14), None),  # issued before it
        ("five_year_plan", "TTTT", "submitted", None, D(2027, 1, 14)),  # overdue at its end
        ("five_year_plan", "TTTT", "draft", None, D(2027, 1, 15)),  # due after it
        ("five_year_plan", "KH", "draft", None, D(2027, 1, 2)),  # overdue
    )
    events(centre, INSIDE, sign_ins=3, actions=2)
    events(centre, BEFORE, sign_ins=5)
    events(centre, AFTER, sign_ins=7)
    events(reviewer, INSIDE, sign_ins=1)
    return {"centre": centre, "reviewer": reviewer}


@pytest.fixture
def providers(monkeypatch):
    """Fake training and digitisation providers (the producing apps are other branches)."""
    calls = []

    def training(*, start, end, unit_ids=None):
        calls.append(("training", start, end))
        unit = Unit.objects.get(code="TTTT")
        return {unit.pk: {"people_trained": 4, "modules_gained": 9}}

    def digitisation(*, start, end, unit_ids=None):
        unit = Unit.objects.get(code="VP")
        return {unit.pk: {"documents": 1200, "pages": 34_567}}

    monkeypatch.setitem(sources._PROVIDERS, sources.TRAINING_BY_UNIT, training)
    monkeypatch.setitem(sources._PROVIDERS, sources.DIGITISATION_BY_UNIT, digitisation)
    return calls

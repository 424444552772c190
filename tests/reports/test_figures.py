"""The figures of a report match the selectors they come from, count only the period's
days, say "no data" without a provider, and are frozen once drafted."""

import datetime as dt

import pytest
import time_machine

from organisation.models import Person, Unit
from reporting import sources
from reports.figures import compute
from reports.models import Report
from reports.periods import MONTH, Period
from reports.services import report_draft
from standards.selectors import compliance_rows, totals, unit_compliance
from tests.reports.helpers import DRAFT_DAY, INSIDE, events, known_fixture, providers  # noqa: F401

pytestmark = pytest.mark.django_db

JANUARY = Period.of(MONTH, 2027, 1)


def _unit(figures, code):
    return next(u for u in figures["units"] if u["code"] == code)


def test_documents_and_use_count_the_period_only(demo_org):
    people = known_fixture()
    with time_machine.travel(DRAFT_DAY, tick=False):
        figures = compute(JANUARY)
    centre = _unit(figures, "TTTT")
    assert (centre["documents"], centre["issued"], centre["overdue"], centre["in_progress"]) == (
        4,
        1,
        1,
        2,
    )
    assert (centre["sign_ins"], centre["actions"], centre["active_people"]) == (3, 2, 1)
    planning = _unit(figures, "KH")
    assert (planning["overdue"], planning["sign_ins"]) == (1, 1)
    person = next(p for p in figures["people"] if p["id"] == people["centre"].pk)
    assert (person["sign_ins"], person["actions"]) == (3, 2)
    assert figures["totals"]["sign_ins"] == 4
    assert figures["totals"]["issued"] == 1


def test_competency_matches_the_standards_selectors(demo_org):
    with time_machine.travel(DRAFT_DAY, tick=False):
        figures = compute(JANUARY)
    for unit in Unit.objects.all():
        expected = unit_compliance(unit).totals
        row = _unit(figures, unit.code)
        assert (row["people"], row["subject"], row["compliant"], row["share"]) == (
            expected.people,
            expected.subject,
            expected.compliant,
            expected.share_percent,
        )
    overall = totals(compliance_rows(Person.objects.all(), None))
    assert figures["totals"]["people"] == overall.people


def test_without_providers_training_and_digitisation_say_no_data(demo_org, monkeypatch):
    # The installed apps register theirs (digitisation does): take them away here.
    for name in (sources.TRAINING_BY_UNIT, sources.DIGITISATION_BY_UNIT):
        monkeypatch.delitem(sources._PROVIDERS, name, raising=False)
    figures = compute(JANUARY)
    assert figures["sources"] == {"training": False, "digitisation": False}
    assert all(u["training"] is None and u["digitisation"] is None for u in figures["units"])
    assert figures["totals"]["training"] is None


def test_providers_figures_are_read_for_the_period(demo_org, providers):  # noqa: F811
    figures = compute(JANUARY)
    assert _unit(figures, "TTTT")["training"] == {"people_trained": 4, "modules_gained": 9}
    assert _unit(figures, "KH")["training"] == {}
    assert _unit(figures, "VP")["digitisation"] == {"documents": 1200, "pages": 34_567}
    assert figures["totals"]["digitisation"] == {"documents": 1200, "pages": 34_567}
    assert ("training", JANUARY.start, JANUARY.end) in providers


def test_the_report_is_frozen_once_drafted(demo_org):
    people = known_fixture()
    with time_machine.travel(DRAFT_DAY, tick=False):
        report, created = report_draft(period=JANUARY)
    assert created
    events(people["centre"], INSIDE, sign_ins=10)  # arrives late: the report does not move
    again, created = report_draft(period=JANUARY)
    assert not created and again.pk == report.pk
    report.refresh_from_db()
    assert _unit(report.figures, "TTTT")["sign_ins"] == 3
    assert Report.objects.count() == 1


def test_comparisons_use_the_earlier_reports_frozen_figures(demo_org):
    people = known_fixture()
    december = Period.of(MONTH, 2026, 12)
    events(people["centre"], dt.datetime(2026, 12, 1, 9, tzinfo=INSIDE.tzinfo), sign_ins=2)
    report_draft(period=december)
    events(people["centre"], dt.datetime(2026, 12, 2, 9, tzinfo=INSIDE.tzinfo), sign_ins=50)
    report, _created = report_draft(period=JANUARY)
    previous = report.figures["comparisons"]["previous"]
    assert previous["code"] == "2026-M12"
    # 5 on 14/12 (fixture) and 2 on 01/12, as drafted: not the 50 that came later.
    assert previous["totals"]["sign_ins"] == 7
    assert report.figures["comparisons"]["last_year"]["code"] == "2026-M01"

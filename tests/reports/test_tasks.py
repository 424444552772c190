"""The job drafts each report on the day after its period ends (Vietnam), once."""

import datetime as dt

import pytest
import time_machine

from reports.models import Report
from reports.tasks import draft_due_reports, draft_reports
from workflows.models import AuditEvent
from worktime.calendar import VIETNAM

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 0, minute: int = 20):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), VIETNAM), tick=False)


def test_nothing_is_drafted_before_the_period_ends(demo_org):
    with at(dt.date(2027, 1, 14), 23, 59):
        assert draft_due_reports() == []
    assert not Report.objects.exists()


def test_january_is_drafted_on_the_fifteenth_and_only_once(demo_org):
    # 00:20 on 15/01 in Vietnam is still 14/01 in UTC: the Vietnamese day counts.
    with at(dt.date(2027, 1, 15)):
        assert draft_reports.call_local() == ["2027-M01"]
        assert draft_reports.call_local() == []
    with at(dt.date(2027, 1, 16)):
        assert draft_due_reports() == []
    report = Report.objects.get()
    assert (report.kind, report.year, report.index) == ("month", 2027, 1)
    assert (report.period_start, report.period_end) == (dt.date(2026, 12, 15), dt.date(2027, 1, 14))
    assert report.state == Report.State.DRAFT
    assert AuditEvent.objects.filter(action="reports.report.drafted").count() == 1


def test_on_fifteenth_december_every_kind_of_the_year_is_drafted(demo_org):
    with at(dt.date(2027, 12, 15)):
        assert sorted(draft_due_reports()) == ["2027", "2027-H2", "2027-M12", "2027-Q4"]
    assert Report.objects.count() == 4


def test_a_missed_day_is_caught_up(demo_org):
    with at(dt.date(2027, 3, 17)):  # the worker was down on 15 and 16/03
        assert sorted(draft_due_reports()) == ["2027-M03", "2027-Q1"]

"""The dashboard's figures on a small known data set, with a frozen clock."""

import datetime as dt

import pytest
import time_machine
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from dashboard import selectors
from tests.dashboard.helpers import issued_document, waiting_documents
from worktime.calendar import VIETNAM

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 10, 10, 0, tzinfo=VIETNAM)
TODAY = NOW.date()


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def by_key(rows):
    return {(row.step, str(row.unit_label)): row for row in rows}


def test_percentile_interpolates_like_percentile_cont():
    assert selectors.percentile([], 0.5) is None
    assert selectors.percentile([4.0], 0.9) == 4.0
    assert selectors.percentile([1.0, 2.0, 3.0, 10.0], 0.5) == 2.5
    assert selectors.percentile([1.0, 2.0, 3.0, 10.0], 0.9) == pytest.approx(7.9)


@pytest.fixture
def known(demo_org):
    with time_machine.travel(NOW, tick=False):
        for days, due in ((1, None), (2, TODAY), (3, TODAY + dt.timedelta(days=1))):
            waiting_documents(1, step="review", created=ago(days), due_on=due)
        # Due yesterday: overdue from today (Vietnam) on.
        waiting_documents(1, step="review", created=ago(10), due_on=TODAY - dt.timedelta(days=1))
        waiting_documents(1, step="draft", created=ago(0.5), due_on=TODAY)
        waiting_documents(1, step="sign", created=ago(4), due_on=TODAY - dt.timedelta(days=2))
        waiting_documents(1, step="sign", created=ago(6))
        # A document at review in another reviewing unit is its own row.
        waiting_documents(1, step="review", created=ago(7), reviewing="TCCB")
        # A finished task waits no more.
        done = waiting_documents(1, step="review", created=ago(30))[0]
        Task.objects.filter(process_id=done.process_id).update(status=STATUS.DONE)


def test_waiting_counts_medians_p90_and_overdue_per_step_and_unit(known):
    with time_machine.travel(NOW, tick=False):
        rows = selectors.waiting_by_step_and_unit()
    assert [(row.step, str(row.unit_label)) for row in rows] == [
        ("draft", "Trung tâm Thông tin"),
        ("review", "Vụ Kế hoạch"),
        ("review", "Vụ Tổ chức Cán bộ"),
        ("sign", "Lãnh đạo Ủy ban"),
    ]
    found = by_key(rows)
    review = found[("review", "Vụ Kế hoạch")]
    assert review.waiting.count == 4
    assert review.waiting.median == pytest.approx(2.5)
    assert review.waiting.p90 == pytest.approx(7.9)
    assert review.overdue == 1
    draft = found[("draft", "Trung tâm Thông tin")]
    assert (draft.waiting.count, draft.waiting.median, draft.overdue) == (1, 0.5, 0)
    sign = found[("sign", "Lãnh đạo Ủy ban")]
    assert sign.waiting.count == 2
    assert sign.waiting.median == pytest.approx(5.0)
    assert sign.waiting.p90 == pytest.approx(5.8)
    assert sign.overdue == 1
    assert found[("review", "Vụ Tổ chức Cán bộ")].waiting.median == pytest.approx(7.0)


def test_overdue_turns_at_midnight_vietnam_time(demo_org):
    with time_machine.travel(NOW, tick=False):
        waiting_documents(1, step="review", created=ago(1), due_on=TODAY)
    # 23:59 in Vietnam on the due date: not yet overdue; 00:00 the next day: overdue.
    last_minute = dt.datetime.combine(TODAY, dt.time(23, 59), tzinfo=VIETNAM)
    with time_machine.travel(last_minute, tick=False):
        assert selectors.waiting_by_step_and_unit()[0].overdue == 0
    with time_machine.travel(last_minute + dt.timedelta(minutes=1), tick=False):
        assert selectors.waiting_by_step_and_unit()[0].overdue == 1


def test_waiting_filters_by_year_and_kind(demo_org):
    with time_machine.travel(NOW, tick=False):
        waiting_documents(2, step="review", created=ago(2), year=2027)
        waiting_documents(1, step="review", created=ago(4), year=2026, kind="annual_plan")
        assert selectors.waiting_by_step_and_unit(year=2026)[0].waiting.count == 1
        assert selectors.waiting_by_step_and_unit(kind="five_year_plan")[0].waiting.count == 2
        assert selectors.waiting_by_step_and_unit(year=2026, kind="five_year_plan") == []


def test_cycle_time_by_kind_and_year(demo_org):
    issued = dt.datetime(2027, 2, 1, 9, 0, tzinfo=VIETNAM)
    for number, days in enumerate((10, 20, 30), start=1):
        issued_document(submitted=issued - dt.timedelta(days=days), issued=issued, number=number)
    issued_document(
        submitted=issued - dt.timedelta(days=5.5),
        issued=issued,
        kind="annual_plan",
        year=2026,
        number=4,
    )
    rows = selectors.cycle_times()
    assert [(row.kind, row.year) for row in rows] == [
        ("five_year_plan", 2027),
        ("annual_plan", 2026),
    ]
    five_year, annual = rows
    assert (five_year.cycle.count, five_year.cycle.median) == (3, 20.0)
    assert five_year.cycle.p90 == pytest.approx(28.0)
    assert (annual.cycle.count, annual.cycle.median, annual.cycle.p90) == (1, 5.5, 5.5)
    assert [row.kind for row in selectors.cycle_times(year=2026)] == ["annual_plan"]
    assert selectors.cycle_times(kind="annual_plan", year=2027) == []

"""Decree 09/2019's cut-off rule: the boundaries over a year boundary, and every day in
exactly one period of each kind, the periods tiling the calendar without gaps."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.periods import (
    HALF,
    KINDS,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    ending_on,
    from_code,
    period_for,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "index", "start", "end"),
    [
        (MONTH, 2027, 1, D(2026, 12, 15), D(2027, 1, 14)),
        (MONTH, 2027, 2, D(2027, 1, 15), D(2027, 2, 14)),
        (MONTH, 2027, 3, D(2027, 2, 15), D(2027, 3, 14)),
        (MONTH, 2026, 12, D(2026, 11, 15), D(2026, 12, 14)),
        (QUARTER, 2027, 1, D(2026, 12, 15), D(2027, 3, 14)),
        (QUARTER, 2027, 2, D(2027, 3, 15), D(2027, 6, 14)),
        (QUARTER, 2027, 3, D(2027, 6, 15), D(2027, 9, 14)),
        (QUARTER, 2027, 4, D(2027, 9, 15), D(2027, 12, 14)),
        (HALF, 2027, 1, D(2026, 12, 15), D(2027, 6, 14)),
        (HALF, 2027, 2, D(2027, 6, 15), D(2027, 12, 14)),
        (YEAR, 2027, 1, D(2026, 12, 15), D(2027, 12, 14)),
    ],
)
def test_boundaries(kind, year, index, start, end):
    period = Period.of(kind, year, index)
    assert (period.start, period.end) == (start, end)
    assert period_for(kind, start) == period
    assert period_for(kind, end) == period


def test_the_second_half_of_december_belongs_to_next_year():
    assert period_for(MONTH, D(2026, 12, 14)) == Period.of(MONTH, 2026, 12)
    assert period_for(MONTH, D(2026, 12, 15)) == Period.of(MONTH, 2027, 1)
    assert period_for(YEAR, D(2026, 12, 31)) == Period.of(YEAR, 2027, 1)
    assert period_for(QUARTER, D(2027, 1, 1)).code == "2027-Q1"


def test_previous_and_same_period_last_year_cross_the_year():
    january = Period.of(MONTH, 2027, 1)
    assert january.previous() == Period.of(MONTH, 2026, 12)
    assert january.same_period_last_year() == Period.of(MONTH, 2026, 1)
    assert Period.of(QUARTER, 2027, 1).previous() == Period.of(QUARTER, 2026, 4)
    assert Period.of(HALF, 2027, 1).previous() == Period.of(HALF, 2026, 2)
    assert Period.of(YEAR, 2027, 1).previous() == Period.of(YEAR, 2026, 1)
    assert Period.of(MONTH, 2027, 1).code == "2027-M01"
    for period in (
        january,
        Period.of(QUARTER, 2027, 4),
        Period.of(HALF, 2026, 2),
        Period.of(YEAR, 2027, 1),
    ):
        assert from_code(period.code) == period


def test_the_reports_due_on_the_fifteenth():
    assert Period.of(QUARTER, 2027, 1).due_on == D(2027, 3, 15)
    assert {p.kind for p in ending_on(D(2027, 12, 14))} == set(KINDS)
    assert {p.kind for p in ending_on(D(2027, 6, 14))} == {MONTH, QUARTER, HALF}
    assert [p.kind for p in ending_on(D(2027, 5, 14))] == [MONTH]
    assert ending_on(D(2027, 5, 15)) == []


def test_a_period_that_does_not_exist_is_refused():
    with pytest.raises(ValueError):
        Period.of(QUARTER, 2027, 5)
    with pytest.raises(ValueError):
        Period.of("week", 2027, 1)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), st.sampled_from(KINDS))
def test_every_day_is_in_exactly_one_period_and_periods_tile(day, kind):
    period = period_for(kind, day)
    assert day in period
    # Its neighbours: adjacent, no gap, no overlap.
    assert period.previous().end + dt.timedelta(days=1) == period.start
    following = period_for(kind, period.end + dt.timedelta(days=1))
    assert following.previous() == period
    assert day not in period.previous() and day not in following


def test_labels_name_the_period_and_its_dates():
    from reports.periods import label, short_label

    assert label(Period.of(QUARTER, 2027, 1)).endswith("(15/12/2026 – 14/03/2027)")
    assert short_label(Period.of(MONTH, 2027, 1)) == "01/2027"
    assert short_label(Period.of(YEAR, 2027, 1)) == "2027"
    assert "2027" in label(Period.of(HALF, 2027, 2)) and "2027" in short_label(
        Period.of(HALF, 2027, 1)
    )

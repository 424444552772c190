"""Working-day arithmetic across Vietnam's holidays and the Government's day swaps."""

import datetime as dt

import pytest

from worktime.calendar import VIETNAM, DueStatus, WorkingCalendar, day_end, today

D = dt.date


def test_tet_2027_is_not_working_days():
    cal = WorkingCalendar()
    # Tết 2027: 29th of the last lunar month (Thu 04/02) to the 5th day (Wed 10/02).
    for day in range(4, 11):
        assert not cal.is_working_day(D(2027, 2, day)), day
    assert cal.is_working_day(D(2027, 2, 3))
    assert cal.is_working_day(D(2027, 2, 11))


def test_add_working_days_across_tet_2027():
    cal = WorkingCalendar()
    # Wed 03/02 + 2 working days: Thu 11/02 and Fri 12/02 (04–10/02 are Tết).
    assert cal.add_working_days(D(2027, 2, 3), 2) == D(2027, 2, 12)
    assert cal.working_days_between(D(2027, 2, 3), D(2027, 2, 12)) == 2


def test_hung_kings_day_is_lunar():
    cal = WorkingCalendar()
    assert not cal.is_working_day(D(2027, 4, 16))  # 10/3 lunar in 2027
    assert cal.is_working_day(D(2026, 4, 16))


def test_swapped_saturday_counts_and_swapped_weekday_does_not():
    swaps = {D(2027, 1, 2): "work", D(2027, 1, 4): "off"}  # Sat worked, Mon off
    cal = WorkingCalendar(swaps)
    assert cal.is_working_day(D(2027, 1, 2))
    assert not cal.is_working_day(D(2027, 1, 4))
    # From Thu 31/12/2026: Fri 01/01 holiday, Sat 02/01 worked, Mon 04/01 off, Tue 05/01.
    assert cal.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
    assert cal.add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 5)
    plain = WorkingCalendar()
    assert plain.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


@pytest.mark.django_db
def test_load_reads_swaps_from_the_admin_table():
    from worktime.models import DaySwap

    DaySwap.objects.create(date=D(2027, 1, 2), kind="work", reason="Thông báo")
    assert WorkingCalendar.load().is_working_day(D(2027, 1, 2))


def test_day_ends_at_midnight_in_vietnam():
    end = day_end(D(2027, 2, 3))
    assert end.astimezone(dt.UTC) == dt.datetime(2027, 2, 3, 17, 0, tzinfo=dt.UTC)
    assert today(dt.datetime(2027, 2, 3, 16, 59, tzinfo=dt.UTC)) == D(2027, 2, 3)
    assert today(dt.datetime(2027, 2, 3, 17, 0, tzinfo=dt.UTC)) == D(2027, 2, 4)
    assert end.tzinfo == VIETNAM


def test_status_left_today_overdue():
    cal = WorkingCalendar()
    due = D(2027, 2, 12)
    assert cal.status(due, D(2027, 2, 3)) == DueStatus("left", 2, due)
    assert cal.status(due, due) == DueStatus("today", 0, due)
    assert cal.status(due, D(2027, 2, 15)) == DueStatus("overdue", 1, due)  # Mon
    assert cal.status(due, D(2027, 2, 13)).days == 1  # Saturday after: still overdue
    assert cal.status(None, due) is None


def test_negative_count_refused():
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(D(2027, 1, 1), -1)

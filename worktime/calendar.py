"""Working days in Vietnam, for every deadline in the product.

A working day is Monday to Friday, not a public holiday (from the `holidays` package:
Tết and Hùng Kings' day follow the lunar calendar) and not a day the Government gave off,
or any Saturday or Sunday the Government made a working day (`DaySwap`, kept in the
admin). Days are Vietnamese days: a day ends at 24:00 in Asia/Ho_Chi_Minh, whatever the
server's clock zone.

A `WorkingCalendar` reads the swaps once and answers any number of questions, so a job
over ten thousand tasks asks the database once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# How far a deadline may reach: far enough for any step, near enough to stay fast.
_MAX_SPAN_DAYS = 3 * 366


def today(now: dt.datetime | None = None) -> dt.date:
    """The date in Vietnam now (or at `now`)."""
    from django.utils import timezone

    return (now or timezone.now()).astimezone(VIETNAM).date()


def day_start(day: dt.date) -> dt.datetime:
    """00:00 in Vietnam on `day`, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=VIETNAM)


def day_end(day: dt.date) -> dt.datetime:
    """24:00 in Vietnam on `day` (the next day's 00:00): a due date is met before it."""
    return day_start(day + dt.timedelta(days=1))


class WorkingCalendar:
    def __init__(self, swaps: dict[dt.date, str] | None = None):
        self._swaps = dict(swaps or {})
        self._holidays = holidays.Vietnam()

    @classmethod
    def load(cls) -> WorkingCalendar:
        from .models import DaySwap

        return cls(dict(DaySwap.objects.values_list("date", "kind")))

    def is_holiday(self, day: dt.date) -> bool:
        return day in self._holidays

    def holiday_name(self, day: dt.date) -> str:
        return self._holidays.get(day) or ""

    def is_working_day(self, day: dt.date) -> bool:
        swap = self._swaps.get(day)
        if swap == "work":
            return True
        if swap == "off":
            return False
        return day.weekday() < 5 and day not in self._holidays

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `start` (start itself not counted); 0 gives
        `start` itself if it is a working day, else the next working day."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        if count == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        left = count
        for _ in range(_MAX_SPAN_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
                if left == 0:
                    return day
        raise ValueError("deadline beyond the calendar's span")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is
        before `start` (the working days from `end`, excluded, up to `start`)."""
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > _MAX_SPAN_DAYS:
            raise ValueError("span beyond the calendar's range")
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def status(self, due_on: dt.date | None, on: dt.date) -> DueStatus | None:
        """Where a due date stands on day `on`: working days left, due today, or
        overdue by n working days (0 overdue days is impossible: the day after the due
        date is overdue by at least one calendar day, counted as 1 if not a working day)."""
        if due_on is None:
            return None
        if on == due_on:
            return DueStatus(DueStatus.TODAY, 0, due_on)
        if on < due_on:
            return DueStatus(DueStatus.LEFT, self.working_days_between(on, due_on), due_on)
        return DueStatus(DueStatus.OVERDUE, max(1, self.working_days_between(due_on, on)), due_on)


@dataclass(frozen=True)
class DueStatus:
    LEFT, TODAY, OVERDUE = "left", "today", "overdue"
    kind: str
    days: int
    due_on: dt.date

    @property
    def is_overdue(self) -> bool:
        return self.kind == self.OVERDUE

    def words(self) -> str:
        """The status in words, in the reader's language (never colour alone): the one
        wording of every list, page, export and mail. Days are working days both ways."""
        from django.utils.translation import gettext, ngettext

        if self.kind == self.TODAY:
            return gettext("Due today")
        if self.kind == self.OVERDUE:
            return ngettext(
                "Overdue by %(n)d working day", "Overdue by %(n)d working days", self.days
            ) % {"n": self.days}
        return ngettext("%(n)d working day left", "%(n)d working days left", self.days) % {
            "n": self.days
        }

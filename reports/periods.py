"""The reporting periods of Decree 09/2019/NĐ-CP, Art. 12 (the cut-off of figures in
periodic reports): a period does not follow the calendar month but ends on the 14th.

- monthly: from the 15th of the previous month to the 14th of the month;
- quarterly: from the 15th of the month before the quarter to the 14th of its last month;
- half-year: from the 15th of the month before the half to the 14th of its sixth month;
- yearly: from 15/12 of the previous year to 14/12 of the year.

So a day from the 15th on counts towards the next month's period (15/12/2026 belongs to
January, the first quarter, the first half and the year 2027). Pure: no database, no
clock; the README has the table of the boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTH, QUARTER, HALF, YEAR = "month", "quarter", "half", "year"
KINDS = (MONTH, QUARTER, HALF, YEAR)
# How many months a period of each kind spans, and how many there are in a year.
MONTHS = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
PER_YEAR = {kind: 12 // months for kind, months in MONTHS.items()}
CUT_OFF = 14  # the last day of a period, in its last month


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int
    index: int  # 1-based: the month, quarter or half of the year; 1 for a year
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def of(cls, kind: str, year: int, index: int) -> Period:
        if kind not in MONTHS:
            raise ValueError(f"Unknown period kind {kind!r}")
        if not 1 <= index <= PER_YEAR[kind]:
            raise ValueError(f"{kind} {index} does not exist")
        last_month = index * MONTHS[kind]
        first_month = last_month - MONTHS[kind] + 1
        start_year, start_month = _month_before(year, first_month)
        return cls(
            kind,
            year,
            index,
            dt.date(start_year, start_month, CUT_OFF + 1),
            dt.date(year, last_month, CUT_OFF),
        )

    @property
    def due_on(self) -> dt.date:
        """The day the report is drafted: the day after the period ends."""
        return self.end + dt.timedelta(days=1)

    def previous(self) -> Period:
        if self.index > 1:
            return Period.of(self.kind, self.year, self.index - 1)
        return Period.of(self.kind, self.year - 1, PER_YEAR[self.kind])

    def same_period_last_year(self) -> Period:
        return Period.of(self.kind, self.year - 1, self.index)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def code(self) -> str:
        """A short stable name: 2027-M01, 2027-Q1, 2027-H1, 2027."""
        letter = {MONTH: "M", QUARTER: "Q", HALF: "H"}.get(self.kind)
        if letter is None:
            return str(self.year)
        width = 2 if self.kind == MONTH else 1
        return f"{self.year}-{letter}{self.index:0{width}d}"


def period_for(kind: str, day: dt.date) -> Period:
    """The period of `kind` that `day` belongs to."""
    year, month = day.year, day.month
    if day.day > CUT_OFF:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return Period.of(kind, year, (month - 1) // MONTHS[kind] + 1)


def ending_on(day: dt.date) -> list[Period]:
    """The periods whose last day is `day` (none unless it is a 14th)."""
    if day.day != CUT_OFF:
        return []
    return [p for p in (period_for(kind, day) for kind in KINDS) if p.end == day]


def label(period: Period) -> str:
    """The report's title, e.g. "Báo cáo tháng 01/2027 (15/12/2026 – 14/01/2027)"."""
    from django.utils.translation import gettext as _

    dates = f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
    if period.kind == MONTH:
        name = _("Monthly report %(month)02d/%(year)d") % {
            "month": period.index,
            "year": period.year,
        }
    elif period.kind == QUARTER:
        name = _("Report of quarter %(index)d/%(year)d") % {
            "index": period.index,
            "year": period.year,
        }
    elif period.kind == HALF and period.index == 1:
        name = _("Report of the first half of %(year)d") % {"year": period.year}
    elif period.kind == HALF:
        name = _("Report of the second half of %(year)d") % {"year": period.year}
    else:
        name = _("Yearly report %(year)d") % {"year": period.year}
    return f"{name} ({dates})"


def from_code(code: str) -> Period:
    """The period of a `Period.code` (2027-M01, 2027-Q1, 2027-H1, 2027)."""
    if "-" not in code:
        return Period.of(YEAR, int(code), 1)
    year, rest = code.split("-", 1)
    kind = {"M": MONTH, "Q": QUARTER, "H": HALF}[rest[0]]
    return Period.of(kind, int(year), int(rest[1:]))


def short_label(period: Period) -> str:
    """A column heading: 01/2027, Q1/2027, H1/2027, 2027."""
    from django.utils.translation import gettext as _

    values = {"index": period.index, "year": period.year}
    if period.kind == MONTH:
        return f"{period.index:02d}/{period.year}"
    if period.kind == QUARTER:
        return _("Q%(index)d/%(year)d") % values
    if period.kind == HALF:
        return (_("H1/%(year)d") if period.index == 1 else _("H2/%(year)d")) % values
    return str(period.year)

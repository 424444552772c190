"""Each person's IT-application score for a year, from the person-level indicators of the
criteria set issued for that year, measured from what the product holds: certificates
against the competency standard, training records (reporting.sources), the imported mail
statistics and the audit trail.

The scores are computed for everyone at once, whatever the page shows: an indicator
scored "ratio to the best" needs the best person of the Committee, and the rank is the
Committee's. The query count is fixed (about 15), whatever the number of people.

The grade: the person-level indicators have their own maximum (not the unit ranking's
100 points), so a person's points are scaled to 100 (points × 100 / maximum, rounded half
up to two decimals) and graded by the criteria set's bands. Equal scaled scores share a
rank (1, 1, 3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from organisation.models import Person
from reporting import scoring, sources
from reporting.kinds import KIND
from reporting.models import CriteriaSet, Indicator
from standards import selectors as competency
from standards.models import BASIC_MODULES
from standards.services import in_force
from workflows.formatting import grouped
from workflows.models import AuditEvent, State
from worktime.calendar import day_end, day_start

from .models import IndicatorMeasure, MailAccountStat, MailImport, Measure

HUNDRED = Decimal(100)

# Where each measure's value comes from, as the breakdown names it.
SOURCE_CERTIFICATES = "certificates"
SOURCE_TRAINING = "training"
SOURCE_MAIL = "mail"
SOURCE_AUDIT = "audit"
SOURCE_NONE = "none"
SOURCES = {
    SOURCE_CERTIFICATES: _("Certificates against the competency standard"),
    SOURCE_TRAINING: _("Training records"),
    SOURCE_MAIL: _("Mail system statistics"),
    SOURCE_AUDIT: _("Audit trail of the product"),
    SOURCE_NONE: _("Not measured by the product"),
}
MEASURE_SOURCES = {
    Measure.COMPETENCY_SHARE: SOURCE_CERTIFICATES,
    Measure.ADVANCED_MODULES: SOURCE_CERTIFICATES,
    Measure.COURSES_ATTENDED: SOURCE_TRAINING,
    Measure.COURSES_PASSED: SOURCE_TRAINING,
    Measure.MAIL_USED: SOURCE_MAIL,
    Measure.MAIL_MESSAGES_PER_WEEK: SOURCE_MAIL,
    Measure.DOCUMENT_ACTIONS: SOURCE_AUDIT,
    Measure.DOCUMENT_SYSTEM_USED: SOURCE_AUDIT,
}


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    measure: str  # a Measure, or "" when the indicator is not linked to one
    value: Decimal | int | None  # None: no data
    points: Decimal

    @property
    def source(self) -> str:
        return MEASURE_SOURCES.get(self.measure, SOURCE_NONE)

    @property
    def source_label(self) -> str:
        return str(SOURCES[self.source])

    @property
    def no_data(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        """The value as the breakdown shows it: a share as a percentage, a count as a
        number written the reader's way, "no data" when nothing was measured."""
        if self.value is None:
            return str(_("no data"))
        if self.measure == Measure.COMPETENCY_SHARE:
            return f"{grouped(_quantize(Decimal(self.value) * HUNDRED).normalize())}%"
        if self.measure in (Measure.MAIL_USED, Measure.DOCUMENT_SYSTEM_USED):
            return str(_("yes") if self.value else _("no"))
        return grouped(self.value)


@dataclass
class PersonScore:
    person: Person
    lines: list[Line]
    points: Decimal
    maximum: Decimal
    score: Decimal  # points scaled to 100
    grade: str
    rank: int = 0

    @property
    def unit_id(self) -> int | None:
        return self.person.unit_id

    @property
    def grade_label(self) -> str:
        return str(scoring.GRADES.get(self.grade, self.grade))


class PersonScores(list):
    """PersonScore rows, best first, with what they were computed from."""

    year: int
    criteria: CriteriaSet | None
    indicators: list[Indicator]
    mail_import: MailImport | None
    training_available: bool


def issued_criteria(year: int) -> CriteriaSet | None:
    return (
        CriteriaSet.objects.filter(
            document__kind=KIND, document__year=year, document__state=State.ISSUED
        )
        .select_related("document")
        .order_by("-document__issued_on", "-document_id")
        .first()
    )


def person_indicators(criteria: CriteriaSet) -> list[Indicator]:
    return list(
        Indicator.objects.filter(
            group__criteria_set=criteria,
            applies_to__in=[Indicator.AppliesTo.PEOPLE, Indicator.AppliesTo.BOTH],
        )
        .select_related("group")
        .order_by("group__position", "group__pk", "position", "pk")
    )


def mail_import_for(year: int) -> MailImport | None:
    """The latest import whose period ends in the year: its figures stand for the year."""
    return MailImport.objects.filter(period_end__year=year).order_by("-period_end", "-pk").first()


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(scoring.CENT, rounding=ROUND_HALF_UP)


def _competency_values(rows) -> dict[int, tuple[Decimal | None, int]]:
    """{person id: (share of the required modules held, advanced modules held)}."""
    result = {}
    basic = set(BASIC_MODULES)
    for row in rows:
        if row.status in (competency.NO_STANDARD, competency.NO_GROUP):
            share = None  # the requirement is unknown: no data
        elif not row.required:
            share = Decimal(1)  # nothing required: nothing missing
        else:
            share = Decimal(len(row.held_required)) / Decimal(len(row.required))
        result[row.person.pk] = (share, sum(1 for code in row.held if code not in basic))
    return result


def _mail_values(mail_import: MailImport | None) -> dict[int, tuple[int, Decimal]]:
    """{person id: (used: 1/0, messages per week)}; people absent from the import did
    not use their mailbox in the period (0, 0)."""
    if mail_import is None:
        return {}
    days = (mail_import.period_end - mail_import.period_start).days + 1
    weeks = Decimal(days) / Decimal(7)
    result = {}
    rows = MailAccountStat.objects.filter(mail_import=mail_import).values_list(
        "person_id", "last_sign_in", "messages_sent"
    )
    for person_id, last_sign_in, sent in rows:
        signed_in = last_sign_in is not None and last_sign_in >= mail_import.period_start
        used = int(signed_in and sent > 0)
        result[person_id] = (used, _quantize(Decimal(sent) / weeks))
    return result


def _audit_values(start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """{person id: (events, events on documents)} in the period: one grouped query."""
    rows = (
        AuditEvent.objects.filter(
            actor__isnull=False, created_at__gte=day_start(start), created_at__lt=day_end(end)
        )
        .values("actor_id")
        .annotate(events=Count("pk"), documents=Count("pk", filter=Q(document__isnull=False)))
        .order_by()
    )
    return {r["actor_id"]: (r["events"], r["documents"]) for r in rows}


def _rank(rows: list[PersonScore]) -> None:
    """Best first; equal scores share a rank, and the next rank skips (1, 1, 3). The
    sort is stable: equal scores stay in the staff-list order they come in."""
    rows.sort(key=lambda r: -r.score)
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank


def person_scores(year: int, unit_ids: Iterable[int] | None = None) -> PersonScores:
    """Every active person of every unit, scored for `year` from the criteria set issued
    for it (none issued: no rows), best first and ranked across the Committee; only the
    people of `unit_ids` when given (their ranks stay the Committee's)."""
    result = PersonScores()
    result.year, result.indicators, result.mail_import = year, [], None
    result.criteria = issued_criteria(year)
    result.training_available = sources.available(sources.TRAINING_BY_PERSON)
    if result.criteria is None:
        return result
    indicators = person_indicators(result.criteria)
    result.indicators = indicators
    measures = dict(IndicatorMeasure.objects.values_list("indicator_code", "measure"))
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    people = Person.objects.filter(unit__isnull=False)
    rows = competency.compliance_rows(people, in_force(end))
    skills = _competency_values(rows)
    training = sources.figures(sources.TRAINING_BY_PERSON, start=start, end=end, unit_ids=None)
    result.mail_import = mail_import_for(year)
    mail = _mail_values(result.mail_import)
    use = _audit_values(start, end)

    def value(measure: str, person_id: int) -> Decimal | int | None:
        if measure == Measure.COMPETENCY_SHARE:
            return skills.get(person_id, (None, 0))[0]
        if measure == Measure.ADVANCED_MODULES:
            return skills.get(person_id, (None, 0))[1]
        if measure in (Measure.COURSES_ATTENDED, Measure.COURSES_PASSED):
            if training is None:
                return None
            key = "courses_attended" if measure == Measure.COURSES_ATTENDED else "courses_passed"
            return int((training.get(person_id) or {}).get(key, 0))
        if measure in (Measure.MAIL_USED, Measure.MAIL_MESSAGES_PER_WEEK):
            if result.mail_import is None:
                return None
            used, per_week = mail.get(person_id, (0, Decimal(0)))
            return used if measure == Measure.MAIL_USED else per_week
        if measure == Measure.DOCUMENT_ACTIONS:
            return use.get(person_id, (0, 0))[1]
        if measure == Measure.DOCUMENT_SYSTEM_USED:
            return int(use.get(person_id, (0, 0))[0] > 0)
        return None

    linked = [(i, measures.get(i.code, "")) for i in indicators]
    values = {
        i.pk: {row.person.pk: value(measure, row.person.pk) for row in rows}
        for i, measure in linked
    }
    best = {
        i.pk: max((v for v in values[i.pk].values() if v is not None), default=None)
        for i in indicators
    }
    maximum = sum((i.max_points for i in indicators), Decimal(0))
    bands = result.criteria.grade_bands
    # Thousands of people share a few values per indicator: each (indicator, value) is
    # scored once, and each total graded once (half the time at 5,000 people otherwise).
    memo: dict[tuple[int, Decimal | int | None], Decimal] = {}
    grades: dict[Decimal, str] = {}

    def points_for(indicator: Indicator, measured: Decimal | int | None) -> Decimal:
        key = (indicator.pk, measured)
        if key not in memo:
            memo[key] = scoring.score(
                indicator.method,
                indicator.params,
                indicator.max_points,
                measured,
                best=best[indicator.pk],
            )
        return memo[key]

    scored = []
    for row in rows:
        pk = row.person.pk
        lines = [
            Line(i, measure, values[i.pk][pk], points_for(i, values[i.pk][pk]))
            for i, measure in linked
        ]
        points = sum((line.points for line in lines), Decimal(0))
        scaled = _quantize(points * HUNDRED / maximum) if maximum else Decimal(0)
        if scaled not in grades:
            grades[scaled] = scoring.grade(scaled, bands)
        scored.append(PersonScore(row.person, lines, points, maximum, scaled, grades[scaled]))
    _rank(scored)
    if unit_ids is not None:
        wanted = set(unit_ids)
        scored = [s for s in scored if s.person.unit_id in wanted]
    result.extend(scored)
    return result


def score_of(scores: PersonScores, person_id: int) -> PersonScore | None:
    return next((s for s in scores if s.person.pk == person_id), None)

"""Each person's IT-application score for a year, from the person-level indicators of the
criteria set issued for that year, measured from what the product holds: certificates
against the competency standard, training records (reporting.sources), the imported mail
statistics and the audit trail.

The scores are computed for everyone at once, whatever the page shows: an indicator
scored "ratio to the best" needs the best person of the Committee, and the rank is the
Committee's. The query count is fixed (about 12), whatever the number of people, and the
Python work is done once per distinct combination of inputs (thousands of people share a
few dozen), not once per person; the rows carry ids, and a page loads only the people it
shows (`with_people`).

The grade: the person-level indicators have their own maximum (not the unit ranking's
100 points), so a person's points are scaled to 100 (points × 100 / maximum, rounded half
up to two decimals) and graded by the criteria set's bands. Equal scaled scores share a
rank (1, 1, 3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from organisation.models import Person, Unit
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


@dataclass(frozen=True, eq=False)
class Result:
    """The score of one combination of measured values: everyone measured the same
    shares it (thousands of people share a few combinations), so it compares and hashes
    by identity."""

    lines: tuple[Line, ...]
    points: Decimal
    score: Decimal  # points scaled to 100
    grade: str


@dataclass(slots=True)
class PersonScore:
    """One person's score and rank. `person` is only loaded for the rows a page shows
    (`with_people`); `unit` is set by the page that shows it."""

    person_id: int
    unit_id: int
    result: Result
    maximum: Decimal
    rank: int = 0
    person: Person | None = None
    unit: Unit | None = None

    @property
    def lines(self) -> tuple[Line, ...]:
        return self.result.lines

    @property
    def points(self) -> Decimal:
        return self.result.points

    @property
    def score(self) -> Decimal:
        return self.result.score

    @property
    def grade(self) -> str:
        return self.result.grade

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


def _competency_value(found: competency.Standing) -> tuple[Decimal | None, int]:
    """(share of the required modules held, advanced modules held)."""
    if found.status in (competency.NO_STANDARD, competency.NO_GROUP):
        share = None  # the requirement is unknown: no data
    elif not found.required:
        share = Decimal(1)  # nothing required: nothing missing
    else:
        share = Decimal(len(found.held_required)) / Decimal(len(found.required))
    return share, sum(1 for code in found.held if code not in BASIC_MODULES)


def _mail_values(mail_import: MailImport | None) -> dict[int, tuple[int, Decimal]]:
    """{person id: (used: 1/0, messages per week)}; people absent from the import did
    not use their mailbox in the period (0, 0). People with the same figures share one
    pair, computed once."""
    if mail_import is None:
        return {}
    days = (mail_import.period_end - mail_import.period_start).days + 1
    weeks = Decimal(days) / Decimal(7)
    shared: dict[tuple[bool, int], tuple[int, Decimal]] = {}
    result = {}
    rows = MailAccountStat.objects.filter(mail_import=mail_import).values_list(
        "person_id", "last_sign_in", "messages_sent"
    )
    for person_id, last_sign_in, sent in rows:
        key = (last_sign_in is not None and last_sign_in >= mail_import.period_start, sent)
        if key not in shared:
            shared[key] = (int(key[0] and sent > 0), _quantize(Decimal(sent) / weeks))
        result[person_id] = shared[key]
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
    rows.sort(key=lambda r: r.result.score, reverse=True)
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.result.score != previous:
            rank, previous = position, row.result.score
        row.rank = rank


# What a person's figures are made of, per source: the key of the combinations scored.
Inputs = tuple[
    tuple[Decimal | None, int],  # competency: share, advanced modules
    tuple[int, int] | None,  # training: courses attended, passed (None: no provider)
    tuple[int, Decimal] | None,  # mail: used, messages per week (None: no import)
    tuple[int, int],  # audit trail: events, events on documents
]
NO_SKILLS = (None, 0)
NO_COURSES = (0, 0)
NO_MAIL = (0, Decimal("0.00"))  # as a person in the import who sent nothing
NO_USE = (0, 0)


def _value(measure: str, inputs: Inputs) -> Decimal | int | None:
    skills, training, mail, use = inputs
    if measure == Measure.COMPETENCY_SHARE:
        return skills[0]
    if measure == Measure.ADVANCED_MODULES:
        return skills[1]
    if measure in (Measure.COURSES_ATTENDED, Measure.COURSES_PASSED):
        if training is None:
            return None
        return training[0] if measure == Measure.COURSES_ATTENDED else training[1]
    if measure in (Measure.MAIL_USED, Measure.MAIL_MESSAGES_PER_WEEK):
        if mail is None:
            return None
        return mail[0] if measure == Measure.MAIL_USED else mail[1]
    if measure == Measure.DOCUMENT_ACTIONS:
        return use[1]
    if measure == Measure.DOCUMENT_SYSTEM_USED:
        return int(use[0] > 0)
    return None


def _inputs(year: int, result: PersonScores) -> tuple[list[tuple[int, int]], dict[int, Inputs]]:
    """The ranked people (id, unit id) in staff-list order, and each one's inputs: a
    fixed number of queries, and one shared tuple per distinct figure of each source."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    people = Person.objects.filter(unit__isnull=False, is_active=True)
    ranked = list(people.order_by("sort_key", "username", "pk").values_list("pk", "unit_id"))
    standings = competency.compliance_by_person(people, in_force(end))
    skills = {found: _competency_value(found) for found in set(standings.values())}
    training = sources.figures(sources.TRAINING_COURSES_BY_PERSON, start=start, end=end)
    courses = {}
    if training is not None:
        shared: dict[tuple[int, int], tuple[int, int]] = {}
        for person_id, counts in training.items():
            pair = (int(counts.get("courses_attended", 0)), int(counts.get("courses_passed", 0)))
            courses[person_id] = shared.setdefault(pair, pair)
    result.mail_import = mail_import_for(year)
    mail = _mail_values(result.mail_import)
    use = _audit_values(start, end)
    has_training, has_mail = training is not None, result.mail_import is not None
    inputs = {}
    for person_id, _unit_id in ranked:
        found = standings.get(person_id)
        inputs[person_id] = (
            NO_SKILLS if found is None else skills[found],
            courses.get(person_id, NO_COURSES) if has_training else None,
            mail.get(person_id, NO_MAIL) if has_mail else None,
            use.get(person_id, NO_USE),
        )
    return ranked, inputs


def person_scores(year: int, unit_ids: Iterable[int] | None = None) -> PersonScores:
    """Every active person of every unit, scored for `year` from the criteria set issued
    for it (none issued: no rows), best first and ranked across the Committee; only the
    people of `unit_ids` when given (their ranks stay the Committee's).

    Each distinct combination of inputs is scored once, however many people share it,
    and the rows carry person and unit ids only: `with_people` loads the people of the
    rows a page shows."""
    result = PersonScores()
    result.year, result.indicators, result.mail_import = year, [], None
    result.criteria = issued_criteria(year)
    result.training_available = sources.available(sources.TRAINING_COURSES_BY_PERSON)
    if result.criteria is None:
        return result
    indicators = person_indicators(result.criteria)
    result.indicators = indicators
    measures = dict(IndicatorMeasure.objects.values_list("indicator_code", "measure"))
    linked = [(i, measures.get(i.code, "")) for i in indicators]
    ranked, inputs = _inputs(year, result)

    combinations = set(inputs.values())
    values = {key: [_value(measure, key) for _i, measure in linked] for key in combinations}
    # "Ratio to the best" needs the best of everyone: the best of the combinations.
    best = [
        max((v[n] for v in values.values() if v[n] is not None), default=None)
        for n in range(len(linked))
    ]
    maximum = sum((i.max_points for i in indicators), Decimal(0))
    bands = result.criteria.grade_bands
    points_memo: dict[tuple[int, Decimal | int | None], Decimal] = {}

    def points_for(n: int, measured: Decimal | int | None) -> Decimal:
        if (n, measured) not in points_memo:
            indicator = linked[n][0]
            points_memo[(n, measured)] = scoring.score(
                indicator.method,
                indicator.params,
                indicator.max_points,
                measured,
                best=best[n],
            )
        return points_memo[(n, measured)]

    results = {}
    for key, measured in values.items():
        lines = tuple(
            Line(i, measure, measured[n], points_for(n, measured[n]))
            for n, (i, measure) in enumerate(linked)
        )
        points = sum((line.points for line in lines), Decimal(0))
        scaled = _quantize(points * HUNDRED / maximum) if maximum else Decimal(0)
        results[key] = Result(lines, points, scaled, scoring.grade(scaled, bands))

    scored = [
        PersonScore(person_id, unit_id, results[inputs[person_id]], maximum)
        for person_id, unit_id in ranked
    ]
    _rank(scored)
    if unit_ids is not None:
        wanted = set(unit_ids)
        scored = [s for s in scored if s.unit_id in wanted]
    result.extend(scored)
    return result


def score_of(scores: PersonScores, person_id: int) -> PersonScore | None:
    return next((s for s in scores if s.person_id == person_id), None)


def with_people(rows: Iterable[PersonScore]) -> list[PersonScore]:
    """The rows, each with its `person` (only the fields a row shows): one query for
    all of them (a page's worth)."""
    rows = list(rows)
    people = Person.objects.filter(pk__in=[r.person_id for r in rows]).only(
        *competency.PERSON_FIELDS
    )
    by_pk = {p.pk: p for p in people}
    for row in rows:
        row.person = by_pk.get(row.person_id)
    return rows


@dataclass
class UnitScores:
    """A unit's people ranked, the average of their scores and how many got each grade."""

    unit: Unit | None  # None: the whole Committee
    people: int = 0
    total: Decimal = Decimal(0)
    grades: dict[str, int] = field(default_factory=lambda: dict.fromkeys(scoring.GRADES, 0))
    first_page: int | None = None  # the page of everyone's list where the unit starts

    @property
    def average(self) -> Decimal | None:
        return _quantize(self.total / self.people) if self.people else None

    @property
    def grade_counts(self) -> list[int]:
        """The counts in the order of scoring.GRADES (best first)."""
        return [self.grades[g] for g in scoring.GRADES]

    def add(self, people: int, total: Decimal, grades: dict[str, int]) -> None:
        self.people += people
        self.total += total
        for grade, count in grades.items():
            self.grades[grade] = self.grades.get(grade, 0) + count


class UnitsTable(list):
    """One UnitScores per unit, in the units' order, with `overall`: the Committee's."""

    overall: UnitScores


def units_table(scores: Iterable[PersonScore], units: Iterable[Unit]) -> UnitsTable:
    """Every unit's figures from the scores (no query): each unit of `units`, with
    nobody ranked too, and the Committee's over all the scores."""
    table = UnitsTable(UnitScores(u) for u in units)
    table.overall = UnitScores(None)
    # Counted by (unit, result): people of a unit share a few results.
    counts = Counter((s.unit_id, s.result) for s in scores)
    by_unit = {line.unit.pk: line for line in table}
    for (unit_id, result), people in counts.items():
        figures = (people, result.score * people, {result.grade: people})
        table.overall.add(*figures)
        if unit_id in by_unit:
            by_unit[unit_id].add(*figures)
    return table

"""Who complies with the competency standard in force: the modules each person must hold
(from their position group's requirement), the ones their certificates cover, and the gap.

Every list is computed in Python from a fixed number of queries — the requirements of the
standard with their modules, the people with their position group, and the pairs
(person, module) their certificates cover — so a unit of 2,000 people costs what a unit
of 20 does."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from organisation.models import Person, Unit
from organisation.text import fold

from .models import BASIC_MODULES, Certificate, Membership, PositionGroup, Requirement, Standard
from .services import in_force

# A person's status under the standard in force.
NO_STANDARD = "no_standard"  # no standard is in force
NO_GROUP = "no_group"  # the person is in no position group: their requirement is unknown
NOT_REQUIRED = "not_required"  # their group has no requirement under this standard
COMPLIANT = "compliant"  # required modules all held
GAP = "gap"  # some required modules missing

NO_GROUP_FILTER = "-"  # the value of the group filter that picks people without a group

STATUS_LABELS = {
    NO_STANDARD: _("No standard in force"),
    NO_GROUP: _("No position group"),
    NOT_REQUIRED: _("Nothing required"),
    COMPLIANT: _("Compliant"),
    GAP: _("Not compliant"),
}


IN_FORCE = object()  # the default of the selectors' `standard`: the one in force today


def _standard(standard):
    if standard is IN_FORCE:
        return in_force()
    return standard


def required_modules(level: str, advanced_codes: Iterable[str] = ()) -> frozenset[str]:
    """basic: IU01–IU06; advanced: IU01–IU06 and the requirement's advanced modules;
    none (or anything else): nothing."""
    if level == Requirement.Level.BASIC:
        return frozenset(BASIC_MODULES)
    if level == Requirement.Level.ADVANCED:
        return frozenset(BASIC_MODULES) | frozenset(advanced_codes)
    return frozenset()


@dataclass(frozen=True)
class GroupRequirement:
    level: str
    modules: frozenset[str]


def requirements_by_group(standard: Standard | None) -> dict[int, GroupRequirement]:
    """{position group id: its requirement} under the standard (2 queries)."""
    if standard is None:
        return {}
    rows = Requirement.objects.filter(standard=standard).prefetch_related("advanced_modules")
    return {
        r.group_id: GroupRequirement(
            r.level, required_modules(r.level, (m.code for m in r.advanced_modules.all()))
        )
        for r in rows
    }


@dataclass
class Compliance:
    person: Person
    group: PositionGroup | None
    level: str  # the requirement's level; "" without a standard or a group
    required: list[str]
    held: list[str]
    gap: list[str]
    status: str
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def subject(self) -> bool:
        """Counted in the unit's share: the person's group requires something."""
        return self.status in (COMPLIANT, GAP)

    @property
    def compliant(self) -> bool | None:
        """True when nothing required is missing; None when it cannot be said (no standard
        in force, or no position group)."""
        if self.status in (NO_STANDARD, NO_GROUP):
            return None
        return self.status != GAP

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def level_label(self) -> str:
        return str(Requirement.Level(self.level).label) if self.level else ""

    @property
    def held_required(self) -> list[str]:
        required = set(self.required)
        return [c for c in self.held if c in required]


@dataclass(frozen=True)
class Standing:
    """What a person must hold under a standard and what they hold, without the person:
    people of the same position group holding the same modules share one."""

    level: str  # the requirement's level; "" without a standard or a group
    required: frozenset[str]
    held: frozenset[str]
    status: str

    @property
    def gap(self) -> frozenset[str]:
        return self.required - self.held

    @property
    def held_required(self) -> frozenset[str]:
        return self.required & self.held


def standing(
    group_id: int | None,
    requirements: dict[int, GroupRequirement],
    held: frozenset[str],
    standard: Standard | None,
) -> Standing:
    if standard is None:
        return Standing("", frozenset(), held, NO_STANDARD)
    if group_id is None:
        return Standing("", frozenset(), held, NO_GROUP)
    requirement = requirements.get(group_id)
    if requirement is None or not requirement.modules:
        level = requirement.level if requirement else Requirement.Level.NONE.value
        return Standing(level, frozenset(), held, NOT_REQUIRED)
    gap = requirement.modules - held
    return Standing(requirement.level, requirement.modules, held, GAP if gap else COMPLIANT)


def _compliance(person, group, requirements, held: set[str], standard) -> Compliance:
    found = standing(group.pk if group else None, requirements, frozenset(held), standard)
    return Compliance(
        person,
        group,
        found.level,
        sorted(found.required),
        sorted(held),
        sorted(found.gap),
        found.status,
    )


def person_compliance(person: Person, standard: Standard | None | object = IN_FORCE) -> Compliance:
    """One person's requirement, modules held, gap and certificates (newest first).
    Without `standard`, the one in force today; None: no standard."""
    standard = _standard(standard)
    membership = Membership.objects.select_related("group").filter(person=person).first()
    group = membership.group if membership else None
    requirements = {}
    if standard is not None and group is not None:
        requirements = requirements_by_group(standard)
    certificates = list(
        Certificate.objects.filter(person=person)
        .prefetch_related("modules")
        .order_by("-issued_on", "-pk")
    )
    held = {m.code for c in certificates for m in c.modules.all()}
    result = _compliance(person, group, requirements, held, standard)
    result.certificates = certificates
    return result


def _held_by_person(people: QuerySet[Person]) -> dict[int, set[str]]:
    """{person id: module codes their certificates cover}, in one query (a join, not a
    list of ids, however many people)."""
    through = Certificate.modules.through
    held: dict[int, set[str]] = defaultdict(set)
    rows = through.objects.filter(certificate__person__in=people.values("pk")).values_list(
        "certificate__person_id", "module__code"
    )
    for person_id, code in rows:
        held[person_id].add(code)
    return held


# What a row needs of a person (the rest, e.g. password and dates, is not loaded).
PERSON_FIELDS = (
    "id",
    "username",
    "full_name",
    "first_name",
    "last_name",
    "unit_id",
    "search_folded",
)


def compliance_rows(
    people: QuerySet[Person], standard: Standard | None, *, unit: Unit | None = None
) -> list[Compliance]:
    """A row for each active person of the queryset, in the order of Vietnamese staff
    lists (by given name, then the rest: Person.sort_key, the same on every database;
    "Đào" before "Đặng", both after every "D"): 5 queries, whatever the number of
    people. Only the fields a row shows are loaded; `person.unit` is set when `unit`
    is given (every person then belongs to it), otherwise only `unit_id` is there."""
    requirements = requirements_by_group(standard)
    groups = {g.pk: g for g in PositionGroup.objects.all()}
    active = people.filter(is_active=True)
    held = _held_by_person(active)
    rows = list(
        active.only(*PERSON_FIELDS)
        .annotate(position_group_id=F("position_group_link__group_id"))
        .order_by("sort_key", "username", "pk")
    )
    result = []
    for p in rows:
        if unit is not None:
            p.unit = unit
        group = groups.get(p.position_group_id)
        result.append(_compliance(p, group, requirements, held.get(p.pk, set()), standard))
    return result


def compliance_by_person(
    people: QuerySet[Person], standard: Standard | None | object = IN_FORCE
) -> dict[int, Standing]:
    """{person id: their Standing} for every active person of the queryset, in one pass
    over plain values (no Person instances): 4 queries (5 to find the standard in force),
    whatever the number of people. People of the same position group holding the same
    modules share one Standing, computed once."""
    standard = _standard(standard)
    requirements = requirements_by_group(standard)
    active = people.filter(is_active=True)
    held = _held_by_person(active)
    shared: dict[tuple[int | None, frozenset[str]], Standing] = {}
    result = {}
    for pk, group_id in active.values_list("pk", "position_group_link__group_id"):
        key = (group_id, frozenset(held.get(pk, ())))
        if key not in shared:
            shared[key] = standing(group_id, requirements, key[1], standard)
        result[pk] = shared[key]
    return result


@dataclass
class Totals:
    people: int = 0
    no_group: int = 0
    not_required: int = 0
    subject: int = 0
    compliant: int = 0

    @property
    def gap(self) -> int:
        return self.subject - self.compliant

    @property
    def share(self) -> float | None:
        """Compliant people among those whose group requires something (0–1)."""
        return self.compliant / self.subject if self.subject else None

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 1)

    def add(self, row: Compliance) -> None:
        self.people += 1
        self.no_group += row.status == NO_GROUP
        self.not_required += row.status == NOT_REQUIRED
        self.subject += row.subject
        self.compliant += row.status == COMPLIANT


def totals(rows: Iterable[Compliance]) -> Totals:
    result = Totals()
    for row in rows:
        result.add(row)
    return result


class ComplianceRows(list):
    """The rows of a unit (a list of Compliance), with `totals`: the whole unit's counts,
    before any filter."""

    totals: Totals


def unit_compliance(
    unit: Unit,
    standard: Standard | None | object = IN_FORCE,
    *,
    group: str | PositionGroup | None = "",
    compliant: str | bool | None = "",
    q: str = "",
) -> ComplianceRows:
    """A row for every active person of the unit, those without a position group
    included (status NO_GROUP), filtered by position group (a code, or NO_GROUP_FILTER
    for people without one), compliant ("yes"/True or "no"/False) and a name search
    (accents and case ignored). 5 queries (6 to find the standard in force), whatever
    the number of people."""
    standard = _standard(standard)
    rows = compliance_rows(Person.objects.filter(unit=unit), standard, unit=unit)
    unit_totals = totals(rows)
    code = getattr(group, "code", group)
    if code == NO_GROUP_FILTER:
        rows = [r for r in rows if r.group is None]
    elif code:
        rows = [r for r in rows if r.group is not None and r.group.code == code]
    if compliant in ("yes", True):
        rows = [r for r in rows if r.compliant is True]
    elif compliant in ("no", False):
        rows = [r for r in rows if r.compliant is False]
    words = fold(q).split()
    if words:
        rows = [r for r in rows if all(w in r.person.search_folded for w in words)]
    result = ComplianceRows(rows)
    result.totals = unit_totals
    return result


@dataclass
class UnitSummary:
    unit: Unit | None  # None: people without a unit
    totals: Totals

    @property
    def people(self) -> int:
        return self.totals.people

    @property
    def subject(self) -> int:
        return self.totals.subject

    @property
    def compliant(self) -> int:
        return self.totals.compliant

    @property
    def share(self) -> float | None:
        return self.totals.share


class UnitsSummary(list):
    """One UnitSummary per unit (and one for people without a unit, if any), with
    `overall`: the whole Committee's counts."""

    overall: Totals


def units_summary(standard: Standard | None | object = IN_FORCE) -> UnitsSummary:
    """Each unit's counts and share of compliant staff (among the people whose position
    group the standard requires something of), and the Committee's: 6 queries (7 to
    find the standard in force)."""
    standard = _standard(standard)
    units = list(Unit.objects.all())  # in their display order, then Vietnamese order
    by_unit: dict[int | None, Totals] = {u.pk: Totals() for u in units}
    overall = Totals()
    for row in compliance_rows(Person.objects.all(), standard):
        by_unit.setdefault(row.person.unit_id, Totals()).add(row)
        overall.add(row)
    summary = UnitsSummary(UnitSummary(u, by_unit[u.pk]) for u in units)
    if None in by_unit:
        summary.append(UnitSummary(None, by_unit[None]))
    summary.overall = overall
    return summary


def compliance_deadline(standard: Standard | None) -> dt.date | None:
    """The effective date plus the months the standard allows to comply."""
    if standard is None or standard.effective_date is None:
        return None
    start = standard.effective_date
    months = start.month - 1 + standard.months_to_comply
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)

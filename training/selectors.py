"""What the training pages and the reports read: who may see which course, the gaps
against the standard in force by module (by unit and position group, and whom to
invite), each course's summary, and the figures per unit and per person the reports
read through reporting.sources. Pages and providers share `outcomes`, so one figure is
computed in one place; every function costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from organisation.models import Person, Unit
from standards import selectors as compliance
from standards.models import Certificate, Module, PositionGroup
from standards.services import in_force

from .models import Attendance, Course, Enrolment
from .services import headed_unit_ids, is_organiser

ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.WAITING)


def sees_training(user) -> bool:
    """The menu entry: organisers, unit heads and trainers."""
    if not user.is_authenticated:
        return False
    if is_organiser(user) or headed_unit_ids(user):
        return True
    trains = getattr(user, "_trains_courses", None)
    if trains is None:
        trains = user._trains_courses = Course.objects.filter(trainers=user).exists()
    return trains


def visible_courses(user) -> QuerySet[Course]:
    """Organisers and unit heads (who nominate) see every course; others the ones they
    train or are enrolled in."""
    courses = Course.objects.all()
    if is_organiser(user) or headed_unit_ids(user):
        return courses
    return courses.filter(Q(trainers=user) | Q(enrolments__person=user)).distinct()


def course_list(user) -> list[Course]:
    return list(
        visible_courses(user)
        .annotate(
            seated=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)),
            waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING)),
        )
        .prefetch_related("modules")
        .order_by("-starts_on", "-pk")
    )


# --- Gaps against the standard in force ---------------------------------------------


@dataclass
class ModuleGap:
    module: Module
    lacking: int = 0
    by_unit: dict = field(default_factory=dict)  # Unit (or None) -> count
    by_group: dict = field(default_factory=dict)  # PositionGroup -> count
    proposed: list = field(default_factory=list)  # people to invite (not yet enrolled)


def _planned_modules_by_person() -> dict[int, set[str]]:
    """{person id: modules of the open courses they are enrolled or waiting in}."""
    result: dict[int, set[str]] = defaultdict(set)
    rows = Course.modules.through.objects.filter(
        course__status=Course.Status.PLANNED,
        course__enrolments__status__in=ACTIVE,
    ).values_list("course__enrolments__person_id", "module__code")
    for person_id, code in rows:
        result[person_id].add(code)
    return result


def gaps(standard=compliance.IN_FORCE, *, unit_ids: Iterable[int] | None = None):
    """For each module someone lacks under the standard: how many, by unit and by position
    group, and the people to invite (those not already in an open course teaching it)."""
    standard = in_force() if standard is compliance.IN_FORCE else standard
    people = Person.objects.all()
    if unit_ids is not None:
        people = people.filter(unit_id__in=list(unit_ids))
    rows = compliance.compliance_rows(people, standard)
    units = {u.pk: u for u in Unit.objects.all()}
    modules = {m.code: m for m in Module.objects.all()}
    planned = _planned_modules_by_person()
    result: dict[str, ModuleGap] = {}
    for row in rows:
        unit = units.get(row.person.unit_id)
        row.person.unit = unit
        for code in row.gap:
            gap = result.setdefault(code, ModuleGap(modules[code]))
            gap.lacking += 1
            gap.by_unit[unit] = gap.by_unit.get(unit, 0) + 1
            gap.by_group[row.group] = gap.by_group.get(row.group, 0) + 1
            if code not in planned.get(row.person.pk, ()):
                gap.proposed.append(row.person)
    return [result[c] for c in sorted(result)]


def gap_for(module_code: str) -> ModuleGap | None:
    return next((g for g in gaps() if g.module.code == module_code), None)


# --- Outcomes of courses: the one computation pages and reports share -----------------


@dataclass
class Outcome:
    enrolment: Enrolment
    unit_id: int | None
    attended: bool  # present at one session at least
    gained: frozenset[str]  # modules the course gave that no other certificate covers
    closed: frozenset[str]  # of those, the ones the standard required of the person


def outcomes(enrolments: QuerySet[Enrolment], standard=compliance.IN_FORCE) -> list[Outcome]:
    """Each seated enrolment's attendance, modules gained and gaps closed (5 queries)."""
    standard = in_force() if standard is compliance.IN_FORCE else standard
    seated = list(
        enrolments.filter(status=Enrolment.Status.ENROLLED).select_related("person", "course")
    )
    if not seated:
        return []
    ids = [e.pk for e in seated]
    person_ids = {e.person_id for e in seated}
    course_modules: dict[int, set[str]] = defaultdict(set)
    for course_id, code in Course.modules.through.objects.filter(
        course__enrolments__in=ids
    ).values_list("course_id", "module__code"):
        course_modules[course_id].add(code)
    present = set(
        Attendance.objects.filter(enrolment__in=ids, present=True).values_list(
            "enrolment_id", flat=True
        )
    )
    # Modules each person holds from certificates other than the course's own.
    other: dict[int, set[str]] = defaultdict(set)
    for person_id, code, cert_id in Certificate.modules.through.objects.filter(
        certificate__person__in=person_ids
    ).values_list("certificate__person_id", "module__code", "certificate_id"):
        other[person_id].add((code, cert_id))
    groups = dict(
        Person.objects.filter(pk__in=person_ids).values_list("pk", "position_group_link__group_id")
    )
    requirements = compliance.requirements_by_group(standard)
    result = []
    for e in seated:
        gained: frozenset[str] = frozenset()
        if e.result == Enrolment.Result.PASSED:
            elsewhere = {c for c, cert in other[e.person_id] if cert != e.certificate_id}
            gained = frozenset(course_modules[e.course_id] - elsewhere)
        requirement = requirements.get(groups.get(e.person_id))
        required = requirement.modules if requirement else frozenset()
        result.append(Outcome(e, e.person.unit_id, e.pk in present, gained, gained & required))
    return result


@dataclass
class UnitLine:
    unit: Unit | None
    seated: int = 0
    attended: int = 0
    passed: int = 0
    modules_gained: int = 0
    gaps_closed: int = 0


@dataclass
class Summary:
    course: Course
    seated: int
    results: int
    passed: int
    attendance_rate: float | None  # present / (seated × sessions), 0–100
    pass_rate: float | None  # passed / results, 0–100
    units: list[UnitLine]

    @property
    def gaps_closed(self) -> int:
        return sum(u.gaps_closed for u in self.units)


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def course_summary(course: Course) -> Summary:
    found = outcomes(Enrolment.objects.filter(course=course))
    sessions = course.sessions.count()
    present = Attendance.objects.filter(
        session__course=course, present=True, enrolment__status=Enrolment.Status.ENROLLED
    ).count()
    units = {u.pk: u for u in Unit.objects.all()}
    lines: dict[int | None, UnitLine] = {}
    for o in found:
        line = lines.setdefault(o.unit_id, UnitLine(units.get(o.unit_id)))
        line.seated += 1
        line.attended += o.attended
        line.passed += o.enrolment.result == Enrolment.Result.PASSED
        line.modules_gained += len(o.gained)
        line.gaps_closed += len(o.closed)
    results = sum(1 for o in found if o.enrolment.result)
    passed = sum(1 for o in found if o.enrolment.result == Enrolment.Result.PASSED)
    ordered = sorted(
        lines.values(),
        key=lambda u: (
            u.unit is None,
            getattr(u.unit, "sort_order", 0),
            getattr(u.unit, "code", ""),
        ),
    )
    return Summary(
        course,
        len(found),
        results,
        passed,
        _percent(present, len(found) * sessions),
        _percent(passed, results),
        ordered,
    )


def course_detail(course: Course) -> dict:
    """The course's enrolments (seated, waiting, withdrawn) with their attendance, and its
    sessions: a fixed number of queries."""
    enrolments = list(
        course.enrolments.select_related("person__unit", "nominated_by").prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.all())
        )
    )
    for e in enrolments:
        e.present_sessions = {a.session_id for a in e.attendance.all() if a.present}
    return {
        "sessions": list(course.sessions.all()),
        "seated": [e for e in enrolments if e.status == Enrolment.Status.ENROLLED],
        "waiting": [e for e in enrolments if e.status == Enrolment.Status.WAITING],
        "withdrawn": [e for e in enrolments if e.status == Enrolment.Status.WITHDRAWN],
        "modules": list(course.modules.all()),
        "trainers": list(course.trainers.all()),
    }


def person_courses(person) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(person=person)
        .select_related("course")
        .prefetch_related("course__modules", "course__sessions")
        .order_by("-course__starts_on", "-pk")
    )


# --- The figures the reports read (reporting.sources) ---------------------------------


def _closed_in(start: dt.date | None, end: dt.date | None) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(course__status=Course.Status.CLOSED)
    if start is not None:
        enrolments = enrolments.filter(course__closed_on__gte=start)
    if end is not None:
        enrolments = enrolments.filter(course__closed_on__lte=end)
    return enrolments


def training_by_unit(*, start=None, end=None, unit_ids=None, **_ignored) -> dict[int, dict]:
    """{unit id: people_trained (passed), modules_gained, gaps_closed, courses} for the
    courses closed in [start, end]."""
    enrolments = _closed_in(start, end)
    if unit_ids is not None:
        enrolments = enrolments.filter(person__unit_id__in=list(unit_ids))
    people: dict[int, set[int]] = defaultdict(set)
    courses: dict[int, set[int]] = defaultdict(set)
    result: dict[int, dict] = {}
    for o in outcomes(enrolments):
        if o.unit_id is None:
            continue
        line = result.setdefault(
            o.unit_id, {"people_trained": 0, "modules_gained": 0, "gaps_closed": 0, "courses": 0}
        )
        courses[o.unit_id].add(o.enrolment.course_id)
        if o.enrolment.result == Enrolment.Result.PASSED:
            people[o.unit_id].add(o.enrolment.person_id)
        line["modules_gained"] += len(o.gained)
        line["gaps_closed"] += len(o.closed)
    for unit_id, line in result.items():
        line["people_trained"] = len(people[unit_id])
        line["courses"] = len(courses[unit_id])
    return result


def training_by_person(
    *, start=None, end=None, person_ids=None, unit_ids=None, **_ignored
) -> dict[int, dict]:
    """{person id: courses_attended, courses_passed, modules_gained} for the courses
    closed in [start, end]."""
    enrolments = _closed_in(start, end)
    if person_ids is not None:
        enrolments = enrolments.filter(person_id__in=list(person_ids))
    if unit_ids is not None:
        enrolments = enrolments.filter(person__unit_id__in=list(unit_ids))
    result: dict[int, dict] = {}
    for o in outcomes(enrolments):
        line = result.setdefault(
            o.enrolment.person_id,
            {"courses_attended": 0, "courses_passed": 0, "modules_gained": 0},
        )
        line["courses_attended"] += o.attended
        line["courses_passed"] += o.enrolment.result == Enrolment.Result.PASSED
        line["modules_gained"] += len(o.gained)
    return result


def courses_by_person(*, start=None, end=None, **_ignored) -> dict[int, dict]:
    """{person id: courses_attended, courses_passed} for the courses closed in [start,
    end]: one grouped query, whatever the number of people. A course is attended when
    the person, seated, was present at one of its sessions at least (as `outcomes`
    counts it)."""
    present = Attendance.objects.filter(enrolment=OuterRef("pk"), present=True)
    rows = (
        _closed_in(start, end)
        .filter(status=Enrolment.Status.ENROLLED)
        .values("person_id")
        .annotate(
            attended=Count("pk", filter=Q(Exists(present))),
            passed=Count("pk", filter=Q(result=Enrolment.Result.PASSED)),
        )
        .order_by()
    )
    return {
        r["person_id"]: {"courses_attended": r["attended"], "courses_passed": r["passed"]}
        for r in rows
    }


def position_groups() -> list[PositionGroup]:
    return list(PositionGroup.objects.all())

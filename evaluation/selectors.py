"""Reading the evaluation: who may see what, and the ranking. The ranking is computed in a
fixed number of queries whatever the number of units and indicators, with
reporting.scoring: normalised-to-best is taken across all units (a best of 0 scores 0),
points are rounded half up to 2 decimals per indicator (scoring.score), the total is the
sum of those rounded points, the grade is read on that total, and equal totals share a
rank (1, 1, 3: standard competition ranking), listed by unit code among themselves."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from organisation.models import Unit
from reporting import scoring
from reporting.models import Indicator
from workflows.exceptions import ActionForbidden, NotInScope

from .models import Evaluation, SelfAssessment, Value

RUN = "organisation.run_it_evaluation"
VIEW = "organisation.view_it_reports"
REMARK = "organisation.remark_on_ranking"


def is_centre(user) -> bool:
    return user.has_perm(RUN)


def is_council(user) -> bool:
    return user.has_perm(VIEW)


def can_fill(user, assessment: SelfAssessment) -> bool:
    """The unit's head, or the person the head appointed."""
    head_id = assessment.unit.head_id
    return user.pk is not None and user.pk in (head_id, assessment.filler_id)


def assessment_for(user, pk: int, *, fill: bool = False) -> SelfAssessment:
    """The self-assessment `pk` as `user` may reach it: the Centre and the Council see
    every unit's; a unit's own people see only their unit's (404 for another unit's);
    `fill` asks for the right to fill it in (403 for a unit member who may only read)."""
    assessment = (
        SelfAssessment.objects.select_related("unit", "evaluation", "unit__head")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise NotInScope
    own = user.unit_id == assessment.unit_id or can_fill(user, assessment)
    if fill:
        if not own:
            raise NotInScope
        if not can_fill(user, assessment):
            raise ActionForbidden
        return assessment
    if not (own or is_centre(user) or is_council(user)):
        raise NotInScope
    return assessment


def unit_indicators(evaluation: Evaluation) -> list[Indicator]:
    return list(
        Indicator.objects.filter(group__criteria_set=evaluation.criteria)
        .exclude(applies_to=Indicator.AppliesTo.PEOPLE)
        .select_related("group")
        .order_by("group__position", "position", "pk")
    )


def values_of(assessment: SelfAssessment) -> list[Value]:
    return list(
        assessment.values.select_related("indicator", "indicator__group").prefetch_related(
            "evidence"
        )
    )


def _text(number: Decimal) -> str:
    return f"{number.quantize(scoring.CENT):f}"


def compute(evaluation: Evaluation) -> dict[str, Any]:
    """The ranking as data (JSON-ready: points as "12.50" strings): 4 queries."""
    if evaluation.published is not None:
        return evaluation.published
    indicators = unit_indicators(evaluation)
    assessments = list(
        SelfAssessment.objects.filter(evaluation=evaluation)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=Value.objects.only(
                    "assessment_id", "indicator_id", "value", "appraised_value", "appraisal_reason"
                ),
            )
        )
    )
    finals: dict[int, dict[int, Decimal | None]] = {
        a.pk: ({v.indicator_id: v.final for v in a.values.all()} if a.submitted_on else {})
        for a in assessments
    }
    best: dict[int, Decimal] = {}
    for i in indicators:
        if i.method == scoring.NORMALISED:
            found = [f[i.pk] for f in finals.values() if f.get(i.pk) is not None]
            best[i.pk] = max(found, default=Decimal(0))
    bands = evaluation.criteria.grade_bands
    groups: dict[str, dict] = {}
    for i in indicators:
        g = groups.setdefault(
            i.group.code, {"code": i.group.code, "name": i.group.name, "max": Decimal(0)}
        )
        g["max"] += i.max_points
    rows = []
    for a in assessments:
        by_group: dict[str, Decimal] = defaultdict(Decimal)
        cells = []
        total = Decimal(0)
        for i in indicators:
            value = finals[a.pk].get(i.pk)
            points = scoring.score(i.method, i.params, i.max_points, value, best=best.get(i.pk))
            total += points
            by_group[i.group.code] += points
            cells.append(
                {
                    "code": i.code,
                    "group": i.group.code,
                    "value": None if value is None else f"{value.normalize():f}",
                    "points": _text(points),
                    "max": _text(i.max_points),
                    "lost": _text(i.max_points - points),
                }
            )
        rows.append(
            {
                "unit_id": a.unit_id,
                "assessment_id": a.pk,
                "code": a.unit.code,
                "name": a.unit.name_vi,
                "total": total,
                "grade": scoring.grade(total, bands),
                "late": a.late,
                "submitted": a.submitted_on.strftime("%d/%m/%Y") if a.submitted_on else "",
                "groups": [
                    {"code": c, "points": _text(by_group[c]), "max": _text(g["max"])}
                    for c, g in groups.items()
                ],
                "indicators": cells,
            }
        )
    rows.sort(key=lambda r: (-r["total"], r["code"]))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        row["rank"] = rank
        row["total"] = _text(row["total"])
    return {
        "year": evaluation.year,
        "groups": [{**g, "max": _text(g["max"])} for g in groups.values()],
        "indicators": [
            {"code": i.code, "name": i.name, "group": i.group.code, "max": _text(i.max_points)}
            for i in indicators
        ],
        "units": rows,
    }


def grade_distribution(ranking: dict[str, Any]) -> list[tuple[str, Any, int]]:
    counts = defaultdict(int)
    for row in ranking["units"]:
        counts[row["grade"]] += 1
    return [(code, label, counts[code]) for code, label in scoring.GRADES.items()]


def trend(unit_id: int | None = None) -> list[tuple[int, dict[str, str]]]:
    """Published rankings by year (one query): each unit's total, for the trend chart."""
    years = []
    for e in (
        Evaluation.objects.filter(published__isnull=False)
        .order_by("year")
        .only("year", "published")
    ):
        totals = {
            r["code"]: r["total"]
            for r in e.published["units"]
            if unit_id is None or r["unit_id"] == unit_id
        }
        years.append((e.year, totals))
    return years


def row_of(ranking: dict[str, Any], unit_id: int) -> dict | None:
    return next((r for r in ranking["units"] if r["unit_id"] == unit_id), None)


def units_to_assess():
    """Every unit of the Committee except the leadership itself (which does not
    self-assess): the Council and the Centre are units like the others."""
    return Unit.objects.exclude(code="LD")


class Progress:
    """A unit's place in the cycle, for the Centre's view."""

    def __init__(self, assessment: SelfAssessment, due, to_appraise: int):
        from worktime.calendar import today

        self.assessment = assessment
        self.unit = assessment.unit
        self.state = assessment.get_state_display()
        self.submitted_on = assessment.submitted_on
        self.late = assessment.late or (
            assessment.state == SelfAssessment.State.DRAFT and today() > due
        )
        self.to_appraise = to_appraise


def progress(evaluation: Evaluation) -> list[Progress]:
    """Every unit's progress: 1 query."""
    from django.db.models import Count, Q

    rows = (
        SelfAssessment.objects.filter(evaluation=evaluation)
        .select_related("unit")
        .annotate(to_appraise=Count("values", filter=Q(values__appraised=False)))
    )
    return [Progress(a, evaluation.self_due_on, a.to_appraise) for a in rows]

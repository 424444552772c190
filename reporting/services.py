"""Writing the ranking criteria set. The engine does locking, permission, versions and
audit; this module checks the content (codes, parameters per scoring method, grade
bands against the total points) and rewrites it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.text import clean
from workflows import services as engine
from workflows.exceptions import InvalidInput

from . import scoring
from .kinds import KIND
from .models import CriteriaGroup, CriteriaSet, Indicator, default_bands

MAX_GROUPS = 20
MAX_INDICATORS = 200


def default_title(year: int) -> str:
    return f"Bộ tiêu chí đánh giá, xếp hạng ứng dụng công nghệ thông tin năm {year}"


@dataclass
class GroupRow:
    code: str
    name: str


@dataclass
class IndicatorRow:
    group: str  # GroupRow.code
    code: str
    name: str
    unit_of_measure: str
    max_points: Decimal
    method: str
    params: dict[str, Any] = field(default_factory=dict)
    evidence_required: bool = False
    applies_to: str = Indicator.AppliesTo.UNITS


def _title_problems(title: str) -> list[str]:
    if not title:
        return [_("A criteria set needs a title.")]
    if len(title) > 500:
        return [_("The title may be at most 500 characters.")]
    return []


@engine.record_denials
def criteria_set_create(
    *, user, year: int | None = None, title: str = "", ip: str | None = None
) -> CriteriaSet:
    year = year or timezone.localdate().year
    title = clean(title) or default_title(year)
    problems = _title_problems(title)
    if problems:
        raise InvalidInput(problems=problems)
    with transaction.atomic():
        document = engine.document_create(user=user, kind=KIND, title=title, year=year, ip=ip)
        return CriteriaSet.objects.create(document=document, grade_bands=default_bands())


def _points(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def validate(
    *, groups: list[GroupRow], indicators: list[IndicatorRow], bands: list[dict]
) -> list[str]:
    problems: list[str] = []
    if len(groups) > MAX_GROUPS or len(indicators) > MAX_INDICATORS:
        problems.append(
            _("A criteria set has at most %(groups)d groups and %(indicators)d indicators.")
            % {"groups": MAX_GROUPS, "indicators": MAX_INDICATORS}
        )
    group_codes: set[str] = set()
    for g in groups:
        code, name = clean(g.code), clean(g.name)
        if not code or not name:
            problems.append(_("Each criteria group needs a code and a name."))
        elif code in group_codes:
            problems.append(_("The group code “%(code)s” appears twice.") % {"code": code})
        elif len(code) > 10 or len(name) > 300:
            problems.append(_("A group code has at most 10 characters, a name at most 300."))
        group_codes.add(code)
    codes: set[str] = set()
    total = Decimal(0)
    for i in indicators:
        code = clean(i.code)
        if not code or not clean(i.name) or not clean(i.unit_of_measure):
            problems.append(_("Each indicator needs a code, a name and a unit of measure."))
            continue
        if len(code) > 20 or len(i.name) > 500 or len(i.unit_of_measure) > 100:
            problems.append(
                _("“%(code)s”: a code has at most 20 characters, a name 500, a unit 100.")
                % {"code": code}
            )
        if code in codes:
            problems.append(_("The indicator code “%(code)s” appears twice.") % {"code": code})
        codes.add(code)
        if clean(i.group) not in group_codes:
            problems.append(
                _("“%(code)s”: choose one of this set's criteria groups.") % {"code": code}
            )
        if i.applies_to not in Indicator.AppliesTo.values:
            problems.append(_("“%(code)s”: say whom it applies to.") % {"code": code})
        maximum = _points(i.max_points)
        if maximum is None or not 0 < maximum <= 1000 or maximum != round(maximum, 2):
            problems.append(
                _(
                    "“%(code)s”: the maximum points are a number above 0, at most 1000, with at "
                    "most two decimals."
                )
                % {"code": code}
            )
            continue
        problems += [f"“{code}”: {p}" for p in scoring.problems(i.method, i.params or {}, maximum)]
        if i.applies_to != Indicator.AppliesTo.PEOPLE:
            total += maximum
    problems += scoring.band_problems(bands, total if total else None)
    return problems


@engine.record_denials
def criteria_set_update(
    *,
    user,
    document_id: int,
    version: int | None,
    title: str,
    groups: list[GroupRow],
    indicators: list[IndicatorRow],
    bands: list[dict],
    ip: str | None = None,
) -> CriteriaSet:
    """Replace the criteria set's content. The bands are checked against the total of
    the unit indicators' maximum points, so every unit score has a grade."""
    with engine.document_editing(
        user=user, document_id=document_id, version=version, ip=ip, what="content"
    ) as document:
        criteria = CriteriaSet.objects.get(document=document)
        title = clean(title)
        problems = _title_problems(title) + validate(
            groups=groups, indicators=indicators, bands=bands
        )
        if problems:
            raise InvalidInput(problems=problems)
        document.title = title
        criteria.grade_bands = [
            {"grade": b["grade"], "from": scoring_number(b["from"])} for b in bands
        ]
        criteria.save()
        criteria.groups.all().delete()
        saved = {
            clean(g.code): CriteriaGroup.objects.create(
                criteria_set=criteria, code=clean(g.code), name=clean(g.name), position=n
            )
            for n, g in enumerate(groups)
        }
        Indicator.objects.bulk_create(
            [
                Indicator(
                    group=saved[clean(i.group)],
                    code=clean(i.code),
                    name=clean(i.name),
                    unit_of_measure=clean(i.unit_of_measure),
                    max_points=_points(i.max_points),
                    method=i.method,
                    params=_json_params(i.params or {}),
                    evidence_required=bool(i.evidence_required),
                    applies_to=i.applies_to,
                    position=n,
                )
                for n, i in enumerate(indicators)
            ]
        )
        return criteria


def scoring_number(value: Any) -> int | float:
    """A number as JSON keeps it: whole numbers as int, others as float of 2 decimals."""
    number = _points(value) or Decimal(0)
    return int(number) if number == number.to_integral_value() else float(round(number, 2))


def _json_params(params: dict) -> dict:
    if "tiers" in params:
        return {
            "tiers": [
                {"from": scoring_number(t["from"]), "points": scoring_number(t["points"])}
                for t in params["tiers"]
            ]
        }
    return {k: scoring_number(v) for k, v in params.items()}

"""How the ranking criteria set plugs into the engine: the Information Centre drafts it,
the Planning Department reviews it (returns or endorses), the Minister issues it as a
decision numbered in the QĐ register. Registration alone: workflows/ is unchanged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workflows import kinds
from workflows.content import Column, Schema, Table

from . import scoring
from .models import CriteriaSet, Indicator

KIND = "ranking_criteria"

SCHEMA = Schema(
    tables=(
        Table(
            "groups",
            _("Criteria groups"),
            (Column("code", _("Code")), Column("name", _("Criteria group"))),
        ),
        Table(
            "indicators",
            _("Indicators"),
            (
                Column("code", _("Code")),
                Column("name", _("Indicator")),
                Column("group", _("Group")),
                Column("unit_of_measure", _("Unit of measure")),
                Column("max_points", _("Maximum points")),
                Column("method", _("Scoring method"), "choice", scoring.METHODS),
                Column("params", _("Parameters")),
                Column(
                    "evidence_required",
                    _("Evidence"),
                    "choice",
                    {"yes": _("Required"), "no": _("Not required")},
                ),
                Column("applies_to", _("Applies to"), "choice", dict(Indicator.AppliesTo.choices)),
            ),
        ),
        Table(
            "grades",
            _("Grade bands"),
            (
                Column("grade", _("Grade"), "choice", scoring.GRADES),
                Column("from", _("From (points)")),
            ),
        ),
    ),
)


def points_text(value: Any) -> str:
    """A number of points as the snapshot keeps it: no trailing zeros ("2.5", "10"), the
    same in every language, so the revision's hash does not depend on who looked."""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def params_text(method: str, params: dict) -> str:
    """The parameters in a language-neutral notation: "3" (yes), "1 × n ≤ 5" (capped
    count), "≥1: 2; ≥3: 4" (tiers)."""
    if method == scoring.YES_NO:
        return points_text(params["points"])
    if method == scoring.CAPPED_COUNT:
        return f"{points_text(params['per_item'])} × n ≤ {points_text(params['cap'])}"
    if method == scoring.TIERED:
        return "; ".join(
            f"≥{points_text(t['from'])}: {points_text(t['points'])}" for t in params["tiers"]
        )
    return ""


def snapshot(document) -> dict[str, Any]:
    criteria = CriteriaSet.objects.get(document=document)
    groups = list(criteria.groups.prefetch_related("indicators"))
    return {
        "title": document.title,
        "fields": {},
        "sections": {},
        "tables": {
            "groups": [{"uid": g.code, "code": g.code, "name": g.name} for g in groups],
            "indicators": [
                {
                    "uid": i.code,
                    "code": i.code,
                    "name": i.name,
                    "group": g.code,
                    "unit_of_measure": i.unit_of_measure,
                    "max_points": points_text(i.max_points),
                    "method": i.method,
                    "params": params_text(i.method, i.params),
                    "evidence_required": "yes" if i.evidence_required else "no",
                    "applies_to": i.applies_to,
                }
                for g in groups
                for i in g.indicators.all()
            ],
            "grades": [
                {"uid": b["grade"], "grade": b["grade"], "from": points_text(b["from"])}
                for b in criteria.grade_bands
            ],
        },
    }


def submission_problems(document) -> list[str]:
    criteria = CriteriaSet.objects.get(document=document)
    problems = []
    if not Indicator.objects.filter(group__criteria_set=criteria).exists():
        problems.append(gettext("Add at least one criteria group with its indicators."))
    empty = criteria.groups.filter(indicators__isnull=True).values_list("code", flat=True)
    problems += [
        gettext("The criteria group “%(code)s” has no indicator.") % {"code": code}
        for code in empty
    ]
    return problems


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            code=KIND,
            label=_("IT-application ranking criteria"),
            label_plural=_("Ranking criteria"),
            audit_prefix="reporting.criteria",
            drafting_unit="TTTT",
            reviewing_unit="KH",
            draft_permission="organisation.draft_it_plans",
            review_permission="organisation.review_it_plans",
            register="QĐ",
            print_type="QUYẾT ĐỊNH",
            schema=SCHEMA,
            snapshot=snapshot,
            detail_url_name="workflows:document",
            edit_url_name="reporting:edit",
            submission_problems=submission_problems,
            recipients=(
                "Như trên",
                "Hội đồng Thi đua - Khen thưởng",
                "Các Vụ, đơn vị thuộc Ủy ban",
                "Lưu: VT, TTTT",
            ),
        )
    )

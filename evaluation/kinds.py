"""The ranking decision plugs into the engine by registration alone (workflows/ is
unchanged): the Centre's finalisation drafts it, the Emulation and Reward Council reviews
it (returns or endorses), the Minister signs it as a decision in the QĐ register. Its
content is the ranking snapshot; at issue the ranking is frozen and published."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from reporting import scoring
from workflows import kinds
from workflows.content import Column, Schema, Table

KIND = "it_ranking"

SCHEMA = Schema(
    tables=(
        Table(
            "ranking",
            _("Ranking"),
            (
                Column("rank", _("Rank")),
                Column("unit", _("Unit")),
                Column("total", _("Total points")),
                Column("grade", _("Grade"), "choice", scoring.GRADES),
                Column("late", _("Late"), "choice", {"yes": _("Late"), "no": _("On time")}),
            ),
        ),
    ),
)


def _evaluation(document):
    from .models import Evaluation

    return Evaluation.objects.select_related("criteria").get(decision=document)


def snapshot(document) -> dict[str, Any]:
    from . import selectors

    ranking = selectors.compute(_evaluation(document))
    return {
        "title": document.title,
        "fields": {},
        "sections": {},
        "tables": {
            "ranking": [
                {
                    "uid": r["code"],
                    "rank": str(r["rank"]),
                    "unit": f"{r['code']} {r['name']}",
                    "total": r["total"],
                    "grade": r["grade"],
                    "late": "yes" if r["late"] else "no",
                }
                for r in ranking["units"]
            ]
        },
    }


def after_issue(document) -> None:
    from . import services

    services.evaluation_publish(evaluation=_evaluation(document))


def register() -> None:
    kinds.register(
        kinds.DocumentKind(
            code=KIND,
            label=_("IT-application ranking decision"),
            label_plural=_("IT-application ranking decisions"),
            audit_prefix="evaluation.ranking",
            drafting_unit="TTTT",
            reviewing_unit="TDKT",
            draft_permission="organisation.run_it_evaluation",
            review_permission="organisation.remark_on_ranking",
            register="QĐ",
            print_type="QUYẾT ĐỊNH",
            schema=SCHEMA,
            snapshot=snapshot,
            detail_url_name="workflows:document",
            after_issue=after_issue,
            recipients=(
                "Như trên",
                "Hội đồng Thi đua - Khen thưởng",
                "Các Vụ, đơn vị thuộc Ủy ban",
                "Lưu: VT, TTTT",
            ),
        )
    )

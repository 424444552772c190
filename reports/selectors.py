"""A report as a reader sees it: its frozen figures cut to the reader's scope (every unit,
or the units they head), with the comparisons. Pure work on the stored JSON: no query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .figures import HEADLINE
from .models import Report
from .periods import from_code, short_label
from .permissions import Scope

LABELS = {
    "documents": _("Documents"),
    "in_progress": _("In progress"),
    "issued": _("Issued in the period"),
    "overdue": _("Overdue at the period's end"),
    "sign_ins": _("Sign-ins"),
    "actions": _("Actions"),
    "active_people": _("People who used the product"),
    "people": _("Staff"),
    "subject": _("Staff subject to the standard"),
    "compliant": _("Staff meeting the standard"),
    "share": _("Share meeting the standard (%)"),
}
COMPARED = (*HEADLINE, "share")
# The figures reporting.sources carries (its docstring names them).
SOURCE_LABELS = {
    "people_trained": _("people trained"),
    "modules_gained": _("modules gained"),
    "gaps_closed": _("gaps closed"),
    "courses": _("courses"),
    "courses_attended": _("courses attended"),
    "courses_passed": _("courses passed"),
    "documents": _("documents digitised"),
    "pages": _("pages"),
    "batches_accepted": _("batches accepted"),
    "batches_rejected": _("batches rejected"),
    "target_documents": _("target documents"),
    "target_pages": _("target pages"),
}


def labelled(values: dict[str, int] | None) -> list[tuple[Any, int]] | None:
    """A provider's figures as (label, value) pairs; None stays None ("no data")."""
    if values is None:
        return None
    return [(SOURCE_LABELS.get(name, name), value) for name, value in values.items()]


@dataclass
class Comparison:
    name: str
    label: Any
    current: Any
    previous: Any
    last_year: Any


def _sum(rows: list[dict]) -> dict[str, Any]:
    result: dict[str, Any] = {name: sum(row.get(name) or 0 for row in rows) for name in HEADLINE}
    result["share"] = (
        round(100 * result["compliant"] / result["subject"], 1) if result["subject"] else None
    )
    return result


def _source_total(rows: list[dict], name: str) -> dict[str, int] | None:
    values = [row[name] for row in rows]
    if any(v is None for v in values):
        return None
    result: dict[str, int] = {}
    for value in values:
        for key, number in value.items():
            result[key] = result.get(key, 0) + number
    return result


def _kinds(figures: dict) -> list[dict]:
    from workflows import kinds

    labels = dict(kinds.choices())
    return [
        dict(row, kind_label=labels.get(row["kind"], row["kind"]))
        for row in figures["documents_by_kind"]
    ]


def view(report: Report, scope: Scope) -> dict[str, Any]:
    figures = report.figures
    english = (get_language() or "vi").startswith("en")
    units = [
        dict(
            u,
            name=u["name_en"] if english else u["name_vi"],
            training_items=labelled(u["training"]),
            digitisation_items=labelled(u["digitisation"]),
        )
        for u in figures["units"]
    ]
    units = [u for u in units if scope.covers(u["id"])]
    names = {u["id"]: u["name"] for u in units}
    people = [dict(p, unit=names[p["unit_id"]]) for p in figures["people"] if p["unit_id"] in names]
    current = figures["totals"] if scope.unit_ids is None else _sum(units)
    comparisons = figures.get("comparisons", {})

    def other(key):
        found = comparisons.get(key)
        if not found:
            return {}, ""
        if scope.unit_ids is None:
            return found["totals"], short_label(from_code(found["code"]))
        rows = [found["units"][str(u["id"])] for u in units if str(u["id"]) in found["units"]]
        return _sum(rows), short_label(from_code(found["code"]))

    previous, previous_code = other("previous")
    last_year, last_year_code = other("last_year")
    compared = [
        Comparison(n, LABELS[n], current.get(n), previous.get(n), last_year.get(n))
        for n in COMPARED
    ]
    return {
        "units": units,
        "people": people,
        "totals": current,
        "comparisons": compared,
        "current_code": short_label(report.period),
        "previous_code": previous_code,
        "last_year_code": last_year_code,
        "documents_by_kind": _kinds(figures) if scope.unit_ids is None else [],
        "sources": figures["sources"],
        "training_total": labelled(
            _source_total(units, "training") if figures["sources"]["training"] else None
        ),
        "digitisation_total": labelled(
            _source_total(units, "digitisation") if figures["sources"]["digitisation"] else None
        ),
        "all_units": scope.unit_ids is None,
    }


def visible_reports(scope: Scope):
    reports = Report.objects.defer("figures", "commentary")
    return reports if scope.reviewer else reports.filter(state=Report.State.SENT)

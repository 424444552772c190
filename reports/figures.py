"""The figures of a periodic report, computed once, when the report is drafted, and
stored with it as JSON (Report.figures): a fixed number of queries whatever the number of
units, people or documents.

- documents: each unit's documents (by drafting unit) of every kind, by their state when
  the report is drafted; those issued in the period (issued_on); those overdue at the
  period's end (due on or before it and not yet issued);
- use of the product: sign-ins and other actions from the audit trail in the period
  (Vietnam days), per unit (the unit the actor belonged to when acting) and per person;
- competency: each unit's and person's compliance with the standard in force on the day
  of drafting (standards.selectors.compliance_rows: compliance has no history);
- training and digitisation: from the producing apps through reporting.sources; None
  ("no data") when no installed app provides them, never a zero that was not measured.

Comparisons with the previous period and the same period of last year come from those
periods' own reports when they exist (their frozen figures), otherwise are computed now.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from organisation.models import Person, Unit
from reporting import sources
from standards.selectors import COMPLIANT, compliance_rows, totals
from standards.services import in_force
from workflows.audit_hooks import SIGN_IN_FAILED, SIGNED_IN
from workflows.models import AuditEvent, Document
from workflows.permissions import ISSUED_STATES
from worktime.calendar import day_end, day_start

from .periods import Period

# The headline figures compared between periods (per unit and for the Committee).
HEADLINE = ("issued", "overdue", "sign_ins", "actions", "active_people", "compliant", "subject")


def _documents(period: Period) -> tuple[dict, list[dict]]:
    rows = (
        Document.objects.filter(created_at__lt=day_end(period.end))
        .values("drafting_unit_id", "kind", "state")
        .annotate(
            n=Count("pk"),
            issued=Count("pk", filter=Q(issued_on__gte=period.start, issued_on__lte=period.end)),
            overdue=Count("pk", filter=Q(due_on__lte=period.end) & ~Q(state__in=ISSUED_STATES)),
        )
        .order_by()
    )
    by_unit: dict[int, dict[str, int]] = defaultdict(
        lambda: {"documents": 0, "issued": 0, "overdue": 0, "in_progress": 0}
    )
    by_kind: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        unit = by_unit[row["drafting_unit_id"]]
        unit["documents"] += row["n"]
        unit["issued"] += row["issued"]
        unit["overdue"] += row["overdue"]
        if row["state"] not in ISSUED_STATES:
            unit["in_progress"] += row["n"]
        by_kind[(row["kind"], row["state"])] += row["n"]
    kinds = [{"kind": k, "state": s, "count": n} for (k, s), n in sorted(by_kind.items())]
    return by_unit, kinds


def _use(period: Period) -> tuple[dict, dict]:
    """Sign-ins and actions per (unit code, person) in the period: one grouped query."""
    rows = (
        AuditEvent.objects.filter(
            created_at__gte=day_start(period.start),
            created_at__lt=day_end(period.end),
            actor__isnull=False,
        )
        .exclude(action=SIGN_IN_FAILED)
        .values("unit_code", "actor_id")
        .annotate(
            sign_ins=Count("pk", filter=Q(action=SIGNED_IN)),
            actions=Count("pk", filter=~Q(action=SIGNED_IN)),
        )
        .order_by()
    )
    by_unit: dict[str, dict[str, int]] = defaultdict(
        lambda: {"sign_ins": 0, "actions": 0, "active_people": 0}
    )
    by_person: dict[int, dict[str, int]] = defaultdict(lambda: {"sign_ins": 0, "actions": 0})
    for row in rows:
        unit = by_unit[row["unit_code"]]
        unit["sign_ins"] += row["sign_ins"]
        unit["actions"] += row["actions"]
        unit["active_people"] += 1
        person = by_person[row["actor_id"]]
        person["sign_ins"] += row["sign_ins"]
        person["actions"] += row["actions"]
    return by_unit, by_person


def _plain(found) -> dict[str, dict[str, int]] | None:
    """A provider's figures with string keys (JSON), or None (no data)."""
    if found is None:
        return None
    return {str(key): dict(values) for key, values in found.items()}


def _sum(rows) -> dict[str, int] | None:
    if rows is None:
        return None
    result: dict[str, int] = defaultdict(int)
    for values in rows.values():
        for name, value in values.items():
            result[name] += value
    return dict(result)


def compute(period: Period, *, comparisons: bool = True) -> dict[str, Any]:
    """The report's figures for `period` as JSON-ready data (see the module docstring)."""
    units = list(Unit.objects.all())
    documents, kinds = _documents(period)
    use_by_unit, use_by_person = _use(period)
    standard = in_force()
    rows = compliance_rows(Person.objects.all(), standard)
    people_by_unit: dict[int | None, list] = defaultdict(list)
    for row in rows:
        people_by_unit[row.person.unit_id].append(row)
    window = {"start": period.start, "end": period.end}
    training = _plain(sources.figures(sources.TRAINING_BY_UNIT, **window, unit_ids=None))
    training_people = _plain(sources.figures(sources.TRAINING_BY_PERSON, **window, person_ids=None))
    digitisation = _plain(sources.figures(sources.DIGITISATION_BY_UNIT, **window, unit_ids=None))
    unit_rows = []
    for unit in units:
        competency = totals(people_by_unit.get(unit.pk, []))
        docs = documents.get(unit.pk, {"documents": 0, "issued": 0, "overdue": 0, "in_progress": 0})
        use = use_by_unit.get(unit.code, {"sign_ins": 0, "actions": 0, "active_people": 0})
        unit_rows.append(
            {
                "id": unit.pk,
                "code": unit.code,
                "name_vi": unit.name_vi,
                "name_en": unit.name_en,
                **docs,
                **use,
                "people": competency.people,
                "subject": competency.subject,
                "compliant": competency.compliant,
                "share": competency.share_percent,
                "training": None if training is None else training.get(str(unit.pk), {}),
                "digitisation": (
                    None if digitisation is None else digitisation.get(str(unit.pk), {})
                ),
            }
        )
    people = []
    for unit in units:
        for row in people_by_unit.get(unit.pk, []):
            person = row.person
            use = use_by_person.get(person.pk, {"sign_ins": 0, "actions": 0})
            people.append(
                {
                    "id": person.pk,
                    "name": person.full_name or person.username,
                    "unit_id": unit.pk,
                    **use,
                    "status": row.status,
                    "compliant": row.status == COMPLIANT,
                    "training": (
                        None if training_people is None else training_people.get(str(person.pk), {})
                    ),
                }
            )
    result = {
        "period": {
            "kind": period.kind,
            "code": period.code,
            **{k: v.isoformat() for k, v in window.items()},
        },
        "standard": standard.pk if standard else None,
        "units": unit_rows,
        "people": people,
        "documents_by_kind": kinds,
        "totals": _totals(unit_rows, training, digitisation),
        "sources": {"training": training is not None, "digitisation": digitisation is not None},
    }
    if comparisons:
        previous = headline_of(period.previous())
        last_year = period.same_period_last_year()
        # For a yearly report the previous period is the same period of last year.
        same = last_year == period.previous()
        result["comparisons"] = {
            "previous": previous,
            "last_year": previous if same else headline_of(last_year),
        }
    return result


def _totals(unit_rows: list[dict], training, digitisation) -> dict[str, Any]:
    result: dict[str, Any] = {name: sum(row[name] for row in unit_rows) for name in HEADLINE}
    result["documents"] = sum(row["documents"] for row in unit_rows)
    result["people"] = sum(row["people"] for row in unit_rows)
    result["share"] = (
        round(100 * result["compliant"] / result["subject"], 1) if result["subject"] else None
    )
    result["training"] = _sum(training)
    result["digitisation"] = _sum(digitisation)
    return result


def headline(figures: dict[str, Any]) -> dict[str, Any]:
    """What a comparison keeps of a report's figures: the totals and each unit's
    headline figures, by unit id (a string: JSON)."""
    return {
        "code": figures["period"]["code"],
        "totals": {name: figures["totals"].get(name) for name in (*HEADLINE, "share")},
        "units": {
            str(row["id"]): {name: row.get(name) for name in (*HEADLINE, "share")}
            for row in figures["units"]
        },
    }


def headline_of(period: Period) -> dict[str, Any]:
    from .models import Report

    report = (
        Report.objects.filter(kind=period.kind, year=period.year, index=period.index)
        .only("figures")
        .first()
    )
    figures = report.figures if report else compute(period, comparisons=False)
    return headline(figures)

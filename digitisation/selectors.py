"""Who may do what in the digitisation programme, and every figure it produces: the
progress page, its export and the reports (through reporting.sources) all read
`unit_figures`/`task_figures`, so no figure is computed twice.

Who reads: the Office (registers batches), the Centre (checks them), the leaders (who
sign the plans the batches deliver) and the Emulation & Reward Council (who read the
reports the figures feed). Others have no reason to, and get 403 on the pages and 404
on a batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from planning.models import Category, PlanTask
from workflows.models import State as DocumentState

from .models import Batch, Check, Rework, State, Target, Verdict

REGISTER = "organisation.register_digitisation"
CHECK = "organisation.check_digitisation"
READ = (REGISTER, CHECK, "organisation.sign_documents", "organisation.view_it_reports")

FIGURES = (
    "documents",
    "pages",
    "batches_accepted",
    "batches_rejected",
    "documents_rejected",
    "pages_rejected",
    "target_documents",
    "target_pages",
)


def can_read(user) -> bool:
    return user.is_authenticated and any(user.has_perm(p) for p in READ)


def can_register(user) -> bool:
    return user.is_authenticated and user.has_perm(REGISTER)


def can_check(user) -> bool:
    return user.is_authenticated and user.has_perm(CHECK)


def can_set_targets(user) -> bool:
    """The Office, who runs the programme, or the Centre, who co-leads it."""
    return can_register(user) or can_check(user)


def deliverable_tasks() -> QuerySet[PlanTask]:
    """The tasks a batch may deliver: digitisation tasks of issued plans. An annual
    plan's task is the usual one; a five-year plan's multi-year digitisation task is
    accepted too (it is what the annual tasks carry out)."""
    return (
        PlanTask.objects.filter(
            category=Category.DIGITISATION, plan__document__state=DocumentState.ISSUED
        )
        .select_related("plan__document")
        .order_by("-plan__period_start", "plan__document__number", "position", "pk")
    )


def task_label(task: PlanTask) -> str:
    document = task.plan.document
    number = f" – {document.number_text}" if document.number_text else ""
    return f"{task.name} ({task.plan.period_label}{number})"


def batch_rows(state: str | None = None) -> QuerySet[Batch]:
    """Batches, newest first, each with the reasons of its latest rejection (in the same
    query), so the list says what was rejected and why."""
    latest_rejection = Check.objects.filter(
        batch=OuterRef("pk"), verdict=Verdict.REJECTED
    ).order_by("-checked_at", "-pk")
    rows = (
        Batch.objects.select_related("unit", "plan_task__plan__document", "registered_by")
        .annotate(rejection_reasons=Subquery(latest_rejection.values("reasons")[:1]))
        .order_by("-registered_at", "-pk")
    )
    return rows.filter(state=state) if state else rows


def batch_detail(pk) -> Batch | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        batch_rows()
        # Joined, not prefetched in two steps: the same queries with or without checks.
        .prefetch_related(
            Prefetch("checks", queryset=Check.objects.select_related("checked_by")),
            Prefetch("reworks", queryset=Rework.objects.select_related("recorded_by")),
        )
        .filter(pk=pk)
        .first()
    )


def _between(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lte": end})
    return q


def _plan_overlaps(prefix: str, start: dt.date | None, end: dt.date | None) -> Q:
    """Targets of the tasks whose plan's years overlap the period."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{prefix}plan__period_end__gte": start.year})
    if end is not None:
        q &= Q(**{f"{prefix}plan__period_start__lte": end.year})
    return q


def _figures(
    by: str, *, start=None, end=None, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """Three grouped queries whatever the number of batches: accepted (by the day they
    were accepted), rejected (batches with a rejection on a day of the period, whatever
    became of them since) and targets."""
    batches = Batch.objects.all()
    targets = Target.objects.filter(_plan_overlaps("plan_task__", start, end))
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        batches = batches.filter(unit_id__in=unit_ids)
        targets = targets.filter(unit_id__in=unit_ids)
    result: dict[int, dict[str, int]] = {}

    def row(key: int) -> dict[str, int]:
        return result.setdefault(key, dict.fromkeys(FIGURES, 0))

    accepted = batches.filter(Q(state=State.ACCEPTED) & _between("accepted_on", start, end))
    for values in accepted.values(by).annotate(n=Count("pk"), d=Sum("documents"), p=Sum("pages")):
        figures = row(values[by])
        figures.update(documents=values["d"], pages=values["p"], batches_accepted=values["n"])
    rejections = Check.objects.filter(
        Q(batch=OuterRef("pk"), verdict=Verdict.REJECTED) & _between("checked_on", start, end)
    )
    rejected = batches.filter(Exists(rejections))
    for values in rejected.values(by).annotate(n=Count("pk"), d=Sum("documents"), p=Sum("pages")):
        figures = row(values[by])
        figures.update(
            batches_rejected=values["n"], documents_rejected=values["d"], pages_rejected=values["p"]
        )
    for values in targets.values(by).annotate(d=Sum("documents"), p=Sum("pages")):
        row(values[by]).update(target_documents=values["d"], target_pages=values["p"])
    return result


def unit_figures(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    unit_ids: Iterable[int] | None = None,
) -> dict[int, dict[str, int]]:
    """By unit id: documents and pages digitised (batches accepted in the period),
    batches accepted and rejected in it (and their documents and pages), and the targets
    of the tasks whose plan covers it. The reporting.sources DIGITISATION_BY_UNIT
    provider (its shape: reporting/sources.py)."""
    return _figures("unit_id", start=start, end=end, unit_ids=unit_ids)


def task_figures(
    *, start: dt.date | None = None, end: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """The same figures by plan task id."""
    return _figures("plan_task_id", start=start, end=end)


def targets() -> QuerySet[Target]:
    return Target.objects.select_related("unit", "plan_task__plan__document", "set_by")

"""Reads for the document pages. Every list is scoped to the person and runs a fixed
number of queries whatever the amount of data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from organisation import request_memo
from organisation.text import folded_search
from worktime.calendar import today

from . import content, hooks, kinds, permissions
from .exceptions import NotInScope
from .flows import DocumentFlow
from .models import AuditEvent, Comment, Document, Revision, RevisionSeen, State, VerificationLink

OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def visible_documents(user) -> QuerySet[Document]:
    return Document.objects.filter(permissions.scope_q(user))


def document_for(user, pk: Any) -> Document:
    """The document if the person may see it; 404 otherwise (also for a malformed pk)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotInScope from None
    return get_object_or_404(
        visible_documents(user).select_related(
            "drafting_unit", "reviewing_unit", "created_by", "signed_by", "signed_revision"
        ),
        pk=pk,
    )


_STEPS = {
    DocumentFlow.draft: "draft_permission",
    DocumentFlow.review: "review_permission",
    DocumentFlow.sign: "sign_permission",
    DocumentFlow.issue: "issue_permission",
}
_TASK_DOCUMENT = "process__document__"
_KIND = f"{_TASK_DOCUMENT}kind__in"

# The steps a unit holds, and the document's field naming that unit: the drafting unit
# holds the draft step, the reviewing unit the review (the sign step is the leadership's).
_UNIT_STEPS = (
    (DocumentFlow.draft, "drafting_unit_id"),
    (DocumentFlow.review, "reviewing_unit_id"),
)


def _step_kinds(user) -> dict:
    """For each step, the kinds whose permission for it the person holds; asked once
    per request (the badge, the list and the queue all need it)."""
    return request_memo.once(
        ("step_kinds", user.pk),
        lambda: {
            step: [kind.code for kind in kinds.all_kinds() if user.has_perm(getattr(kind, perm))]
            for step, perm in _STEPS.items()
        },
    )


def _actionable_q(user) -> Q:
    """Open tasks this person may act on, as a filter on viewflow's Task: one branch per
    step over the kinds whose permission for it the person holds, so that the filter
    stays four branches however many kinds are registered."""
    may = _step_kinds(user)
    q = Q(pk__in=[])
    for step, unit_field in _UNIT_STEPS:
        if user.unit_id and may[step]:
            q |= Q(flow_task=step, **{_TASK_DOCUMENT + unit_field: user.unit_id, _KIND: may[step]})
    for step in (DocumentFlow.sign, DocumentFlow.issue):
        if may[step]:
            q |= Q(flow_task=step, **{_KIND: may[step]})
    return q & _held_q(user)


def _held_q(user) -> Q:
    """Of a pool's tasks, those this person may act on: nobody took them, they took
    them, or (never for signing) someone whose taken tasks they hold during a leave
    took them. The substitution (workflows.hooks) gives a subquery: no query of its own."""
    covered = hooks.substitution().covered_people(user)
    return (
        Q(owner__isnull=True)
        | Q(owner_id=user.pk)
        | (Q(owner_id__in=covered) & ~Q(flow_task=DocumentFlow.sign))
    )


def unit_holds_q(unit_id: int) -> Q:
    """Tasks a unit holds, as a filter on viewflow's Task."""
    q = Q(pk__in=[])
    for step, unit_field in _UNIT_STEPS:
        q |= Q(flow_task=step, **{_TASK_DOCUMENT + unit_field: unit_id})
    return q


def _unit_queue_q(user) -> Q:
    """Open tasks held by the person's unit, whoever in it will act; for signers, the
    signature tasks a colleague has taken."""
    q = Q(pk__in=[])
    if _step_kinds(user)[DocumentFlow.sign]:
        q |= Q(flow_task=DocumentFlow.sign, owner__isnull=False)
    if not user.unit_id:
        return q
    return q | unit_holds_q(user.unit_id)


def _others_in_queue_q(user) -> Q:
    """Of the unit's queue, the tasks that are not the person's own (`_unit_queue_q`
    without `_actionable_q`), written so that the database reaches them through indexes
    rather than by reading every open task of the unit: a task someone else took (few;
    `owner_id` is indexed), or one of a kind the person may not act on at that step
    (the unit's documents of those kinds, through the document's unit index; a branch
    that disappears when they may act on every kind). Said as "the queue, except mine",
    the database read all 5,000 open tasks of the benchmark's unit to find none: 6–11 ms.
    """
    may = _step_kinds(user)
    every = [kind.code for kind in kinds.all_kinds()]

    def lacking(step) -> list[str]:
        return [code for code in every if code not in may[step]]

    def of_unit(step, unit_field, **documents) -> Q:
        held = Document.objects.filter(**{unit_field: user.unit_id}, **documents)
        return Q(flow_task=step, process_id__in=held.values("process_id"))

    covered = hooks.substitution().covered_people(user)
    taken_by_another = Q(owner__isnull=False) & ~Q(owner_id=user.pk)
    q = Q(pk__in=[])
    if user.unit_id:
        held = Q(pk__in=[])
        for step, unit_field in _UNIT_STEPS:
            held |= of_unit(step, unit_field)
            if kinds_lacking := lacking(step):
                q |= of_unit(step, unit_field, kind__in=kinds_lacking)
        # A subquery of its own, on the task table alone, so that even a database
        # without statistics (SQLite) starts from the owner index.
        taken = Task.objects.filter(taken_by_another, status__in=OPEN).exclude(owner_id__in=covered)
        q |= Q(pk__in=taken.values("pk")) & held
    if may[DocumentFlow.sign]:
        taken = Q(flow_task=DocumentFlow.sign, owner__isnull=False)
        q |= taken & ~Q(owner_id=user.pk)
        if kinds_lacking := lacking(DocumentFlow.sign):
            q |= taken & Q(**{_KIND: kinds_lacking})
    return q


# --- Due dates in lists ----------------------------------------------------------------

OVERDUE, DUE_THIS_WEEK = "overdue", "week"


def due_q(which: str | None, *, prefix: str = "", on: dt.date | None = None) -> Q:
    """Overdue (the due date has passed in Vietnam) or due this week (from today to
    Sunday), as a filter on Document (`prefix` reaches it from another model)."""
    on = on or today()
    field = f"{prefix}due_on"
    if which == OVERDUE:
        return Q(**{f"{field}__lt": on})
    if which == DUE_THIS_WEEK:
        sunday = on + dt.timedelta(days=6 - on.weekday())
        return Q(**{f"{field}__gte": on, f"{field}__lte": sunday})
    return Q()


def by_urgency(prefix: str = "") -> tuple:
    """Most urgent first: overdue (the longest overdue first), then the nearest due
    date; documents without one last."""
    return (F(f"{prefix}due_on").asc(nulls_last=True),)


def _open_tasks(due: str | None = None) -> QuerySet[Task]:
    return (
        Task.objects.filter(status__in=OPEN)
        .filter(due_q(due, prefix=_TASK_DOCUMENT))
        .select_related(
            "process__document__drafting_unit", "process__document__reviewing_unit", "owner"
        )
        .order_by(*by_urgency(_TASK_DOCUMENT), "created", "pk")
    )


def my_tasks(user, *, due: str | None = None) -> QuerySet[Task]:
    return _open_tasks(due).filter(_actionable_q(user))


def unit_queue(user, *, due: str | None = None, without_mine: bool = False) -> QuerySet[Task]:
    """The unit's open tasks; `without_mine` leaves out those the person may act on
    (My work lists them above), in SQL, so that the queue pages like any list."""
    return _open_tasks(due).filter(
        _others_in_queue_q(user) if without_mine else _unit_queue_q(user)
    )


def my_task_count(user, *, due: str | None = None) -> int:
    """What the person may act on (overdue, or due this week). The header's two badges
    and My work show these figures: all and overdue are counted together, in one query
    per request."""
    if not user.is_authenticated:
        return 0
    if due in (None, OVERDUE):
        return _my_task_counts(user)[due]
    return request_memo.once(
        ("my_task_count", user.pk, due),
        lambda: (
            Task.objects.filter(status__in=OPEN)
            .filter(_actionable_q(user), due_q(due, prefix=_TASK_DOCUMENT))
            .count()
        ),
    )


def _my_task_counts(user) -> dict:
    def count() -> dict:
        counted = (
            Task.objects.filter(status__in=OPEN)
            .filter(_actionable_q(user))
            .aggregate(
                every=Count("pk"), overdue=Count("pk", filter=due_q(OVERDUE, prefix=_TASK_DOCUMENT))
            )
        )
        return {None: counted["every"], OVERDUE: counted["overdue"]}

    return request_memo.once(("my_task_counts", user.pk), count)


def my_overdue_count(user) -> int:
    """The header badge's second figure: what the person may act on that is overdue."""
    return my_task_count(user, due=OVERDUE)


@dataclass
class Holder:
    step: str
    step_label: Any
    unit_label: Any
    since: Any
    task: Task | None


def open_task(document: Document) -> Task | None:
    if not document.process_id:
        return None
    return (
        Task.objects.filter(process_id=document.process_id, status__in=OPEN)
        .select_related("owner")
        .order_by("-created")
        .first()
    )


def holder(document: Document, task: Task | None) -> Holder | None:
    """Who holds the document now and since when."""
    if task is None:
        return None
    step = task.flow_task.name
    if step == "draft":
        unit = document.drafting_unit.name
    elif step == "review":
        unit = document.reviewing_unit.name
    elif step == "issue":
        from django.utils.translation import gettext_lazy as _

        unit = _("The Office (records)")
    else:
        from django.utils.translation import gettext_lazy as _

        unit = _("Committee leadership")
    return Holder(step, task.flow_task.task_title, unit, task.created, task)


def held_for(user, task: Task):
    """The colleague on leave for whom `user` holds `task`, which that colleague took;
    None if there is none. Signing never passes to a substitute."""
    if task.owner_id is None or task.flow_task.name == "sign":
        return None
    return hooks.substitution().substituting(user, task.owner_id)


def task_for(user, document: Document, task_pk: Any, step: str | None = None) -> Task:
    """The task named in a URL: it must belong to this document's process and be the
    given step; anything else is 404."""
    try:
        task_pk = int(task_pk)
    except (TypeError, ValueError):
        raise NotInScope from None
    task = Task.objects.filter(pk=task_pk, process_id=document.process_id).first()
    if task is None or (step is not None and task.flow_task.name != step):
        raise NotInScope
    return task


def timeline(document: Document) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(document=document)
        .exclude(action="workflows.document.access_denied")
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def comments(document: Document) -> QuerySet[Comment]:
    return document.comments.select_related("author", "revision").order_by("created_at", "pk")


def latest_revision(document: Document) -> Revision | None:
    return document.revisions.order_by("-number").first()


def revision(document: Document, number: Any) -> Revision:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise NotInScope from None
    found = document.revisions.filter(number=number).first()
    if found is None:
        raise NotInScope
    return found


def last_seen(user, document: Document) -> int | None:
    seen = RevisionSeen.objects.filter(document=document, person=user).first()
    return seen.revision_number if seen else None


def current_content(document: Document) -> dict[str, Any]:
    """What the page shows: the live content while the drafting unit may edit it, the
    latest frozen revision once submitted (what reviewers and the signer act on)."""
    if document.state in (State.DRAFT, State.RETURNED) or document.revision_count == 0:
        return document.kind_config.snapshot(document)
    if document.signed_revision_id:
        return document.signed_revision.content
    return latest_revision(document).content


def presented(document: Document, snapshot: dict[str, Any]) -> dict[str, Any]:
    return content.present(document.kind_config.schema, snapshot)


def diff(document: Document, old: dict | None, new: dict) -> dict[str, Any]:
    return content.diff(document.kind_config.schema, old, new)


def document_list(
    user,
    *,
    kind_codes: list[str] | None = None,
    year: int | None = None,
    kind: str | None = None,
    state: str | None = None,
    unit: int | None = None,
    q: str = "",
    due: str | None = None,
) -> QuerySet[Document]:
    docs = visible_documents(user).select_related("drafting_unit", "reviewing_unit")
    if kind_codes:
        docs = docs.filter(kind__in=kind_codes)
    if year:
        docs = docs.filter(year=year)
    if kind:
        docs = docs.filter(kind=kind)
    if state:
        docs = docs.filter(state=state)
    if unit:
        docs = docs.filter(Q(drafting_unit_id=unit) | Q(reviewing_unit_id=unit))
    if q:
        docs = docs.filter(folded_search("search_folded", q))
    if due:
        docs = docs.filter(due_q(due))
    return docs.order_by(*by_urgency(), "-updated_at", "-pk")


def document_or_404(pk) -> Document:
    return get_object_or_404(Document, pk=pk)


def pdf_revision(document: Document) -> Revision | None:
    """The revision a document's PDF shows: the signed one once signed, the one being
    signed while it waits for the signer; None before (nothing to sign yet)."""
    if document.state in (*permissions.ISSUED_STATES, State.SIGNED):
        return document.signed_revision
    if document.state == State.ENDORSED:
        return latest_revision(document)
    return None


def verified_document(token: Any) -> Document:
    """The issued document a printed verification link names; 404 for an unknown token
    and for a document not (or no longer) issued, so the link tells nothing before."""
    link = get_object_or_404(
        VerificationLink.objects.select_related("document", "document__signed_revision"),
        token=str(token)[:32],
        document__state__in=permissions.ISSUED_STATES,
    )
    return link.document

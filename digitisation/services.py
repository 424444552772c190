"""Registering digitisation batches (one by one or from an XLSX import), the Centre's
quality check, the Office's rework, and the targets. Every change locks its row, checks
the person's permission itself and is an audit event in the same transaction.

A batch moves registered → accepted | rejected; rejected → redone; redone → accepted |
rejected. Accepted is final: its documents and pages count from the day it was accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Unit
from organisation.text import clean
from workflows import audit
from workflows import services as engine
from workflows.exceptions import ActionForbidden, AlreadyHandled, InvalidInput, NotInScope
from workflows.formatting import grouped
from worktime.calendar import today

from . import selectors
from .models import MAX_COUNT, Batch, Check, Rework, State, Target, Verdict

REGISTERED = audit.register_action(
    "digitisation.batch.registered", gettext_lazy("Digitisation batch registered")
)
ACCEPTED = audit.register_action(
    "digitisation.batch.accepted", gettext_lazy("Digitisation batch accepted")
)
REJECTED = audit.register_action(
    "digitisation.batch.rejected", gettext_lazy("Digitisation batch rejected")
)
REDONE = audit.register_action(
    "digitisation.batch.redone", gettext_lazy("Digitisation batch redone")
)
TARGET_SET = audit.register_action(
    "digitisation.target.set", gettext_lazy("Digitisation target set")
)

MAX_BATCHES = 5_000  # one import
MAX_FONDS = Batch._meta.get_field("fonds").max_length
MAX_PERFORMER = Batch._meta.get_field("performed_by").max_length
MAX_TEXT = 5_000  # reasons, rework notes
CHECKABLE = (State.REGISTERED, State.REDONE)


@dataclass
class BatchRow:
    fonds: str
    unit_id: int | None
    period_from: dt.date | None
    period_to: dt.date | None
    documents: Any
    pages: Any
    performed_by: str
    plan_task_id: int | None


def _pages_per_document() -> str:
    return _("Each document has at least one page: enter at least as many pages as documents.")


def _day(d: dt.date) -> str:
    return formats.date_format(d, "SHORT_DATE_FORMAT")


def count_value(value: Any) -> int | None:
    """A whole number of documents or pages, or None if it is not one (1.5, 'ba', True)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _count(value: Any, what: str, problems: list[tuple[str, str]], field: str) -> int | None:
    number = count_value(value)
    if number is None:
        problems.append(
            (
                field,
                _("Enter the number of %(what)s as a whole number, for example 120.")
                % {"what": what},
            )
        )
    elif number < 0:
        problems.append(
            (
                field,
                _("The number of %(what)s cannot be negative: enter 0 or more.") % {"what": what},
            )
        )
    elif number > MAX_COUNT:
        problems.append(
            (
                field,
                _("Enter at most %(max)s %(what)s for one batch: split it.")
                % {"max": grouped(MAX_COUNT), "what": what},
            )
        )
    else:
        return number
    return None


def validate_batch(
    row: BatchRow, *, unit_ids: set[int], task_ids: set[int]
) -> list[tuple[str, str]]:
    """Every problem of a batch as (field, reason): the rules of the form and of each
    row of an import."""
    problems: list[tuple[str, str]] = []
    if not row.fonds:
        problems.append(("fonds", _("Write the archive fonds or document series.")))
    elif len(row.fonds) > MAX_FONDS:
        problems.append(
            (
                "fonds",
                _("Shorten the fonds to at most %(n)s characters.") % {"n": grouped(MAX_FONDS)},
            )
        )
    if row.unit_id not in unit_ids:
        problems.append(("unit", _("Choose the unit whose documents were digitised.")))
    dates_ok = True
    for field, value in (("period_from", row.period_from), ("period_to", row.period_to)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            problems.append((field, _("Enter a date as dd/mm/yyyy, for example 15/03/2026.")))
            dates_ok = False
    if dates_ok and row.period_to < row.period_from:
        problems.append(
            (
                "period_to",
                _("The period ends (%(to)s) before it begins (%(from)s): swap the dates.")
                % {"to": _day(row.period_to), "from": _day(row.period_from)},
            )
        )
    documents = _count(row.documents, _("documents"), problems, "documents")
    pages = _count(row.pages, _("pages"), problems, "pages")
    if documents is not None and pages is not None and pages < documents:
        problems.append(
            (
                "pages",
                _pages_per_document(),
            )
        )
    if not row.performed_by:
        problems.append(("performed_by", _("Write who did the digitisation.")))
    elif len(row.performed_by) > MAX_PERFORMER:
        problems.append(
            (
                "performed_by",
                _("Shorten who did the work to at most %(n)s characters.")
                % {"n": grouped(MAX_PERFORMER)},
            )
        )
    if row.plan_task_id not in task_ids:
        problems.append(
            (
                "plan_task",
                _("Choose the digitisation task of an issued plan that the batch delivers."),
            )
        )
    return problems


def _text(value: Any) -> str:
    return " ".join(str(value or "").replace("\x00", "").split())


def clean_row(row: BatchRow) -> BatchRow:
    return BatchRow(
        fonds=_text(row.fonds),
        unit_id=row.unit_id,
        period_from=row.period_from,
        period_to=row.period_to,
        documents=row.documents,
        pages=row.pages,
        performed_by=_text(row.performed_by),
        plan_task_id=row.plan_task_id,
    )


def _data(batch: Batch, **extra) -> dict:
    return {
        "batch": batch.pk,
        "fonds": batch.fonds,
        "unit": batch.unit_id,
        "period_from": batch.period_from.isoformat(),
        "period_to": batch.period_to.isoformat(),
        "documents": batch.documents,
        "pages": batch.pages,
        "performed_by": batch.performed_by,
        "plan_task": batch.plan_task_id,
        **extra,
    }


def _require_register(user) -> None:
    if not selectors.can_register(user):
        raise ActionForbidden


@engine.record_denials
def batches_register(
    *, user, rows: list[BatchRow], ip: str | None = None, via: str = "form"
) -> list[Batch]:
    """Register batches, all of them or none: every problem of every row is reported at
    once as InvalidInput (problems as "Row n: reason", n counted from 1)."""
    _require_register(user)
    if len(rows) > MAX_BATCHES:
        raise InvalidInput(
            problems=[
                _(
                    "At most %(n)s batches can be registered at once: split the file and import "
                    "each part."
                )
                % {"n": grouped(MAX_BATCHES)}
            ]
        )
    rows = [clean_row(r) for r in rows]
    with transaction.atomic():
        # Locked, so that a task's plan cannot be superseded nor a unit removed under us.
        task_ids = set(
            selectors.deliverable_tasks()
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        unit_ids = set(Unit.objects.values_list("pk", flat=True))
        problems = []
        for n, row in enumerate(rows, start=1):
            for _field, reason in validate_batch(row, unit_ids=unit_ids, task_ids=task_ids):
                problems.append(
                    reason
                    if len(rows) == 1
                    else _("Row %(row)s: %(reason)s") % {"row": n, "reason": reason}
                )
        if problems or not rows:
            raise InvalidInput(problems=problems or [_("Give at least one batch to register.")])
        now = timezone.now()
        batches = Batch.objects.bulk_create(
            [
                Batch(
                    fonds=r.fonds,
                    unit_id=r.unit_id,
                    period_from=r.period_from,
                    period_to=r.period_to,
                    documents=count_value(r.documents),
                    pages=count_value(r.pages),
                    performed_by=r.performed_by,
                    plan_task_id=r.plan_task_id,
                    registered_by=user,
                    registered_at=now,
                )
                for r in rows
            ]
        )
        if any(b.pk is None for b in batches):  # a database that returns no ids
            batches = list(
                Batch.objects.filter(registered_at=now, registered_by=user).order_by("pk")
            )
        audit.record_many(
            [
                {
                    "action": REGISTERED,
                    "actor": user,
                    "to_state": State.REGISTERED,
                    "data": _data(b, via=via),
                    "ip": ip,
                }
                for b in batches
            ]
        )
    return batches


def batch_register(*, user, row: BatchRow, ip: str | None = None) -> Batch:
    return batches_register(user=user, rows=[row], ip=ip)[0]


def _lock(user, batch_id) -> Batch:
    """Lock the row, then check scope: a second click waits here and sees the first's
    outcome."""
    if not selectors.can_read(user):
        raise NotInScope
    try:
        batch = Batch.objects.select_for_update().filter(pk=int(batch_id)).first()
    except (TypeError, ValueError):
        batch = None
    if batch is None:
        raise NotInScope
    return batch


def _sample(batch: Batch, sample_size: Any) -> int:
    size = count_value(sample_size)
    if size is None or not 1 <= size <= max(batch.documents, 1):
        raise InvalidInput(
            problems=[
                _("Enter how many documents of the batch were checked: from 1 to %(n)s.")
                % {"n": grouped(max(batch.documents, 1))}
            ]
        )
    return size


def _long_text(value: Any, *, missing: str) -> str:
    text = clean(str(value or ""))
    if not text:
        raise InvalidInput(problems=[missing])
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            problems=[_("Shorten the text to at most %(n)s characters.") % {"n": grouped(MAX_TEXT)}]
        )
    return text


def _check(*, user, batch_id, verdict: str, sample_size, reasons: str, ip) -> Batch:
    with transaction.atomic():
        batch = _lock(user, batch_id)
        if not selectors.can_check(user):
            raise ActionForbidden
        if batch.state not in CHECKABLE:
            raise AlreadyHandled(
                _("This batch is %(state)s: it cannot be checked now. Nothing was changed.")
                % {"state": batch.get_state_display().lower()}
            )
        size = _sample(batch, sample_size)
        if verdict == Verdict.REJECTED:
            reasons = _long_text(
                reasons, missing=_("Write the reasons for the rejection: what must be redone.")
            )
        else:
            reasons = ""
        now = timezone.now()
        day = today(now)
        Check.objects.create(
            batch=batch,
            verdict=verdict,
            sample_size=size,
            reasons=reasons,
            checked_by=user,
            checked_at=now,
            checked_on=day,
        )
        before = batch.state
        batch.state = State.ACCEPTED if verdict == Verdict.ACCEPTED else State.REJECTED
        batch.accepted_on = day if verdict == Verdict.ACCEPTED else None
        batch.version += 1
        batch.save(update_fields=["state", "accepted_on", "version"])
        audit.record(
            action=ACCEPTED if verdict == Verdict.ACCEPTED else REJECTED,
            actor=user,
            from_state=before,
            to_state=batch.state,
            comment=reasons,
            data=_data(batch, sample_size=size),
            ip=ip,
        )
    return batch


@engine.record_denials
def batch_accept(*, user, batch_id: int, sample_size: int, ip: str | None = None) -> Batch:
    """The Centre accepts the batch after checking a sample of it."""
    return _check(
        user=user,
        batch_id=batch_id,
        verdict=Verdict.ACCEPTED,
        sample_size=sample_size,
        reasons="",
        ip=ip,
    )


@engine.record_denials
def batch_reject(
    *, user, batch_id: int, sample_size: int, reasons: str, ip: str | None = None
) -> Batch:
    """The Centre rejects the batch, saying what must be redone (required)."""
    return _check(
        user=user,
        batch_id=batch_id,
        verdict=Verdict.REJECTED,
        sample_size=sample_size,
        reasons=reasons,
        ip=ip,
    )


@engine.record_denials
def batch_redo(
    *,
    user,
    batch_id: int,
    note: str,
    documents: Any = None,
    pages: Any = None,
    ip: str | None = None,
) -> Batch:
    """The Office records that a rejected batch was redone (and, if the rework changed
    them, its new numbers of documents and pages); the Centre then checks it again."""
    with transaction.atomic():
        batch = _lock(user, batch_id)
        _require_register(user)
        if batch.state != State.REJECTED:
            raise AlreadyHandled(
                _(
                    "Only a rejected batch can be redone; this one is %(state)s. Nothing was "
                    "changed."
                )
                % {"state": batch.get_state_display().lower()}
            )
        note = _long_text(note, missing=_("Write what was redone."))
        problems: list[tuple[str, str]] = []
        new_documents = (
            batch.documents
            if documents in (None, "")
            else _count(documents, _("documents"), problems, "documents")
        )
        new_pages = (
            batch.pages if pages in (None, "") else _count(pages, _("pages"), problems, "pages")
        )
        if not problems and new_pages < new_documents:
            problems.append(
                (
                    "pages",
                    _pages_per_document(),
                )
            )
        if problems:
            raise InvalidInput(problems=[reason for _field, reason in problems])
        Rework.objects.create(batch=batch, note=note, recorded_by=user, recorded_at=timezone.now())
        batch.documents, batch.pages = new_documents, new_pages
        batch.state = State.REDONE
        batch.version += 1
        batch.save(update_fields=["documents", "pages", "state", "version"])
        audit.record(
            action=REDONE,
            actor=user,
            from_state=State.REJECTED,
            to_state=State.REDONE,
            comment=note,
            data=_data(batch),
            ip=ip,
        )
    return batch


@engine.record_denials
def target_set(
    *,
    user,
    plan_task_id: int,
    unit_id: int,
    documents: Any,
    pages: Any,
    ip: str | None = None,
) -> Target:
    """Set (or change) how many documents and pages of a unit's archive a plan task is
    to digitise."""
    if not selectors.can_read(user):
        raise NotInScope
    if not selectors.can_set_targets(user):
        raise ActionForbidden
    problems: list[tuple[str, str]] = []
    new_documents = _count(documents, _("documents"), problems, "documents")
    new_pages = _count(pages, _("pages"), problems, "pages")
    with transaction.atomic():
        try:
            task = (
                selectors.deliverable_tasks()
                .select_for_update(of=("self",))
                .filter(pk=int(plan_task_id))
                .first()
            )
        except (TypeError, ValueError):
            task = None
        if task is None:
            problems.insert(
                0,
                (
                    "plan_task",
                    _("Choose the digitisation task of an issued plan that the batch delivers."),
                ),
            )
        try:
            unit = Unit.objects.filter(pk=int(unit_id)).first()
        except (TypeError, ValueError):
            unit = None
        if unit is None:
            problems.insert(0, ("unit", _("Choose the unit whose documents were digitised.")))
        if problems:
            raise InvalidInput(problems=[reason for _field, reason in problems])
        target = Target.objects.select_for_update().filter(plan_task=task, unit=unit).first()
        before = None if target is None else {"documents": target.documents, "pages": target.pages}
        if target is None:
            target = Target(plan_task=task, unit=unit)
        target.documents, target.pages = new_documents, new_pages
        target.set_by, target.set_at = user, timezone.now()
        target.save()
        audit.record(
            action=TARGET_SET,
            actor=user,
            data={
                "plan_task": task.pk,
                "unit": unit.pk,
                "documents": new_documents,
                "pages": new_pages,
                "before": before,
            },
            ip=ip,
        )
    return target

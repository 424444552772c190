"""The Office's formal reminder (đôn đốc): to one document's holder, or to a unit about
everything it holds. Mailed to the people who must act, shown on each document's
timeline and kept in the audit trail, all in one transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Unit
from organisation.text import clean
from workflows import audit, notifications
from workflows import services as workflow_services
from workflows.exceptions import ActionForbidden, InvalidInput, WorkflowError
from workflows.models import Document
from worktime.calendar import WorkingCalendar, today

from . import selectors
from .selectors import PERMISSION

MAX_MESSAGE = 2000

DOCUMENT_REMINDED = audit.register_action(
    "followup.document.reminded", gettext_lazy("Reminder from the Office")
)
UNIT_REMINDED = audit.register_action(
    "followup.unit.reminded", gettext_lazy("Reminder from the Office to a unit")
)


@dataclass(frozen=True)
class Reminder:
    unit: Unit | None
    documents: list[Document]
    recipients: list  # the people mailed


def clean_message(message: str | None) -> str:
    """The reminder's message: required, at most MAX_MESSAGE characters."""
    message = clean(message)
    if not message:
        raise InvalidInput(problems=[_("Write the message of the reminder.")])
    if len(message) > MAX_MESSAGE:
        raise InvalidInput(
            problems=[
                _("A reminder may be at most %(limit)s characters (you wrote %(count)s).")
                % {
                    "limit": number_format(MAX_MESSAGE, force_grouping=True),
                    "count": number_format(len(message), force_grouping=True),
                }
            ]
        )
    return message


@workflow_services.record_denials
def followup_remind(
    *,
    user,
    unit_id: int | None = None,
    document_id: int | None = None,
    message: str,
    ip: str | None = None,
) -> Reminder:
    """Remind one document's holder (`document_id`) or a unit of all it holds
    (`unit_id`). Out of scope: 404; without the Office's permission: 403; a document
    that waits on nobody, or a unit that holds nothing: 409.

    A unit-wide reminder records one event for the unit and one on each document, so
    that every document's timeline shows it and the trail can be read by unit or by
    document; each person gets one mail listing what they hold, not one per document."""
    if (unit_id is None) == (document_id is None):
        raise InvalidInput(problems=[_("Choose a unit or a document to remind.")])
    with transaction.atomic():
        if document_id is not None:
            document = workflow_services.lock_in_scope(user, document_id)
            if not user.has_perm(PERMISSION):
                raise ActionForbidden
            message = clean_message(message)
            task = selectors.held_document(document)
            if task is None:
                raise WorkflowError(
                    _("This document is not waiting on anyone: there is nobody to remind.")
                )
            unit = None
            locked = [(document, task)]
        else:
            unit = selectors.unit_or_404(unit_id)
            if not user.has_perm(PERMISSION):
                raise ActionForbidden
            message = clean_message(message)
            locked = _lock_held_by(user, unit)
            if not locked:
                raise WorkflowError(
                    _("%(unit)s holds no document now: there is nothing to remind it of.")
                    % {"unit": unit.name}
                )
        return _send(user=user, unit=unit, locked=locked, message=message, ip=ip)


def _lock_held_by(user, unit: Unit) -> list[tuple[Document, Any]]:
    """The documents the unit holds, their rows locked (in pk order, so two reminders
    never deadlock), each with the open task it holds. Read again once locked: a
    document sent on meanwhile is no longer the unit's to be reminded of."""
    candidates = selectors.held_by_unit(user, unit.pk).values_list("process__document", flat=True)
    documents = list(
        Document.objects.select_for_update().filter(pk__in=list(candidates)).order_by("pk")
    )
    held = selectors.held_by_unit(user, unit.pk).filter(process__document__in=documents)
    tasks = {t.process.document.pk: t for t in held}
    return [(d, tasks[d.pk]) for d in documents if d.pk in tasks]


def _send(*, user, unit: Unit | None, locked: list, message: str, ip: str | None) -> Reminder:
    calendar, on = WorkingCalendar.load(), today()
    unit_event = None
    if unit is not None:
        unit_event = audit.record(
            action=UNIT_REMINDED,
            actor=user,
            comment=message,
            data={
                "message": message,
                "unit": unit.code,
                "unit_id": unit.pk,
                "documents": [d.pk for d, _t in locked],
            },
            ip=ip,
        )
    people: dict[int, Any] = {}
    held_by: dict[int, list] = defaultdict(list)
    for document, task in locked:
        row = selectors.held(document, task, calendar, on)
        recipients = notifications.holders(document)
        event = audit.record(
            action=DOCUMENT_REMINDED,
            actor=user,
            document=document,
            from_state=document.state,
            to_state=document.state,
            comment=message,
            data={
                "message": message,
                "step": row.step,
                "holder": row.holder_unit.code if row.holder_unit else selectors.LEADERSHIP,
                "recipients": sorted(p.pk for p in recipients),
                **({"unit_event": unit_event.seq} if unit_event else {}),
            },
            ip=ip,
        )
        for person in recipients:
            people[person.pk] = person
            held_by[person.pk].append(row)
    key_event = unit_event or event
    for pk, person in people.items():
        _mail(person, held_by[pk], message=message, sender=user, key=f"{key_event.seq}:p:{pk}")
    return Reminder(unit=unit, documents=[d for d, _t in locked], recipients=list(people.values()))


def _mail(person, rows: list, *, message: str, sender, key: str) -> None:
    base = settings.SITE_URL.rstrip("/")
    with translation.override("vi"):
        context = {
            "person": person,
            "rows": [
                {"held": r, "url": base + reverse("workflows:document", args=[r.document.pk])}
                for r in rows
            ],
            "message": message,
            "sender": sender,
        }
        subject = notifications.render_text("followup/email/reminder_subject.txt", context)
        body = notifications.render_text("followup/email/reminder_body.txt", context)
    notifications.queue_mail(
        key=f"followup:reminder:{key}", to=[person.email], subject=subject, body=body
    )

"""Reminders, daily digests and escalation to heads of unit: the nightly job.

On each working day `on` (on a Saturday, Sunday, holiday or day off the job sends
nothing: civil servants are not mailed on a day off, and overdue days count working days
only, so Monday's digest says what the weekend would have said):

- a task due in 1 to n working days (ReminderSettings.days_before, default 2): each
  holder gets one reminder, once per task (a missed run catches up the next working day);
- a task due today: each holder gets one reminder on the day;
- an overdue task: listed in each holder's one daily digest, every working day, from the
  first overdue day; never a mail per task;
- a task overdue by m working days or more (escalate_after, default 3): the head of the
  holding unit (Unit.head; for a signature, the head of ReminderSettings.leadership_unit,
  nobody if that is empty) is told once per task and step, and from the next working day
  the task is listed in the head's digest under "overdue in your unit".

A person who chose digests only (NotificationPreference) gets the reminders and the
escalations in the digest instead: at most one mail a day.

Holders come from workflows.notifications.holders_by_document, the same rule as the mail
of an action. Everything the job sends is a ReminderLog row (unique per person, document,
step, kind and day) and an audit event, written in one transaction with the mails, so a
second run on the same day sends nothing new, and a failed run sends nothing at all.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from workflows import audit, notifications
from workflows.models import Document, State
from worktime.calendar import DueStatus, WorkingCalendar

from . import events
from .models import Kind, NotificationPreference, ReminderLog, ReminderSettings

logger = logging.getLogger(__name__)

OPEN_STATES = (State.DRAFT, State.RETURNED, State.SUBMITTED, State.ENDORSED)
EMAIL_TEMPLATES = "reminders/email/"
ENGLISH = "---------- English ----------"


@dataclass
class Item:
    """One task in a mail: the document, where its due date stands, and the unit holding it."""

    document: Document
    step: str
    status: DueStatus
    unit: object
    url: str
    _texts: dict = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        """The item's lines in the active language, rendered once however many mails
        list it: a signer's digest may list thousands of items that every other signer's
        digest lists too."""
        language = translation.get_language()
        if language not in self._texts:
            text = notifications.render_text(f"{EMAIL_TEMPLATES}_item.txt", {"item": self})
            self._texts[language] = text.rstrip("\n")
        return self._texts[language]


@dataclass
class Digest:
    due_soon: list[Item] = field(default_factory=list)
    due_today: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    unit_overdue: list[Item] = field(default_factory=list)

    def items(self) -> list[Item]:
        return self.due_soon + self.due_today + self.overdue + self.unit_overdue


@dataclass
class SendResult:
    day: dt.date
    working_day: bool
    reminders: int = 0
    escalations: int = 0
    digests: int = 0
    mails: int = 0
    already_sent: bool = False


def preference_set(*, person, digest_only: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        person=person, defaults={"digest_only": digest_only}
    )
    return preference


def reminders_send(*, on: dt.date) -> SendResult:
    """Send the reminders, escalations and digests of day `on` (a date in Vietnam)."""
    calendar = WorkingCalendar.load()
    if not calendar.is_working_day(on):
        return SendResult(on, working_day=False)
    try:
        with transaction.atomic():
            return _Run(on, calendar, ReminderSettings.load()).send()
    except IntegrityError:
        # Another run of the same day committed first (the log's unique constraint):
        # this one rolled back whole, mails included, which is what at-most-once means.
        logger.warning("Reminders of %s were sent by another run meanwhile", on)
        return SendResult(on, working_day=True, already_sent=True)


class _Run:
    def __init__(self, on: dt.date, calendar: WorkingCalendar, config: ReminderSettings):
        self.on, self.calendar, self.config = on, calendar, config
        self.logs: list[ReminderLog] = []
        self.audit_events: list[dict] = []
        self.mails: list[dict] = []
        self.digests: dict[int, Digest] = defaultdict(Digest)
        self.escalations: dict[int, list[dict]] = defaultdict(list)
        self.people: dict[int, object] = {}
        self.result = SendResult(on, working_day=True)
        self.settings_url = settings.SITE_URL.rstrip("/") + reverse("reminders:settings")

    def send(self) -> SendResult:
        tasks = self._tasks()
        documents = list(tasks)
        holders = notifications.holders_by_document(documents)
        self.digest_only = set(
            NotificationPreference.objects.filter(digest_only=True).values_list(
                "person_id", flat=True
            )
        )
        self._read_log(tasks)
        for document in documents:
            self._task(document, holders[document.pk])
        self._compose_escalations()
        self._compose_digests()
        ReminderLog.objects.bulk_create(self.logs)
        audit.record_many(self.audit_events)
        notifications.queue_mails(self.mails)
        self.result.mails = len(self.mails)
        return self.result

    # --- Reading -------------------------------------------------------------------

    def _tasks(self):
        horizon = (
            self.calendar.add_working_days(self.on, self.config.days_before)
            if self.config.days_before
            else self.on
        )
        return (
            Document.objects.filter(
                state__in=OPEN_STATES, due_on__isnull=False, due_on__lte=horizon
            )
            .select_related("drafting_unit__head", "reviewing_unit__head")
            .order_by("due_on", "pk")
        )

    def _read_log(self, tasks) -> None:
        """What was sent before: the reminders and escalations of these tasks (ever),
        and everything of today (a second run sends nothing new)."""
        self.reminded: set[tuple] = set()
        self.escalated: dict[tuple, dt.date] = {}
        self.digest_sent: set[int] = set()
        rows = ReminderLog.objects.filter(
            Q(day=self.on, kind=Kind.DIGEST)
            | Q(
                document__in=tasks.order_by().values("pk"),
                kind__in=(Kind.BEFORE, Kind.DUE, Kind.ESCALATED),
            )
        ).values_list("person_id", "document_id", "step", "due_on", "kind", "day")
        for person_id, document_id, step, due_on, kind, day in rows:
            if kind == Kind.DIGEST:
                self.digest_sent.add(person_id)
            elif kind == Kind.ESCALATED:
                self.escalated[(document_id, step, due_on)] = day
            else:
                self.reminded.add((person_id, document_id, step, due_on, kind))

    # --- Deciding ------------------------------------------------------------------

    def _task(self, document: Document, holders: list) -> None:
        pool = notifications.pool(document)
        if pool is None:
            return
        status = self.calendar.status(document.due_on, self.on)
        unit = self._holding_unit(document, pool.step)
        item = Item(document, pool.step, status, unit, _url(document))
        if status.kind == DueStatus.OVERDUE:
            for person in holders:
                self._digest(person).overdue.append(item)
            if status.days >= self.config.escalate_after:
                self._escalate(item, holders)
        else:
            kind = Kind.DUE if status.kind == DueStatus.TODAY else Kind.BEFORE
            self._remind(item, kind, holders)

    def _remind(self, item: Item, kind: str, holders: list) -> None:
        document = item.document
        reminded, folded = [], []
        for person in holders:
            if (person.pk, document.pk, item.step, document.due_on, kind) in self.reminded:
                continue
            if person.pk in self.digest_only:
                if person.pk in self.digest_sent:
                    continue  # today's digest went out already: the next run catches up
                digest = self._digest(person)
                (digest.due_today if kind == Kind.DUE else digest.due_soon).append(item)
                folded.append(person.pk)
            else:
                self._mail(
                    person,
                    key=f"reminders:{kind}:{self.on}:{person.pk}:{document.pk}:{item.step}",
                    template="reminder",
                    context={"item": item, "kind": kind},
                )
            reminded.append(person.pk)
            self._log(person, item, kind)
        if reminded:
            self.result.reminders += len(reminded)
            self.audit_events.append(
                {
                    "action": events.REMINDED,
                    "document": document,
                    "data": {
                        "kind": kind,
                        "step": item.step,
                        "due_on": document.due_on.isoformat(),
                        "people": reminded,
                        "in_digest": folded,
                    },
                }
            )

    def _escalate(self, item: Item, holders: list) -> None:
        document = item.document
        head = item.unit.head if item.unit is not None else None
        if head is None or not head.is_active or not head.email:
            return
        escalated_on = self.escalated.get((document.pk, item.step, document.due_on))
        holds_it = any(p.pk == head.pk for p in holders)
        if escalated_on is not None:
            if escalated_on < self.on and not holds_it:
                self._digest(head).unit_overdue.append(item)
            return
        if head.pk in self.digest_only:
            if head.pk in self.digest_sent:
                return
            if not holds_it:
                self._digest(head).unit_overdue.append(item)
        else:
            self._digest(head)  # remembers the person
            self.escalations[head.pk].append({"item": item, "holders": holders})
        self._log(head, item, Kind.ESCALATED)
        self.result.escalations += 1
        self.audit_events.append(
            {
                "action": events.ESCALATED,
                "document": document,
                "data": {
                    "step": item.step,
                    "due_on": document.due_on.isoformat(),
                    "overdue_days": item.status.days,
                    "head": head.pk,
                    "unit": item.unit.code,
                    "in_digest": head.pk in self.digest_only,
                },
            }
        )

    def _compose_escalations(self) -> None:
        """One mail a day per head, listing every task of the unit that has just become
        late enough (a first run after a holiday may find many): told once per task."""
        for person_id, escalations in self.escalations.items():
            self._mail(
                self.people[person_id],
                key=f"reminders:escalated:{self.on}:{person_id}",
                template="escalation",
                context={
                    "escalations": escalations,
                    "escalate_after": self.config.escalate_after,
                },
            )

    def _compose_digests(self) -> None:
        for person_id, digest in self.digests.items():
            if person_id in self.digest_sent or not digest.items():
                continue
            person = self.people[person_id]
            self.logs.append(ReminderLog(person_id=person.pk, kind=Kind.DIGEST, day=self.on))
            self._mail(
                person,
                key=f"reminders:digest:{self.on}:{person.pk}",
                template="digest",
                context={"digest": digest},
            )
            self.result.digests += 1
            self.audit_events.append(
                {
                    "action": events.DIGEST_SENT,
                    "data": {
                        "person": person.pk,
                        "day": self.on.isoformat(),
                        "documents": [i.document.pk for i in digest.items()],
                        "due_soon": [i.document.pk for i in digest.due_soon],
                        "due_today": [i.document.pk for i in digest.due_today],
                        "overdue": [i.document.pk for i in digest.overdue],
                        "unit_overdue": [i.document.pk for i in digest.unit_overdue],
                    },
                }
            )

    # --- Helpers -------------------------------------------------------------------

    def _holding_unit(self, document: Document, step: str):
        if step == "draft":
            return document.drafting_unit
        if step == "review":
            return document.reviewing_unit
        return self.config.leadership_unit

    def _digest(self, person) -> Digest:
        self.people[person.pk] = person
        return self.digests[person.pk]

    def _log(self, person, item: Item, kind: str) -> None:
        self.logs.append(
            ReminderLog(
                person_id=person.pk,
                document_id=item.document.pk,
                step=item.step,
                due_on=item.document.due_on,
                kind=kind,
                day=self.on,
            )
        )

    def _mail(self, person, *, key: str, template: str, context: dict) -> None:
        context = {**context, "person": person, "day": self.on, "settings_url": self.settings_url}
        self.mails.append(
            {
                "key": key,
                "to": [person.email],
                "subject": bilingual(f"{EMAIL_TEMPLATES}{template}_subject.txt", context, " / "),
                "body": bilingual(f"{EMAIL_TEMPLATES}{template}.txt", context),
            }
        )


def _url(document: Document) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("workflows:document", args=[document.pk])


def bilingual(template_name: str, context: dict, separator: str | None = None) -> str:
    """The text in Vietnamese, then in English: the product stores no language per
    person (the language switch is a cookie), so every reader finds theirs."""
    texts = []
    for language in ("vi", "en"):
        with translation.override(language):
            texts.append(notifications.render_text(template_name, context).strip())
    if texts[0] == texts[1]:
        texts.pop()
    if separator is not None:
        return notifications.subject_line(separator.join(texts))
    return f"\n\n{ENGLISH}\n\n".join(texts) + "\n"

"""Drafting, commenting on and sending the periodic reports. A report is drafted once per
period (the job may run twice, or late); once sent it is read-only."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Person, Unit
from organisation.text import clean
from workflows import audit
from workflows.exceptions import WorkflowError
from workflows.notifications import queue_mails

from . import figures
from .audit_actions import COMMENTED, DRAFTED, SENT
from .models import Report
from .periods import Period
from .permissions import COUNCIL_PERMISSION, LEADER_PERMISSION


class ReportAlreadySent(WorkflowError):
    default_message = gettext_lazy(
        "This report has already been sent and can no longer be changed."
    )


def report_draft(*, period: Period) -> tuple[Report, bool]:
    """The period's report, drafted from the data now if it does not exist yet: returns
    the report and whether it was drafted by this call."""
    existing = Report.objects.filter(kind=period.kind, year=period.year, index=period.index).first()
    if existing:
        return existing, False
    snapshot = figures.compute(period)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=period.kind,
                year=period.year,
                index=period.index,
                period_start=period.start,
                period_end=period.end,
                figures=snapshot,
                drafted_at=timezone.now(),
            )
            audit.record(action=DRAFTED, data={"report": report.pk, "period": period.code})
    except IntegrityError:  # a concurrent run drafted it first
        return Report.objects.get(kind=period.kind, year=period.year, index=period.index), False
    return report, True


def _editable(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_sent:
        raise ReportAlreadySent
    return locked


@transaction.atomic
def report_comment(*, report: Report, actor: Person, commentary: str) -> Report:
    report = _editable(report)
    report.commentary = clean(commentary)
    report.save(update_fields=["commentary"])
    audit.record(
        action=COMMENTED, actor=actor, data={"report": report.pk}, comment=report.commentary
    )
    return report


def recipients() -> list[Person]:
    """The leaders, the units' heads and the Council: active, with an e-mail address."""
    heads = Unit.objects.filter(head__isnull=False).values("head_id")
    with_perm = Q()
    for name in (LEADER_PERMISSION, COUNCIL_PERMISSION):
        app_label, codename = name.split(".")
        with_perm |= Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        ) | Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        )
    found = Person.objects.filter(with_perm | Q(pk__in=heads), is_active=True).exclude(email="")
    return list(found.distinct().order_by("pk"))


def report_url(report: Report) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reports:detail", args=[report.pk])


@transaction.atomic
def report_send(*, report: Report, actor: Person) -> Report:
    """Mark the report sent (read-only from now on) and mail each recipient once, with a
    link: the mail key names the report and the person, so no retry mails twice."""
    report = _editable(report)
    report.state = Report.State.SENT
    report.sent_at = timezone.now()
    report.sent_by = actor
    report.save(update_fields=["state", "sent_at", "sent_by"])
    url = report_url(report)
    people = recipients()
    queue_mails(
        [
            {
                "key": f"reports:{report.pk}:sent:p:{person.pk}",
                "to": [person.email],
                "subject": _("IT-application report: %(title)s") % {"title": report.title},
                "body": _(
                    "The Information Centre has sent the %(title)s on IT application.\n\n"
                    "Read it here: %(url)s\n"
                )
                % {"title": report.title, "url": url},
            }
            for person in people
        ]
    )
    audit.record(
        action=SENT,
        actor=actor,
        data={"report": report.pk, "period": report.period.code, "recipients": len(people)},
    )
    return report

"""The demo periodic reports (reports.yaml beside this module), through the real services:
drafted by the service the schedule's job uses, commented on and sent by the Centre, so
the outbox has the mails and the audit trail the events. Periods are counted back from
the day of loading (reports.periods), so the demo looks the same whatever day it is
loaded. Idempotent: a report sent already is left alone, and a draft keeps the
commentary it has."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from organisation.models import Person
from worktime.calendar import today

from .. import services
from ..periods import KINDS, Period, period_for

HERE = Path(__file__).parent
REPORT_KEYS = {"kind", "back", "sent", "commentary"}


def read(name: str = "reports.yaml") -> dict:
    """The data file, checked against the keys the loader reads."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    for row in data["reports"]:
        if set(row) != REPORT_KEYS or row["kind"] not in KINDS or row["back"] < 0:
            raise ValueError(f"{name}: {row} needs exactly {sorted(REPORT_KEYS)}")
    return data


def ended(kind: str, back: int, day=None) -> Period:
    """The latest period of `kind` that has ended by `day` (today in Vietnam), `back`
    periods further back."""
    period = period_for(kind, day or today()).previous()
    for _i in range(back):
        period = period.previous()
    return period


def load_demo() -> str:
    data = read()
    centre = Person.objects.filter(username=data["centre"]).first()
    if centre is None:
        return _("Demo reports skipped: missing demo accounts")
    rows = sorted(
        ((ended(row["kind"], row["back"]), row) for row in data["reports"]),
        key=lambda pair: (pair[0].end, pair[0].kind),
    )
    drafted = sent = 0
    for period, row in rows:
        with transaction.atomic():
            report, created = services.report_draft(period=period)
            drafted += created
            if report.is_sent:
                continue
            if not report.commentary:
                report = services.report_comment(
                    report=report, actor=centre, commentary=row["commentary"]
                )
            if row["sent"]:
                services.report_send(report=report, actor=centre)
                sent += 1
    return _("Demo reports: %(drafted)d drafted, %(sent)d sent") % {
        "drafted": drafted,
        "sent": sent,
    }

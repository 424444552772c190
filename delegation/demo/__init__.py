"""The demo delegations (delegations.yaml beside this module), recorded through the real
service so the audit trail has them. Idempotent: a delegation with the same Vice-Minister
and decision is not recorded twice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from organisation.models import Person
from worktime.calendar import today

from .. import services
from ..models import Delegation

HERE = Path(__file__).parent
KEYS = {"delegate", "recorded_by", "kinds", "starts_on", "ends_on", "decision_reference"}


def read() -> list[dict]:
    data = yaml.safe_load((HERE / "delegations.yaml").read_text(encoding="utf-8"))
    for row in data["delegations"]:
        if set(row) != KEYS:
            raise ValueError(f"delegations.yaml: {row} needs exactly {sorted(KEYS)}")
    return data["delegations"]


def _day(value) -> dt.date:
    """A date from the YAML: a real date, or a day relative to today in Vietnam."""
    year = today().year
    relative = {
        "start_of_this_year": dt.date(year, 1, 1),
        "end_of_next_year": dt.date(year + 1, 12, 31),
    }
    if isinstance(value, dt.date):
        return value
    if value in relative:
        return relative[value]
    raise ValueError(f"delegations.yaml: {value!r} is neither a date nor {sorted(relative)}")


def load_demo() -> str:
    created = 0
    for row in read():
        delegate = Person.objects.get(username=row["delegate"])
        if Delegation.objects.filter(
            delegate=delegate, decision_reference=row["decision_reference"]
        ).exists():
            continue
        every = row["kinds"] == "all"
        services.delegation_record(
            user=Person.objects.get(username=row["recorded_by"]),
            delegate_id=delegate.pk,
            kind_codes=[] if every else row["kinds"],
            all_kinds=every,
            starts_on=_day(row["starts_on"]),
            ends_on=_day(row["ends_on"]),
            decision_reference=row["decision_reference"],
        )
        created += 1
    return _("Delegations of signature recorded: %(n)d") % {"n": created}

"""The demo Vice-Minister has a delegation in force over the demo's years, so the demo
still lets her sign; loading twice records it once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from delegation import demo, selectors
from delegation.models import Delegation
from tests.workflows import helpers as h
from workflows import kinds
from workflows.models import AuditEvent
from worktime.calendar import VIETNAM

pytestmark = pytest.mark.usefixtures("demo_org")


def test_the_demo_vice_minister_may_sign_every_kind_in_the_demo_period():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=VIETNAM), tick=False):
        demo.load_demo()
        demo.load_demo()

    delegation = Delegation.objects.get()
    assert delegation.delegate.username == h.VICE_MINISTER
    assert delegation.recorded_by.username == h.MINISTER
    assert delegation.all_kinds
    assert AuditEvent.objects.filter(action="delegation.delegation.recorded").count() == 1
    vice_minister = h.person(h.VICE_MINISTER)
    for moment in (dt.datetime(2026, 1, 1, 0, 0), dt.datetime(2027, 12, 31, 23, 59)):
        at = moment.replace(tzinfo=VIETNAM)
        for kind in kinds.all_kinds():
            assert selectors.delegation_in_force(vice_minister, kind.code, at) == delegation


def test_the_demo_file_is_checked():
    assert {row["delegate"] for row in demo.read()} == {h.VICE_MINISTER}


def test_the_demo_delegation_follows_the_year_it_is_loaded_in():
    """Loaded in 2031, the demo still lets her sign: its dates are relative."""
    with time_machine.travel(dt.datetime(2031, 6, 1, 9, tzinfo=VIETNAM), tick=False):
        demo.load_demo()
    delegation = Delegation.objects.get()
    assert (delegation.starts_on, delegation.ends_on) == (
        dt.date(2031, 1, 1),
        dt.date(2032, 12, 31),
    )


def test_an_unknown_relative_date_is_refused():
    with pytest.raises(ValueError):
        demo._day("next_tuesday")

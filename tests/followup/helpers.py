"""Documents held by units for the follow-up tests: plans driven through the real
services, with their due date set directly (the duedates part sets it in production)."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import time_machine

from tests.workflows import helpers as h
from workflows.models import Document

CLERK = "vanthu.vp"
# Thursday 10/12/2026, 09:00 in Hà Nội: an ordinary working week.
NOW = dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 10)


@contextmanager
def frozen(when: dt.datetime = NOW):
    with time_machine.travel(when, tick=False):
        yield


def held_plan(state: str, *, due_on: dt.date | None = None, title: str | None = None):
    document = h.make_plan(state, title=title)
    Document.objects.filter(pk=document.pk).update(due_on=due_on)
    return Document.objects.get(pk=document.pk)

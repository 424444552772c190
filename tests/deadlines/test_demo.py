"""The demo shows a mix of due statuses relative to the day load_demo runs."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from deadlines.demo import read
from workflows.models import Document
from worktime.calendar import VIETNAM, WorkingCalendar

pytestmark = pytest.mark.django_db


def test_the_demo_has_overdue_due_today_and_due_soon_documents():
    # Monday 01/02/2027, just before Tết: "1 working day left" lands after the holidays.
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=VIETNAM), tick=False):
        call_command("load_demo", stdout=StringIO())
        calendar, on = WorkingCalendar.load(), dt.date(2027, 2, 1)
        found = {}
        for row in read():
            document = Document.objects.get(title=row["title"])
            status = calendar.status(document.due_on, on)
            found[row["working_days"]] = (document.due_on, status.kind, status.days)
    assert found == {
        -3: (dt.date(2027, 1, 27), "overdue", 3),
        -1: (dt.date(2027, 1, 29), "overdue", 1),
        0: (dt.date(2027, 2, 1), "today", 0),
        1: (dt.date(2027, 2, 2), "left", 1),
        4: (dt.date(2027, 2, 12), "left", 4),
    }

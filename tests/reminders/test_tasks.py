"""The job is on huey's schedule (utc=True) at 00:30 UTC, 07:30 in Vietnam, every day."""

import datetime as dt

from django.conf import settings

from reminders.tasks import send_reminders


def test_the_job_runs_every_day_at_half_past_seven_in_vietnam():
    assert settings.HUEY["utc"] is True
    fires = send_reminders.task_class().validate_datetime
    saturday = dt.datetime(2026, 11, 28, 0, 30)
    assert all(fires(saturday + dt.timedelta(days=d)) for d in range(7))
    assert not fires(dt.datetime(2026, 11, 30, 7, 30))  # 07:30 UTC would be 14:30 there
    assert not fires(dt.datetime(2026, 11, 30, 0, 31))

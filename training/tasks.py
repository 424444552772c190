"""The worker's schedule for training. huey runs with utc=True: crontabs are in UTC,
Vietnam is UTC+7 all year."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import reminders_queue


@db_periodic_task(crontab(hour="1", minute="0"))  # 08:00 in Vietnam, every day
def remind_sessions() -> int:
    """Tomorrow's sessions, mailed once per person (the outbox key makes reruns safe)."""
    return reminders_queue()

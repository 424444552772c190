"""The nightly reminder job on huey's schedule. huey runs with utc=True, so the crontab
is in UTC: 00:30 UTC is 07:30 in Vietnam, before the working day starts. It runs every
day; on a day that is not a working day the service sends nothing."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from worktime.calendar import today

from . import services


@db_periodic_task(crontab(minute="30", hour="0"))
def send_reminders():
    services.reminders_send(on=today())

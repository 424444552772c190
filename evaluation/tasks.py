"""The daily evaluation reminders on huey's schedule (UTC crontab: 00:40 UTC is 07:40 in
Vietnam). Idempotent: mails are keyed by day and unit (services.reminders_send)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from worktime.calendar import today

from . import services


@db_periodic_task(crontab(minute="40", hour="0"))
def send_evaluation_reminders():
    services.reminders_send(on=today())

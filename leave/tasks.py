"""The nightly closing of leave that has ended (the logic is in leave.services)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="5", hour="*"))
def close_ended_leave() -> int:
    # Hourly, so the person is told soon after midnight in Vietnam whatever the server's
    # zone; idempotent, so a missed or repeated run does no harm.
    return services.leave_close_ended()

"""The worker's schedule for standards. huey runs with utc=True: crontabs are in UTC,
Vietnam is UTC+7 all year."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import apply_supersession


@db_periodic_task(crontab(hour="17", minute="5"))  # 00:05 in Vietnam, every day
def apply_standards() -> int:
    """A standard issued earlier takes effect today: mark the older one superseded.
    Idempotent: a second run (or one after a missed day) finds nothing more to do."""
    return len(apply_supersession())

"""The worker's schedule for the audit trail. huey runs with utc=True: crontabs are in
UTC, Vietnam is UTC+7 all year."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import audit


@db_periodic_task(crontab(hour="17", minute="10"))  # 00:10 in Vietnam, every day
def record_audit_head() -> int:
    """Keep (and mail to the inspectorate) the day's head; twice the same day keeps one."""
    return audit.audit_head_record().count


@db_periodic_task(crontab(day_of_week="0", hour="18", minute="0"))  # Monday 01:00 in Vietnam
def verify_audit() -> bool:
    """Verify the whole chain against the last daily head; a failure is logged at ERROR
    and mailed to the ADMINS."""
    return audit.audit_verify_against_last_head().ok

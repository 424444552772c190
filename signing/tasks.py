"""The worker's daily signature of the audit head (after workflows.tasks records it)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .checkpoints import audit_checkpoint_sign


@db_periodic_task(crontab(hour="17", minute="15"))  # 00:15 in Vietnam, every day
def sign_audit_checkpoint() -> int:
    """Sign the day's audit head with the Committee's key; twice the same day keeps one."""
    return audit_checkpoint_sign().count

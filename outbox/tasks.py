"""The worker's side of the outbox: delivery right after the commit, and a sweeper every
minute for everything else that is due. Both only call the services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import services


@db_task()
def deliver_mail(ids: list[int]) -> int:
    return services.mail_deliver(ids=ids)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> int:
    return services.outbox_sweep()


@db_periodic_task(crontab(hour="19", minute="40"))  # 02:40 in Vietnam
def purge_outbox() -> int:
    return services.outbox_purge()


@db_task()
def ping() -> str:
    """Answered by any running worker: `manage.py queue_check` waits for it."""
    return "pong"

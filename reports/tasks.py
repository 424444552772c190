"""The worker's schedule for the periodic reports. huey runs with utc=True: crontabs are
in UTC, Vietnam is UTC+7 all year."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from worktime.calendar import today

from .periods import ending_on
from .services import report_draft


def draft_due_reports(day=None) -> list[str]:
    """Draft the reports of the periods that ended yesterday (Vietnam), and of any period
    whose report is missing because the job did not run on its day (the last few days
    are looked at again). Idempotent: a report drafted already is left as it is."""
    import datetime as dt

    day = day or today()
    drafted = []
    for back in range(1, 8):
        for period in ending_on(day - dt.timedelta(days=back)):
            report, created = report_draft(period=period)
            if created:
                drafted.append(period.code)
    return drafted


@db_periodic_task(crontab(hour="17", minute="20"))  # 00:20 in Vietnam, every day
def draft_reports() -> list[str]:
    return draft_due_reports()

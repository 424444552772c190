"""The worker's side of the stored PDFs: once a day, the files no row names (left by a
signature or an issue that rolled back) are deleted once they are a day old."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import pdf_store


@db_periodic_task(crontab(hour="20", minute="50"))  # 03:50 in Vietnam
def sweep_pdf_orphans() -> int:
    return pdf_store.pdf_orphans_sweep()

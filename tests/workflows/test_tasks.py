"""The worker's audit jobs: the daily head kept and mailed, the weekly verification
against it, whose failure is logged at ERROR and mailed to the ADMINS."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.core import mail
from huey.contrib.djhuey import HUEY

from outbox.models import Mail
from tests.workflows import helpers as h
from workflows import audit, tasks
from workflows.models import AuditHeadRecord, AuditVerification

pytestmark = pytest.mark.usefixtures("demo_org")

VN = dt.timezone(dt.timedelta(hours=7))


def scheduled_at(utc: dt.datetime) -> set[str]:
    """The periodic tasks the consumer enqueues at this UTC minute (huey runs utc=True)."""
    return {task.name.rsplit(".", 1)[-1] for task in HUEY.read_periodic(utc)}


def test_the_schedule_in_utc_matches_the_vietnamese_times():
    assert "record_audit_head" in scheduled_at(dt.datetime(2027, 2, 3, 17, 10))  # 00:10 VN
    assert "record_audit_head" not in scheduled_at(dt.datetime(2027, 2, 3, 0, 10))
    # Sunday 18:00 UTC is Monday 01:00 in Vietnam; not on the other days.
    assert "verify_audit" in scheduled_at(dt.datetime(2027, 1, 3, 18, 0))
    assert "verify_audit" not in scheduled_at(dt.datetime(2027, 1, 4, 18, 0))


def test_the_daily_head_is_kept_once_a_day_and_mailed_to_the_inspectorate(
    settings, django_capture_on_commit_callbacks
):
    settings.AUDIT_HEAD_EMAILS = ["thanhtra@ubdt.gov.vn"]
    h.make_plan("submitted")
    count, head = audit.chain_head()
    with time_machine.travel(dt.datetime(2027, 2, 4, 0, 10, tzinfo=VN), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.record_audit_head()  # huey keeps no result of a periodic task
        h.make_plan("draft")  # the chain moves on; the day's head stays
        with django_capture_on_commit_callbacks(execute=True):
            tasks.record_audit_head()

    record = AuditHeadRecord.objects.get()
    assert (record.day, record.count, record.head_hash) == (dt.date(2027, 2, 4), count, head)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["thanhtra@ubdt.gov.vn"]
    assert head in mail.outbox[0].body and "04/02/2027" in mail.outbox[0].subject


def test_the_weekly_verification_passes_against_the_last_daily_head(
    settings, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Admin", "quantri@ubdt.gov.vn")]
    h.make_plan("submitted")
    audit.audit_head_record(day=dt.date(2027, 2, 1))
    h.make_plan("draft")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.verify_audit()
    assert AuditVerification.objects.get().ok
    assert mail.outbox == []


def test_a_broken_chain_is_logged_at_error_and_mailed_to_the_admins_once_a_day(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Admin", "quantri@ubdt.gov.vn")]
    h.make_plan("submitted")
    count, head = audit.chain_head()
    # The day's head said more events than the chain now has: its tail was removed.
    AuditHeadRecord.objects.create(day=dt.date(2027, 2, 1), count=count + 3, head_hash=head)

    with caplog.at_level(logging.ERROR, logger="workflows.audit"):
        for _ in range(2):  # e.g. two machines running the schedule
            with django_capture_on_commit_callbacks(execute=True):
                tasks.verify_audit()

    assert [r.levelno for r in caplog.records if r.name == "workflows.audit"] == [logging.ERROR] * 2
    assert "tail was removed" in caplog.text
    assert AuditVerification.objects.filter(ok=False).count() == 2
    assert [m.to for m in mail.outbox] == [["quantri@ubdt.gov.vn"]]
    assert "tail was removed" in mail.outbox[0].body
    assert Mail.objects.filter(key__startswith="audit-verify-failed:").count() == 1

"""The demo loads the periodic reports from its data file, through the services: the
sent ones mailed, the latest month a draft under the Centre's review, whatever the day."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from organisation.models import Person
from outbox.models import Mail
from reports import demo
from reports.models import Report
from reports.periods import MONTH, QUARTER, Period, period_for
from workflows.models import AuditEvent
from worktime.calendar import VIETNAM, today

pytestmark = pytest.mark.django_db


def _shape() -> list[tuple[str, str, bool]]:
    return [
        (r.kind, r.state, bool(r.commentary)) for r in Report.objects.order_by("period_end", "kind")
    ]


def test_the_demo_has_sent_reports_and_a_draft_and_loads_once():
    call_command("load_demo", stdout=StringIO())
    counts = (Report.objects.count(), Mail.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Report.objects.count(), Mail.objects.count(), AuditEvent.objects.count()) == counts
    call_command("verify_audit", stdout=StringIO())

    latest = period_for(MONTH, today()).previous()
    assert today() > latest.end
    draft = Report.objects.get(state=Report.State.DRAFT)
    assert (draft.kind, draft.year, draft.index) == (MONTH, latest.year, latest.index)
    assert draft.commentary.startswith("Dự thảo")
    sent = Report.objects.filter(state=Report.State.SENT)
    assert sorted(sent.values_list("kind", flat=True)) == [MONTH] * 3 + [QUARTER] * 2
    assert {r.sent_by.username for r in sent} == {"soanthao.tttt"}
    assert all(r.commentary for r in sent)
    months = [p.period for p in Report.objects.filter(kind=MONTH).order_by("period_end")]
    assert months == [
        latest.previous().previous().previous(),
        latest.previous().previous(),
        latest.previous(),
        latest,
    ]
    # Every sent report mailed its readers through the outbox, the draft nobody.
    for report in sent:
        assert Mail.objects.filter(key__startswith=f"reports:{report.pk}:sent:").count() >= 3
    assert not Mail.objects.filter(key__startswith=f"reports:{draft.pk}:").exists()
    assert {"reports.report.drafted", "reports.report.commented", "reports.report.sent"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2027, 1, 14, 23, 0, tzinfo=VIETNAM),  # the last day of January's period
        dt.datetime(2027, 1, 15, 0, 30, tzinfo=VIETNAM),  # the first of February's
        dt.datetime(2027, 3, 20, 9, 0, tzinfo=VIETNAM),  # just after a quarter ended
    ],
)
def test_the_demo_has_the_same_reports_whatever_the_day(demo_org, when):
    with time_machine.travel(when, tick=False), translation.override("en"):
        message = demo.load_demo()
        assert message == "Demo reports: 6 drafted, 5 sent", message
        assert demo.load_demo() == "Demo reports: 0 drafted, 0 sent"
        assert sorted(_shape()) == sorted(
            [(MONTH, "sent", True)] * 3 + [(QUARTER, "sent", True)] * 2 + [(MONTH, "draft", True)]
        )
        draft = Report.objects.get(state="draft")
        assert draft.period == period_for(MONTH, today()).previous()
        # None of them is a period still running.
        assert all(r.period_end < today() for r in Report.objects.all())


def test_the_latest_ended_period_is_counted_from_the_cut_off():
    assert demo.ended(MONTH, 0, dt.date(2027, 1, 14)) == Period.of(MONTH, 2026, 12)
    assert demo.ended(MONTH, 0, dt.date(2027, 1, 15)) == Period.of(MONTH, 2027, 1)
    assert demo.ended(MONTH, 2, dt.date(2027, 1, 15)) == Period.of(MONTH, 2026, 11)
    assert demo.ended(QUARTER, 0, dt.date(2027, 3, 14)) == Period.of(QUARTER, 2026, 4)
    assert demo.ended(QUARTER, 1, dt.date(2027, 3, 15)) == Period.of(QUARTER, 2026, 4)


def test_a_draft_someone_already_commented_on_keeps_its_commentary(demo_org):
    from reports import services

    latest = demo.ended(MONTH, 0)
    report, _ = services.report_draft(period=latest)
    centre = Person.objects.get(username="soanthao.tttt")
    services.report_comment(report=report, actor=centre, commentary="Nhận xét của Trung tâm")

    demo.load_demo()

    report.refresh_from_db()
    assert (report.state, report.commentary) == ("draft", "Nhận xét của Trung tâm")


def test_the_data_file_has_the_keys_the_loader_reads():
    data = demo.read()  # raises on a missing or unknown key
    assert [r for r in data["reports"] if not r["sent"]] == [
        r for r in data["reports"] if (r["kind"], r["back"]) == (MONTH, 0)
    ]

"""The Centre comments on a draft and sends it: the leaders, the units' heads and the
Council get one mail each with a link; a sent report is read-only; all audited."""

import pytest
from django.conf import settings

from organisation.models import Person, Unit
from outbox.models import Mail
from reports.models import Report
from reports.periods import MONTH, Period
from reports.services import ReportAlreadySent, report_comment, report_draft, report_send
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(demo_org):
    unit = Unit.objects.get(code="KH")
    unit.head = Person.objects.get(username="thamdinh.kh")
    unit.save()
    return report_draft(period=Period.of(MONTH, 2027, 1))[0]


def test_send_mails_each_recipient_once_with_a_link(report):
    centre = Person.objects.get(username="soanthao.tttt")
    report_comment(report=report, actor=centre, commentary="  Tình hình tốt.  ")
    report_send(report=report, actor=centre)
    mails = list(Mail.objects.all())
    recipients = sorted(address for mail in mails for address in mail.to)
    assert recipients == sorted(
        Person.objects.get(username=u).email
        for u in ("botruong", "thutruong", "hoidong.tdkt", "thamdinh.kh")
    )
    link = settings.SITE_URL.rstrip("/") + f"/reports/{report.pk}/"
    assert all(link in mail.body for mail in mails)
    with pytest.raises(ReportAlreadySent):
        report_send(report=report, actor=centre)
    assert Mail.objects.count() == len(mails)
    report.refresh_from_db()
    assert report.state == Report.State.SENT and report.commentary == "Tình hình tốt."
    assert report.sent_by == centre
    actions = list(
        AuditEvent.objects.filter(action__startswith="reports.").values_list("action", flat=True)
    )
    assert actions == ["reports.report.drafted", "reports.report.commented", "reports.report.sent"]


def test_a_sent_report_is_read_only(report):
    centre = Person.objects.get(username="soanthao.tttt")
    report_send(report=report, actor=centre)
    with pytest.raises(ReportAlreadySent):
        report_comment(report=report, actor=centre, commentary="Sửa sau khi gửi")
    report.refresh_from_db()
    assert report.commentary == ""

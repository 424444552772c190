"""Time in the workflow, end to end in real Chromium: a plan waits on the Planning
Department past its due date, the Office clerk follows it up and sends a formal reminder,
the reviewer reads it on the document and in her mail and endorses, and the
Vice-Minister signs "KT." under a delegation in force.

The clock is moved with time-machine. pytest-django's live server is a thread of the
test process, so the server under test reads the same travelled clock as the test: the
dates the pages show and the audit trail records prove it."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from delegation import services as delegations
from organisation.demo import DEMO_PASSWORD
from organisation.models import Unit
from tests.browser.conftest import issue_as_clerk, login, logout, sign
from tests.workflows import helpers as h
from workflows.models import AuditEvent, Document
from worktime.calendar import VIETNAM, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Kế hoạch ứng dụng CNTT giai đoạn 2026 - 2030"
DECISION = "Quyết định số 123/QĐ-UBDT ngày 01/12/2026"
MESSAGE = "Đề nghị Vụ Kế hoạch hoàn thành thẩm định kế hoạch trước ngày 23/12/2026."
# Monday 07/12/2026, 09:00 in Hà Nội: the drafter submits the plan for review.
SUBMITTED_AT = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM)
# The review is due on Thursday 10/12/2026 (set directly below: due dates are set by the
# services on another branch, whose default for a review would be 21/12/2026).
DUE_ON = dt.date(2026, 12, 10)
# Tuesday 22/12/2026, 09:00 in Hà Nội: past either due date. From 10/12 that is
# 11, 14, 15, 16, 17, 18, 21 and 22/12: eight working days overdue.
LATE = dt.datetime(2026, 12, 22, 9, 0, tzinfo=VIETNAM)
OVERDUE_DAYS = 8


def mails_to(address):
    """The mails delivered to `address` so far: the one place to adapt if delivery moves
    behind an outbox and a worker."""
    return [m for m in mail.outbox if address in m.to]


def test_an_overdue_review_is_followed_up_endorsed_and_signed_under_a_delegation(page, demo_org):
    reviewer = h.person(h.REVIEWER)
    kh = Unit.objects.get(code="KH")

    with time_machine.travel(SUBMITTED_AT, tick=True):
        document = h.make_plan("draft", title=TITLE)
        delegation = delegations.delegation_record(
            user=h.person(h.MINISTER),
            delegate_id=h.person(h.VICE_MINISTER).pk,
            kind_codes=[],
            all_kinds=True,
            starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2026, 12, 31),
            decision_reference=DECISION,
        )

        # The drafter submits the plan for review.
        login(page, h.DRAFTER, DEMO_PASSWORD)
        page.goto(f"/documents/{document.pk}/")
        page.get_by_test_id("action-submit").click()
        expect(page.get_by_test_id("state")).to_have_text("Chờ thẩm định")
        logout(page)
    Document.objects.filter(pk=document.pk).update(due_on=DUE_ON)

    with time_machine.travel(LATE, tick=True):
        assert today() == LATE.date()

        # The Office clerk sees the Planning Department holding an overdue document, and
        # for how long, on the follow-up page of the server's (travelled) day.
        login(page, "vanthu.vp", DEMO_PASSWORD)
        page.get_by_role("link", name="Theo dõi, đôn đốc").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi, đôn đốc")
        expect(
            page.get_by_text("Ngày 22/12/2026: văn bản đang chờ xử lý: 1; quá hạn: 1.")
        ).to_be_visible()
        unit_row = page.get_by_test_id("followup-units").locator(f'tr[data-unit="unit-{kh.pk}"]')
        expect(unit_row.locator("th")).to_have_text("Vụ Kế hoạch")
        # The clock ticks: the review task started when the submission was made, a few
        # seconds (more on a loaded machine) after 09:00.
        since = h.open_task(document).created.astimezone(VIETNAM)
        assert since.date() == SUBMITTED_AT.date()
        expect(unit_row.locator("td")).to_have_text(
            ["1", "1", str(OVERDUE_DAYS), f"{since:%d/%m/%Y %H:%M}", "Đôn đốc đơn vị"]
        )
        held = page.get_by_test_id("followup-unit").filter(has_text="Vụ Kế hoạch")
        held.locator("summary").click()
        row = held.locator(f'tr[data-document="{document.pk}"]')
        expect(row).to_contain_text(TITLE)
        expect(row).to_contain_text("10/12/2026")
        expect(row.get_by_test_id("due-status")).to_have_text(
            f"Quá hạn {OVERDUE_DAYS} ngày làm việc"
        )

        # She sends a formal reminder to the document's holder, with a message.
        row.get_by_test_id("remind-document").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
        form = page.get_by_test_id("reminder-form")
        form.get_by_label("Nội dung đôn đốc").fill(MESSAGE)
        form.get_by_role("button", name="Gửi đôn đốc").click()
        expect(page).to_have_url("/followup/")
        expect(page.get_by_test_id("message-success")).to_have_text("Đã gửi đôn đốc tới 1 người.")
        logout(page)

        reminded = AuditEvent.objects.get(document=document, action="followup.document.reminded")
        assert reminded.actor.username == "vanthu.vp"
        assert reminded.data["message"] == MESSAGE
        assert reminded.data["holder"] == "KH" and reminded.data["step"] == "review"
        assert reminded.data["recipients"] == [reviewer.pk]
        assert reminded.created_at.astimezone(VIETNAM).date() == LATE.date()

        # The reviewer has the reminder in her mail, with the message and a link...
        subject = f"Văn phòng đôn đốc: {TITLE}"
        (reminder_mail,) = [m for m in mails_to(reviewer.email) if m.subject == subject]
        assert MESSAGE in reminder_mail.body
        assert f"Quá hạn {OVERDUE_DAYS} ngày làm việc" in reminder_mail.body
        assert f"/documents/{document.pk}/" in reminder_mail.body

        # ...and on the document's timeline; she endorses.
        login(page, h.REVIEWER, DEMO_PASSWORD)
        page.goto(f"/documents/{document.pk}/")
        entry = page.get_by_test_id("timeline").locator("li").filter(has_text="Văn phòng đôn đốc")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text("Phạm Thị Dung (VP)")
        expect(entry).to_contain_text("22/12/2026")
        expect(entry.locator("blockquote")).to_have_text(MESSAGE)
        page.get_by_test_id("action-review").click()
        page.get_by_test_id("decision-endorse").click()
        expect(page.get_by_test_id("state")).to_have_text("Đã thống nhất, chờ ký")
        logout(page)

        # The Vice-Minister signs under the delegation in force today.
        login(page, h.VICE_MINISTER, DEMO_PASSWORD)
        page.goto(f"/documents/{document.pk}/")
        page.get_by_test_id("action-sign").click()
        expect(page.get_by_test_id("delegation-notice")).to_contain_text(DECISION)
        sign(page)
        expect(page.get_by_test_id("state")).to_have_text("Đã ký, chờ phát hành")
        issue_as_clerk(page, document.pk)
        expect(page.get_by_test_id("state")).to_have_text("Đã ban hành")
        expect(page.get_by_test_id("signed-under")).to_have_text(DECISION)

        # The print view: "KT. BỘ TRƯỞNG, CHỦ NHIỆM" above her title, dated today.
        page.get_by_test_id("action-print").click()
        expect(page.get_by_test_id("print-date")).to_have_text("Hà Nội, ngày 22 tháng 12 năm 2026")
        signer = page.get_by_test_id("print-signer")
        expect(signer.locator(".on-behalf")).to_have_text("KT. BỘ TRƯỞNG, CHỦ NHIỆM")
        expect(signer.locator(".signer-title")).to_have_text("THỨ TRƯỞNG, PHÓ CHỦ NHIỆM")
        expect(signer.locator(".signer-name")).to_have_text("Hoàng Thị Lan")
        block = signer.inner_text()
        assert block.index("KT. BỘ TRƯỞNG, CHỦ NHIỆM") < block.index("THỨ TRƯỞNG, PHÓ CHỦ NHIỆM")
        assert page.csp_errors == []

    issued = Document.objects.get(pk=document.pk)
    assert issued.state == "issued" and issued.issued_on == LATE.date()
    assert issued.signed_on_behalf and issued.delegated_signature.delegation == delegation
    trail = [
        (e.action, e.actor.username, e.created_at.astimezone(VIETNAM).date())
        for e in AuditEvent.objects.filter(document=document).order_by("seq")
    ]
    assert trail == [
        ("planning.plan.created", h.DRAFTER, SUBMITTED_AT.date()),
        ("planning.plan.edited", h.DRAFTER, SUBMITTED_AT.date()),
        ("planning.plan.submitted", h.DRAFTER, SUBMITTED_AT.date()),
        ("followup.document.reminded", "vanthu.vp", LATE.date()),
        ("planning.plan.endorsed", h.REVIEWER, LATE.date()),
        ("planning.plan.signed", h.VICE_MINISTER, LATE.date()),
        ("planning.plan.issued", "vanthu.vp", LATE.date()),
        ("issuance.dispatch.sent", "vanthu.vp", LATE.date()),
        ("issuance.dispatch.sent", "vanthu.vp", LATE.date()),
    ]
    recorded = AuditEvent.objects.get(action="delegation.delegation.recorded")
    assert recorded.actor.username == h.MINISTER
    assert recorded.data["delegation"] == delegation.pk

"""Delegation of signature in real Chromium: the Minister records a delegation on the
register page, the Vice-Minister's sign page names it, she signs, and the print view
shows the "KT." block above her title."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from organisation.demo import DEMO_PASSWORD
from tests.browser.conftest import issue_as_clerk, login, logout, sign
from tests.workflows import helpers as h
from workflows.models import Document
from worktime.calendar import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECISION = "Quyết định số 123/QĐ-UBDT ngày 01/12/2026"


def test_a_vice_minister_signs_under_a_delegation_and_the_print_shows_kt(page, demo_org):
    document = h.make_plan("endorsed")
    first, last = today(), today() + dt.timedelta(days=30)

    # The Minister records the delegation on the register page, from the main menu.
    login(page, "botruong", DEMO_PASSWORD)
    page.get_by_role("link", name="Ủy quyền ký").click()
    form = page.get_by_test_id("delegation-form")
    form.get_by_label("Thứ trưởng, Phó Chủ nhiệm").select_option(label="Hoàng Thị Lan")
    form.get_by_label("Tất cả các loại văn bản").check()
    form.get_by_label("Từ ngày (từ 00:00)").fill(f"{first:%d/%m/%Y}")
    form.get_by_label("Đến ngày (đến 24:00)").fill(f"{last:%d/%m/%Y}")
    form.get_by_label("Quyết định ủy quyền").fill(DECISION)
    form.get_by_test_id("record").click()
    row = page.get_by_test_id("delegations").locator("tbody tr").first
    expect(row).to_contain_text("Hoàng Thị Lan")
    expect(row).to_contain_text(DECISION)
    expect(row.get_by_test_id("delegation-state")).to_have_text("Đang có hiệu lực")
    logout(page)

    # The Vice-Minister's sign page names the delegation; she signs.
    login(page, "thutruong", DEMO_PASSWORD)
    page.goto(f"/documents/{document.pk}/")
    page.get_by_test_id("action-sign").click()
    expect(page.get_by_test_id("delegation-notice")).to_contain_text(DECISION)
    expect(page.get_by_test_id("delegation-notice")).to_contain_text(f"{last:%d/%m/%Y}")
    sign(page)
    expect(page.get_by_test_id("state")).to_have_text("Đã ký, chờ phát hành")
    issue_as_clerk(page, document.pk)
    expect(page.get_by_test_id("state")).to_have_text("Đã ban hành")
    expect(page.get_by_test_id("signed-under")).to_have_text(DECISION)

    # The print view: "KT. BỘ TRƯỞNG, CHỦ NHIỆM" above her title and name.
    page.get_by_test_id("action-print").click()
    signer = page.get_by_test_id("print-signer")
    expect(signer.locator(".on-behalf")).to_have_text("KT. BỘ TRƯỞNG, CHỦ NHIỆM")
    expect(signer.locator(".signer-title")).to_have_text("THỨ TRƯỞNG, PHÓ CHỦ NHIỆM")
    expect(signer.locator(".signer-name")).to_have_text("Hoàng Thị Lan")
    assert page.csp_errors == []
    issued = Document.objects.get(pk=document.pk)
    assert (
        issued.signed_on_behalf
        and issued.delegated_signature.delegation.decision_reference == DECISION
    )

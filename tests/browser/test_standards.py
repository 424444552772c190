"""A competency standard's journey in real Chromium: the Personnel drafter builds it, the
Centre disagrees with a reason, the drafter revises and submits, the Minister signs."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisation.demo import DEMO_PASSWORD
from organisation.models import Person
from standards import certificates
from standards.demo import load_groups
from standards.models import Standard
from tests.browser.conftest import issue_as_clerk, login, logout, sign
from workflows.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_standard_from_draft_to_issued(page, demo_org):
    load_groups()
    today = timezone.localdate().strftime("%d/%m/%Y")
    # The Centre's officer already holds the basic certificate and advanced IU07.
    certificates.certificate_record(
        user=Person.objects.get(username="soanthao.tccb"),
        person_id=Person.objects.get(username="soanthao.tttt").pk,
        module_codes=["IU01", "IU02", "IU03", "IU04", "IU05", "IU06", "IU07"],
        issued_on=timezone.localdate().replace(year=timezone.localdate().year - 1),
        issuing_body="Trung tâm Tin học - Đại học Quốc gia Hà Nội",
        number="CC-2025-0042",
    )

    # The Personnel drafter builds the standard and asks the Centre for its opinion.
    login(page, "soanthao.tccb", DEMO_PASSWORD)
    page.get_by_role("link", name="Chuẩn kỹ năng").first.click()
    page.get_by_test_id("create-document").click()
    page.locator("#id_title").fill("Chuẩn kỹ năng sử dụng CNTT của công chức, viên chức UBDT")
    page.get_by_test_id("create").click()
    expect(page).to_have_url(re.compile(r"/standards/\d+/edit/$"))
    pk = int(re.search(r"/standards/(\d+)/edit/", page.url).group(1))
    page.locator("#id_scope").fill("Quy định chuẩn kỹ năng sử dụng CNTT.")
    page.locator("#id_applies_to").fill("Công chức, viên chức của Ủy ban Dân tộc.")
    page.locator("#id_effective_date").fill(today)
    page.locator("#id_level_CHUYENVIEN").select_option("basic")
    page.locator("#id_level_CNTT").select_option("advanced")
    for code in ("IU07", "IU08"):
        page.locator("tr[data-group=CNTT]").get_by_label(re.compile(code)).check()
    page.get_by_test_id("save-and-close").click()
    # Only two advanced modules: refused with the reason, nothing saved.
    expect(page.get_by_test_id("form-errors")).to_contain_text("ít nhất ba mô đun nâng cao")
    page.locator("tr[data-group=CNTT]").get_by_label(re.compile("IU14")).check()
    page.get_by_test_id("save-and-close").click()
    expect(page).to_have_url(f"/documents/{pk}/")
    expect(page.get_by_test_id("table-matrix")).to_contain_text("IU07, IU08, IU14")
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ thẩm định")
    logout(page)

    # The Centre disagrees, with a reason.
    login(page, "soanthao.tttt", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-review").click()
    page.get_by_test_id("verdict-disagree").check()
    page.get_by_test_id("decision-opinion").click()
    expect(page.get_by_test_id("message-error")).to_contain_text(
        "chỉ khi nhất trí mới không bắt buộc"
    )
    page.get_by_test_id("action-review").click()
    page.get_by_test_id("verdict-disagree").check()
    page.locator("#id_decision_comment").fill("Cán bộ CNTT cần thêm mô đun IU10 (cơ sở dữ liệu).")
    page.get_by_test_id("decision-opinion").click()
    expect(page.get_by_test_id("state")).to_have_text("Trả lại để chỉnh sửa")
    logout(page)

    # The drafter reads the opinion, revises and submits to the Minister.
    login(page, "soanthao.tccb", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    expect(page.get_by_test_id("verdict")).to_have_text("Không nhất trí")
    page.get_by_test_id("action-edit").click()
    expect(page.get_by_test_id("comment").first).to_contain_text("IU10")
    page.locator("tr[data-group=CNTT]").get_by_label(re.compile("IU10")).check()
    page.get_by_test_id("save-and-close").click()
    page.get_by_test_id("action-submit-to-signer").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã thống nhất, chờ ký")
    logout(page)

    # The Minister signs: a decision in the shared register.
    login(page, "botruong", DEMO_PASSWORD)
    page.get_by_test_id("inbox-count").click()
    page.get_by_test_id("my-tasks").get_by_role("link").first.click()
    page.get_by_test_id("action-sign").click()
    sign(page)
    expect(page.get_by_test_id("state")).to_have_text("Đã ký, chờ phát hành")
    issue_as_clerk(page, pk)
    expect(page.get_by_test_id("state")).to_have_text("Đã ban hành")
    expect(page.get_by_test_id("number")).to_have_text("01/QĐ-UBDT")
    document = Document.objects.get(pk=pk)
    assert document.signed_revision.number == 2
    standard = Standard.objects.get(pk=pk)
    cntt = standard.requirements.get(group__code="CNTT")
    assert sorted(m.code for m in cntt.advanced_modules.all()) == ["IU07", "IU08", "IU10", "IU14"]
    logout(page)

    # The standard is in force: the Centre's officer sees what is still missing.
    login(page, "soanthao.tttt", DEMO_PASSWORD)
    page.get_by_role("link", name="Kỹ năng CNTT của tôi").click()
    expect(page.get_by_test_id("standard-in-force")).to_contain_text("01/QĐ-UBDT")
    expect(page.get_by_test_id("requirement")).to_contain_text("Chứng chỉ nâng cao")
    gap = page.get_by_test_id("gap")
    for code in ("IU08", "IU10", "IU14"):
        expect(gap).to_contain_text(code)
    for code in ("IU01", "IU06", "IU07"):
        expect(gap).not_to_contain_text(code)
    expect(page.get_by_test_id("held")).to_contain_text("IU07")
    assert page.csp_errors == []

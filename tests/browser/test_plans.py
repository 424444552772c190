"""The plan's whole journey in real Chromium: draft → return with a comment → revise →
endorse after reading the diff → sign (in English) → print with the register number."""

import datetime as dt
import re
from unittest import mock

import pytest
from playwright.sync_api import expect

from organisation.demo import DEMO_PASSWORD
from organisation.models import Person
from planning import services as plans
from tests.browser.conftest import issue_as_clerk, login, logout, sign
from workflows import services as engine
from workflows.models import Document
from workflows.scripted import document_sign_and_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    "basis": "Nghị định số 64/2007/NĐ-CP; Công văn số 878/UBDT-TTTT ngày 08/10/2012.",
    "situation": "Hạ tầng mạng đã kết nối các Vụ, đơn vị.",
    "general_objective": "Nâng cao hiệu quả chỉ đạo, điều hành trên môi trường mạng.",
    "tasks_solutions": "Tập trung hoàn thiện hạ tầng và ứng dụng dùng chung.",
    "funds": "Ngân sách nhà nước chi thường xuyên và chi đầu tư phát triển.",
}
TASKS = [
    (
        "Nâng cấp hệ thống thư điện tử",
        "email",
        "Trung tâm Thông tin",
        "30/06/2027",
        "850.000.000",
        "recurrent",
    ),
    (
        "Số hóa hồ sơ lưu trữ",
        "digitisation",
        "Văn phòng Ủy ban",
        "30/09/2027",
        "1.200.000.000",
        "recurrent",
    ),
    (
        "Đào tạo kỹ năng an toàn thông tin",
        "training",
        "Vụ Tổ chức Cán bộ",
        "30/11/2027",
        "300.000.000",
        "recurrent",
    ),
]


@pytest.fixture
def five_year_plan(demo_org):
    """An issued five-year plan 2026–2030, numbered in 2025 so the annual plan signed in
    the test is the first of its own year."""
    drafter = Person.objects.get(username="soanthao.tttt")
    reviewer = Person.objects.get(username="thamdinh.kh")
    minister = Person.objects.get(username="botruong")
    plan = plans.plan_create(
        user=drafter, kind="five_year_plan", title="Kế hoạch 2026 - 2030", period_start=2026
    )
    doc = plan.document
    plans.plan_update(
        user=drafter,
        document_id=doc.pk,
        version=doc.version,
        title=doc.title,
        sections=SECTIONS,
        objectives=[],
        tasks=[
            plans.TaskRow(
                name="Hoàn thiện hạ tầng thư điện tử",
                category="email",
                lead_unit="Trung tâm Thông tin",
                estimated_cost=2_000_000_000,
                funding_source="investment",
                start_year=2026,
                end_year=2028,
            )
        ],
    )
    engine.document_act(user=drafter, document_id=doc.pk, action="submit")
    engine.document_act(user=reviewer, document_id=doc.pk, action="endorse")
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 12, 30)):
        document_sign_and_issue(signer=minister, document_id=doc.pk)
    return plan


def fill_task(page, i, task):
    name, category, lead, deadline, cost, source = task
    page.locator(f"#id_tasks-{i}-name").fill(name)
    page.locator(f"#id_tasks-{i}-category").select_option(category)
    page.locator(f"#id_tasks-{i}-lead_unit").fill(lead)
    page.locator(f"#id_tasks-{i}-deadline").fill(deadline)
    page.locator(f"#id_tasks-{i}-estimated_cost").fill(cost)
    page.locator(f"#id_tasks-{i}-funding_source").select_option(source)


def test_annual_plan_from_draft_to_issued(page, five_year_plan):
    # The drafter creates an annual plan with three tasks and submits it.
    login(page, "soanthao.tttt", DEMO_PASSWORD)
    page.goto("/plans/new/")
    page.locator("#id_kind").select_option("annual_plan")
    page.locator("#id_year").fill("2027")
    page.locator("#id_title").fill("Kế hoạch ứng dụng CNTT năm 2027")
    page.get_by_test_id("create").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/edit/$"))
    pk = int(re.search(r"/plans/(\d+)/edit/", page.url).group(1))
    for key, text in SECTIONS.items():
        page.locator(f"#id_section_{key}").fill(text)
    for i, task in enumerate(TASKS):
        fill_task(page, i, task)
        if i < len(TASKS) - 1:
            page.get_by_test_id("add-task").click()
    page.get_by_test_id("save-and-close").click()
    expect(page).to_have_url(f"/documents/{pk}/")
    expect(page.get_by_test_id("table-tasks").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("total-estimated_cost")).to_have_text("2.350.000.000")
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ thẩm định")
    logout(page)

    # The reviewer sees it in My work, with the count in the header, and returns it.
    login(page, "thamdinh.kh", DEMO_PASSWORD)
    expect(page.get_by_test_id("inbox-count").locator(".badge")).to_have_text("1")
    page.get_by_test_id("inbox-count").click()
    page.get_by_test_id("my-tasks").get_by_role(
        "link", name="Kế hoạch ứng dụng CNTT năm 2027"
    ).click()
    page.get_by_test_id("action-review").click()
    page.locator("#id_decision_comment").fill("Đề nghị giảm kinh phí số hóa xuống 1 tỷ đồng.")
    page.get_by_test_id("decision-return").click()
    expect(page.get_by_test_id("state")).to_have_text("Trả lại để chỉnh sửa")
    logout(page)

    # The drafter sees the comment, edits a task and resubmits.
    login(page, "soanthao.tttt", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    expect(page.get_by_test_id("comment").first).to_contain_text("giảm kinh phí số hóa")
    page.get_by_test_id("action-edit").click()
    expect(page.get_by_test_id("comment").first).to_contain_text("giảm kinh phí số hóa")
    page.locator("#id_tasks-1-estimated_cost").fill("1.000.000.000")
    page.get_by_test_id("save-and-close").click()
    expect(page.get_by_test_id("total-estimated_cost")).to_have_text("2.150.000.000")
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ thẩm định")
    logout(page)

    # The reviewer sees what changed since revision 1 and endorses.
    login(page, "thamdinh.kh", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-review").click()
    changed = page.get_by_test_id("diff-row-changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Số hóa hồ sơ lưu trữ")
    expect(changed).to_contain_text("1.200.000.000")
    expect(changed).to_contain_text("1.000.000.000")
    page.get_by_test_id("decision-endorse").click()
    expect(page.get_by_test_id("state")).to_have_text("Đã thống nhất, chờ ký")
    logout(page)

    # The Minister signs, in English this time.
    login(page, "botruong", DEMO_PASSWORD)
    page.get_by_role("button", name="English").click()
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-sign").click()
    sha = Document.objects.get(pk=pk).revisions.get(number=2).sha256
    expect(page.get_by_test_id("revision-sha256")).to_have_text(sha)
    expect(page.get_by_role("button", name="Sign", exact=True)).to_be_visible()
    sign(page)
    expect(page.get_by_test_id("state")).to_have_text("Signed, waiting to be issued")
    page.get_by_role("button", name="Tiếng Việt").click()

    # The Office numbers, dates and seals it; the drafter downloads the PDF and checks
    # both signatures on the public verification page.
    issue_as_clerk(page, pk, then_login="soanthao.tttt")
    page.goto(f"/documents/{pk}/")
    expect(page.get_by_test_id("state")).to_have_text("Đã ban hành")
    expect(page.get_by_test_id("number")).to_have_text("01/KH-UBDT")
    with page.expect_download() as info:
        page.evaluate(
            """url => { const a = document.createElement('a'); a.href = url;
            a.download = 'ke-hoach.pdf'; document.body.appendChild(a); a.click(); }""",
            f"/documents/{pk}/pdf/",
        )
    pdf_path = info.value.path()
    page.goto("/verify/")
    page.get_by_test_id("verify-file").set_input_files(pdf_path)
    page.get_by_test_id("verify-submit").click()
    expect(page.get_by_test_id("verify-outcome")).to_have_attribute("data-ok", "true")
    signatures = page.get_by_test_id("verify-signature")
    expect(signatures).to_have_count(2)
    for i in range(2):
        expect(signatures.nth(i)).to_have_attribute("data-ok", "true")
    expect(page.get_by_test_id("register-number")).to_contain_text("01/KH-UBDT")
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-print").click()
    expect(page.get_by_test_id("print-number")).to_have_text("Số: 01/KH-UBDT")
    doc = Document.objects.get(pk=pk)
    d = doc.issued_on
    expect(page.get_by_test_id("print-date")).to_have_text(
        f"Hà Nội, ngày {d:%d} tháng {d:%m} năm {d:%Y}"
    )
    expect(page.get_by_test_id("print-signer")).to_contain_text("BỘ TRƯỞNG, CHỦ NHIỆM")
    expect(page.get_by_test_id("print-signer")).to_contain_text("Đỗ Văn Hải")
    page.get_by_test_id("print-back").click()

    # The drafter can no longer edit.
    page.goto(f"/documents/{pk}/")
    expect(page.get_by_test_id("action-edit")).to_have_count(0)
    expect(page.get_by_test_id("action-submit")).to_have_count(0)
    page.goto(f"/plans/{pk}/edit/")
    expect(page).to_have_url(f"/documents/{pk}/")
    assert doc.state == "issued" and doc.signed_sha256 == sha
    assert page.csp_errors == []

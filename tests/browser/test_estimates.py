"""A budget estimate's journey in real Chromium: import lines from XLSX, see the ceiling
warning, justify and submit; returned for a cut; edited; endorsed; signed; the exported
XLSX of the issued estimate carries its total and number."""

import datetime as dt
import io
import re
from unittest import mock

import openpyxl
import pytest
from playwright.sync_api import expect

from budgeting import spreadsheets
from organisation.demo import DEMO_PASSWORD
from organisation.models import Person
from planning import services as plans
from tests.browser.conftest import issue_as_clerk, login, logout, sign
from workflows import services as engine
from workflows.models import Document
from workflows.scripted import document_sign_and_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = dict.fromkeys(
    ("basis", "situation", "general_objective", "tasks_solutions", "funds"), "Nội dung."
)
LINES = [
    (
        "Máy chủ cơ sở dữ liệu",
        "bộ",
        2,
        "450.000.000",
        "Chi đầu tư phát triển",
        "Mua sắm phần cứng",
        "Nâng cấp hạ tầng máy chủ",
    ),
    (
        "Gia hạn bản quyền phần mềm diệt virus",
        "máy",
        300,
        400000,
        "Chi thường xuyên",
        "Phần mềm thương mại và gia hạn bản quyền",
        "Bảo đảm an toàn thông tin",
    ),
    (
        "Thuê dịch vụ điện toán đám mây",
        "tháng",
        12,
        15000000,
        "Chi thường xuyên",
        "Thuê dịch vụ CNTT",
        "Nâng cấp hạ tầng máy chủ",
    ),
]


def _task(name, cost, source, **years):
    return plans.TaskRow(
        name=name,
        category="infrastructure",
        lead_unit="Trung tâm Thông tin",
        estimated_cost=cost,
        funding_source=source,
        **years,
    )


@pytest.fixture
def annual_plan_2027(demo_org):
    drafter = Person.objects.get(username="soanthao.tttt")
    reviewer = Person.objects.get(username="thamdinh.kh")
    minister = Person.objects.get(username="botruong")
    five = plans.plan_create(
        user=drafter, kind="five_year_plan", title="Kế hoạch 2026 - 2030", period_start=2026
    )
    doc = five.document
    plans.plan_update(
        user=drafter,
        document_id=doc.pk,
        version=doc.version,
        title=doc.title,
        sections=SECTIONS,
        objectives=[],
        tasks=[_task("Hạ tầng", 5_000_000_000, "investment", start_year=2026, end_year=2030)],
    )
    engine.document_act(user=drafter, document_id=doc.pk, action="submit")
    engine.document_act(user=reviewer, document_id=doc.pk, action="endorse")
    # Issued last year, so the estimate is the first decision of this year's register.
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 12, 30)):
        document_sign_and_issue(signer=minister, document_id=doc.pk)
    annual = plans.plan_create(
        user=drafter, kind="annual_plan", title="Kế hoạch năm 2027", period_start=2027
    )
    doc = annual.document
    deadline = {"deadline": dt.date(2027, 12, 31)}
    plans.plan_update(
        user=drafter,
        document_id=doc.pk,
        version=doc.version,
        title=doc.title,
        sections=SECTIONS,
        objectives=[],
        tasks=[
            _task("Nâng cấp hạ tầng máy chủ", 1_000_000_000, "investment", **deadline),
            _task("Bảo đảm an toàn thông tin", 200_000_000, "recurrent", **deadline),
        ],
    )
    plans.guidance_save(
        user=reviewer,
        year=2027,
        deadline=dt.date(2026, 7, 31),
        total_ceiling=1_000_000_000,
        investment_ceiling=800_000_000,
        recurrent_ceiling=400_000_000,
        instructions="Tổng dự toán không vượt 1 tỷ đồng.",
    )
    plans.guidance_publish(user=reviewer, year=2027)
    return annual


def _xlsx(tmp_path):
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.template_xlsx()))
    sheet = workbook[spreadsheets.SHEET]
    header = next(r for r in range(1, 21) if sheet.cell(row=r, column=2).value == "Nội dung")
    for i, (content, unit, qty, price, source, category, task) in enumerate(LINES, start=1):
        row = [i, content, unit, qty, price, None, source, "", category, task]
        for col, value in enumerate(row, start=1):
            sheet.cell(row=header + i, column=col, value=value)
    path = tmp_path / "du-toan-2027.xlsx"
    workbook.save(path)
    return path


def test_estimate_from_import_to_issued_export(page, annual_plan_2027, tmp_path, downloads_dir):
    # The drafter creates the estimate and imports its lines from the template.
    login(page, "soanthao.tttt", DEMO_PASSWORD)
    page.goto("/estimates/new/")
    page.locator("#id_year").fill("2027")
    page.get_by_test_id("create").click()
    expect(page).to_have_url(re.compile(r"/estimates/\d+/edit/$"))
    pk = int(re.search(r"/estimates/(\d+)/edit/", page.url).group(1))
    expect(page.get_by_test_id("guidance-panel")).to_contain_text("1.000.000.000")
    page.get_by_test_id("import-file").set_input_files(_xlsx(tmp_path))
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("message-success")).to_contain_text("3")
    page.get_by_test_id("save-and-close").click()

    # Over the ceiling: a warning, and no submission without a justification.
    expect(page.get_by_test_id("estimate-total")).to_have_text("1.200.000.000 đồng")
    expect(page.get_by_test_id("warnings")).to_contain_text("vượt hạn mức")
    # The switch in the header shows the same page in triệu đồng, headers and warning too.
    switch = page.get_by_test_id("money-switch")
    switch.get_by_role("link", name="triệu đồng").click()
    expect(page.get_by_test_id("estimate-total")).to_have_text("1.200 triệu đồng")
    expect(page.get_by_test_id("table-lines")).to_contain_text("Thành tiền (triệu đồng)")
    expect(page.get_by_test_id("warnings")).to_contain_text("1.200 triệu đồng")
    switch.get_by_role("link", name="đồng", exact=True).click()
    expect(page.get_by_test_id("estimate-total")).to_have_text("1.200.000.000 đồng")
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("message-error").first).to_contain_text("giải trình")
    expect(page.get_by_test_id("state")).to_have_text("Dự thảo")
    page.get_by_test_id("action-edit").click()
    page.locator("#id_justification").fill(
        "Cần thay thế máy chủ đã hết khấu hao để bảo đảm vận hành hệ thống."
    )
    page.get_by_test_id("save-and-close").click()
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("Chờ thẩm định")
    logout(page)

    # The reviewer sees the warning where they act and returns it asking for a cut.
    login(page, "thamdinh.kh", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-review").click()
    expect(page.get_by_test_id("warnings")).to_contain_text("vượt hạn mức")
    page.locator("#id_decision_comment").fill("Đề nghị cắt giảm còn một máy chủ.")
    page.get_by_test_id("decision-return").click()
    expect(page.get_by_test_id("state")).to_have_text("Trả lại để chỉnh sửa")
    logout(page)

    # The drafter cuts the servers to one.
    login(page, "soanthao.tttt", DEMO_PASSWORD)
    page.goto(f"/estimates/{pk}/edit/")
    expect(page.get_by_test_id("comment").first).to_contain_text("cắt giảm")
    page.locator("#id_lines-0-quantity").fill("1")
    page.get_by_test_id("save-and-close").click()
    expect(page.get_by_test_id("estimate-total")).to_have_text("750.000.000 đồng")
    expect(page.get_by_test_id("warnings")).to_have_count(0)
    page.get_by_test_id("action-submit").click()
    logout(page)

    # The reviewer sees the change and endorses; the Minister signs.
    login(page, "thamdinh.kh", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-review").click()
    expect(page.get_by_test_id("diff-row-changed")).to_contain_text("Máy chủ cơ sở dữ liệu")
    page.get_by_test_id("decision-endorse").click()
    logout(page)
    login(page, "botruong", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-sign").click()
    sign(page)
    issue_as_clerk(page, pk, then_login="soanthao.tttt")
    page.goto(f"/documents/{pk}/")
    expect(page.get_by_test_id("number")).to_have_text("01/QĐ-UBDT")

    # The exported XLSX of the issued estimate: its total and its number.
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    path = f"{downloads_dir}/estimate.xlsx"
    info.value.save_as(path)
    sheet = openpyxl.load_workbook(path)[spreadsheets.SHEET]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Số: 01/QĐ-UBDT" in cells
    issued = Document.objects.get(pk=pk).issued_on
    assert f"Ngày ban hành: {issued:%d/%m/%Y}" in cells
    total_row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "TỔNG CỘNG")
    assert total_row[5] == 750_000_000
    assert page.csp_errors == []

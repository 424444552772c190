"""The year-end evaluation in real Chromium: a unit's head self-assesses with one evidence
file, the Centre changes one value with a reason, the unit responds, the Minister issues
the ranking decision, and the council member sees the unit's grade and its breakdown."""

import pytest
from playwright.sync_api import expect

from evaluation import services
from organisation.demo import DEMO_PASSWORD
from reporting.services import GroupRow, IndicatorRow
from tests.browser.conftest import login, logout
from tests.evaluation import helpers as e
from tests.factories import PASSWORD
from tests.reporting import helpers as r
from tests.workflows import helpers as h

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_evaluation_journey(page, demo_org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    e.heads()
    criteria = r.create(2026)
    r.fill(
        criteria,
        groups=[GroupRow("I", "Sử dụng hệ thống")],
        indicators=[
            IndicatorRow(
                "I",
                "1.1",
                "Tỷ lệ văn bản xử lý trên hệ thống",
                "%",
                60,
                "ratio",
                evidence_required=True,
            ),
            IndicatorRow("I", "1.2", "Có quy chế", "có/không", 40, "yes_no", {"points": 40}),
        ],
    )
    h.drive(criteria, "issued", drafter=r.DRAFTER, reviewer=r.REVIEWER)
    evaluation = services.evaluation_open(user=h.person(e.CENTRE), criteria_document_id=criteria.pk)
    kh = e.assessment(evaluation, "KH")
    v1, v2 = kh.values.order_by("indicator__code")
    url = f"/evaluation/assessment/{kh.pk}/"
    pdf = tmp_path / "minh-chung.pdf"
    pdf.write_bytes(e.PDF)

    # The unit's head fills in both values, adds one evidence file and submits.
    login(page, "head.kh", PASSWORD)
    page.goto(url)
    page.locator(f"#id_value_{v1.pk}").fill("0.9")
    page.locator(f"#id_value_{v2.pk}").fill("1")
    page.get_by_test_id("save").click()
    page.locator("#id_value").select_option(str(v1.pk))
    page.locator("#id_file").set_input_files(str(pdf))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("values")).to_contain_text("minh-chung")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("values")).to_be_visible()
    logout(page)

    # The Centre lowers 1.1 with a reason, accepts 1.2 and sends the appraisal.
    login(page, e.CENTRE, DEMO_PASSWORD)
    page.goto(url)
    row = page.locator("form", has=page.get_by_test_id("appraise-1.1"))
    row.locator("input[name=value]").fill("0.5")
    row.locator("input[name=reason]").fill("Minh chứng chỉ chứng minh 50%")
    page.get_by_test_id("appraise-1.1").click()
    page.locator("form", has=page.get_by_test_id("appraise-1.2")).locator(
        "input[name=accept]"
    ).check()
    page.get_by_test_id("appraise-1.2").click()
    expect(page.get_by_test_id("values")).to_contain_text("Minh chứng chỉ chứng minh 50%")
    page.get_by_test_id("send").click()
    logout(page)

    # The unit responds once.
    login(page, "head.kh", PASSWORD)
    page.goto(url)
    page.locator("#id_text").fill("Đơn vị thống nhất với kết quả thẩm định.")
    page.get_by_test_id("respond").click()
    expect(page.locator("body")).to_contain_text("Đơn vị thống nhất với kết quả thẩm định.")
    logout(page)

    # The Centre finalises; the Council reviews and the Minister issues the decision.
    login(page, e.CENTRE, DEMO_PASSWORD)
    page.goto("/evaluation/2026/")
    page.get_by_test_id("finalise").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    logout(page)
    evaluation.refresh_from_db()
    h.drive(evaluation.decision, "issued", reviewer=e.COUNCIL)

    # The council member sees KH's grade (30 + 40 = 70: fair) and opens its breakdown.
    login(page, e.COUNCIL, DEMO_PASSWORD)
    page.goto("/evaluation/2026/ranking/")
    expect(page.locator("body")).to_contain_text("Đã công bố")
    page.get_by_test_id("unit-KH").click()
    expect(page.get_by_test_id("standing")).to_contain_text("70.00")
    expect(page.get_by_test_id("grade")).to_have_text("Khá")
    expect(page.get_by_test_id("breakdown")).to_contain_text("70.00")
    assert page.csp_errors == []

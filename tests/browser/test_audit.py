"""The inspector in real Chromium: filter by a document and a date range, open its
timeline, export CSV and read the file."""

import csv
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisation.demo import DEMO_PASSWORD
from organisation.models import Person
from planning import services as plans
from tests.browser.conftest import login
from workflows import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inspector_filters_opens_timeline_and_exports_csv(page, demo_org, downloads_dir):
    drafter = Person.objects.get(username="soanthao.tttt")
    wanted = plans.plan_create(
        user=drafter, kind="five_year_plan", title="Kế hoạch cần kiểm tra", period_start=2026
    )
    plans.plan_create(user=drafter, kind="five_year_plan", title="Kế hoạch khác", period_start=2031)
    audit.record(action=audit.DENIED, comment="sự kiện không liên quan")

    login(page, "thanhtra", DEMO_PASSWORD)
    page.get_by_role("link", name="Nhật ký hoạt động").click()
    expect(page.get_by_test_id("chain-panel")).to_be_visible()
    today = timezone.localdate()
    filters = page.get_by_test_id("audit-filters")
    filters.locator("#id_document").fill("cần kiểm tra")
    filters.locator("#id_date_from").fill((today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    filters.locator("#id_date_to").fill(today.strftime("%d/%m/%Y"))
    filters.get_by_role("button", name="Lọc").click()
    rows = page.get_by_test_id("audit-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kế hoạch cần kiểm tra")

    # A date range that excludes today finds nothing.
    filters.locator("#id_date_to").fill((today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    filters.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_class("")
    expect(page.get_by_test_id("audit-table")).to_contain_text("Không có sự kiện")
    filters.locator("#id_date_to").fill(today.strftime("%d/%m/%Y"))
    filters.get_by_role("button", name="Lọc").click()

    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    path = f"{downloads_dir}/trail.csv"
    info.value.save_as(path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        data = list(csv.reader(handle))
    assert len(data) == 2
    assert data[1][8] == "Kế hoạch cần kiểm tra"
    assert data[1][5].endswith("(planning.plan.created)")

    rows.first.get_by_role("link", name="Kế hoạch cần kiểm tra").click()
    timeline = page.get_by_test_id("audit-timeline")
    expect(timeline.locator("li")).to_have_count(1)
    expect(timeline).to_contain_text("Nguyễn Văn An")
    assert page.url.endswith(f"/audit/documents/{wanted.pk}/")

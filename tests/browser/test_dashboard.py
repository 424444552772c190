"""Where documents wait, in real Chromium: the page and its SVG charts load under the
product's CSP with no violation reported, and the figures are in the tables."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisation.demo import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.dashboard.helpers import issued_document, waiting_documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS_LOADED = """() => {
  const images = [...document.querySelectorAll('img[data-testid$="-chart"]')];
  return images.length === 2 && images.every(i => i.complete && i.naturalWidth > 0);
}"""


def test_dashboard_and_its_svg_charts_load_with_no_csp_violation(page, demo_org):
    now = timezone.now()
    waiting_documents(3, step="review", created=now - dt.timedelta(days=2))
    waiting_documents(
        1, step="sign", created=now - dt.timedelta(days=5), due_on=now.date() - dt.timedelta(1)
    )
    issued_document(submitted=now - dt.timedelta(days=20), issued=now - dt.timedelta(days=1))
    svg_statuses = []
    page.on(
        "response",
        lambda r: svg_statuses.append(r.status) if "/dashboard/charts/" in r.url else None,
    )

    login(page, "vanthu.vp", DEMO_PASSWORD)
    page.get_by_test_id("main-menu").get_by_role("link", name="Tiến độ xử lý văn bản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ xử lý văn bản")
    page.wait_for_function(CHARTS_LOADED)
    assert sorted(svg_statuses) == [200, 200]
    rows = page.get_by_test_id("waiting-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Thẩm định")
    expect(page.get_by_test_id("cycle-table").locator("tbody tr")).to_have_count(1)

    # A filter reaches the charts too, and they still load.
    page.get_by_label("Năm").fill("2027")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_function(CHARTS_LOADED)

    # Opened on its own, an SVG is a document under its own CSP: its style still applies.
    page.goto("/dashboard/charts/waiting.svg")
    assert (
        page.locator("svg .title")
        .first.evaluate("e => getComputedStyle(e).fontFamily")
        .startswith("Consolas")
    )
    assert page.locator("script").count() == 0
    assert page.csp_errors == []

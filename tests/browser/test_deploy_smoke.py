"""The deployment as README describes it, seen from a browser: nginx terminating TLS in
front of gunicorn, production settings, hashed static files. `scripts/deploy_smoke.sh`
builds that deployment and runs this file against it with DEPLOY_URL set; without
DEPLOY_URL these tests are deselected (tests/conftest.py), never skipped."""

import os
import re
import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.deploy]

DEMO_PASSWORD = "ubdt-demo-2026"


@pytest.fixture
def site(browser):
    base = os.environ["DEPLOY_URL"].rstrip("/")
    context = browser.new_context(base_url=base, ignore_https_errors=True, locale="vi-VN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.styles = []
    page.on(
        "response",
        lambda r: page.styles.append(r) if r.request.resource_type == "stylesheet" else None,
    )
    yield page
    context.close()


def _assert_styles_loaded(page):
    assert page.styles, f"no stylesheet requested by {page.url}"
    for response in page.styles:
        assert response.status == 200, response.url
        assert response.headers["content-type"].startswith("text/css"), response.url
        # Hashed names from the manifest: cacheable for a year, never stale.
        assert re.search(r"\.[0-9a-f]{12}\.css$", response.url), response.url
    page.styles.clear()


def test_sign_in_work_document_print_and_sign_out(site):
    page = site
    page.goto("/accounts/login/")
    _assert_styles_loaded(page)
    page.get_by_label("Tên đăng nhập").fill("botruong")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/work/")
    assert page.get_by_role("heading", name="Việc của tôi").is_visible()
    _assert_styles_loaded(page)
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert session["secure"] and session["httpOnly"]

    page.goto("/documents/?q=01%2FKH-UBDT")
    page.locator("a[href^='/documents/']", has_text=re.compile("Kế hoạch")).first.click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    response = page.request.get(page.url)
    assert response.status == 200
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "no-store" in response.headers["cache-control"]
    _assert_styles_loaded(page)

    page.goto(page.url + "print/")
    assert page.get_by_text("01/KH-UBDT").first.is_visible()
    _assert_styles_loaded(page)

    page.goto("/work/")
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto("/work/")
    assert "/accounts/login/" in page.url


def test_the_administrator_created_by_createsuperuser_reaches_the_admin(site):
    page = site
    page.goto("/admin/login/")
    page.locator("#id_username").fill(os.environ["DEPLOY_ADMIN_USER"])
    page.locator("#id_password").fill(os.environ["DEPLOY_ADMIN_PASSWORD"])
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    _assert_styles_loaded(page)


def test_plain_http_is_redirected_to_https():
    http = os.environ["DEPLOY_HTTP_URL"].rstrip("/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(http + "/work/")
    assert caught.value.code == 301
    assert caught.value.headers["Location"].startswith("https://")

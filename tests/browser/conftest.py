"""Real Chromium through Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against
ORM calls from async contexts must be relaxed for these tests only."""

import os
import shutil
import tempfile

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-US"
    )  # Vietnamese must win over the browser
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []

    def on_console(message):
        # Refused forms answer 400/409 on purpose; the browser logs those too. What must
        # never happen is a blocked script or style, or a missing asset.
        if message.type == "error" and (
            "Content Security Policy" in message.text or "404" in message.text
        ):
            errors.append(message.text)

    page.on("console", on_console)
    page.csp_errors = errors
    yield page
    context.close()


@pytest.fixture
def downloads_dir():
    path = tempfile.mkdtemp(prefix="ubdt-dl-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def login(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def logout(page):
    page.get_by_role("button", name="Đăng xuất").click()


def sign(page, password=None):
    """On the sign page: the signer re-authenticates with the signature itself (the
    step-up of signing.step_up) and signs."""
    from organisation.demo import DEMO_PASSWORD

    page.get_by_test_id("step-up-password").fill(password or DEMO_PASSWORD)
    page.get_by_test_id("decision-sign").click()


def issue_as_clerk(page, pk, *, then_login=None):
    """The Office's clerk signs in, opens the signed document's issue page and issues it
    to the recipients ticked by default; signs back in as `then_login` if given."""
    from organisation.demo import DEMO_PASSWORD

    logout(page)
    login(page, "vanthu.vp", DEMO_PASSWORD)
    page.goto(f"/documents/{pk}/")
    page.get_by_test_id("action-issue").click()
    page.get_by_test_id("decision-issue").click()
    if then_login:
        logout(page)
        login(page, then_login, DEMO_PASSWORD)

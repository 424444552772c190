"""Real Chromium through Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against
ORM calls from async contexts must be relaxed for these tests only."""

import os
import shutil
import subprocess
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
def playwright():
    """One Playwright for the session: its sync API allows one per thread."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def viewer_browser(playwright):
    """Chromium with a window, on a virtual screen (Xvfb): headless Chromium has no PDF
    viewer and downloads every PDF, so only a headed one shows what a user would see."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb not found: install Debian's xvfb package (scripts/system-packages.sh)")
    read, write = os.pipe()
    screen = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as announced:
        display = announced.readline().strip()  # Xvfb writes the display it chose
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=False,
            args=ARGS,
            env={**os.environ, "DISPLAY": f":{display}"},
        )
        yield browser
        browser.close()
    finally:
        screen.terminate()
        screen.wait(timeout=10)


PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def pdf_viewer_page_count(page, url: str) -> int:
    """Open `url` in Chromium's PDF viewer and return the number of pages the viewer
    shows once it has parsed the file (a PDF it cannot read shows none)."""
    page.goto(url)
    for _ in range(100):
        viewer = next((f for f in page.frames if f.url.startswith(PDF_VIEWER)), None)
        if viewer is not None:
            break
        page.wait_for_timeout(100)  # lets Playwright see new frames, unlike time.sleep
    else:
        raise AssertionError(f"{url} did not open in the PDF viewer: {page.frames}")
    length = viewer.locator("viewer-page-selector #pagelength")
    length.wait_for()
    for _ in range(100):
        if length.inner_text().strip().isdigit():
            return int(length.inner_text())
        page.wait_for_timeout(100)
    raise AssertionError(f"the PDF viewer shows no page count for {url}")


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

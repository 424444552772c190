"""Two app servers behind one PostgreSQL and one Redis, as README's multi-server topology
runs them: a person signed in on one is signed in on the other (sessions in the
database), and the same decision sent to both at the same moment is taken exactly once
(the row lock, not any process's memory, decides): a submission, an endorsement, the
Minister's signature (his PKCS#12 key, the timestamp authority on loopback) and the
Office's issue, whose PDF then verifies on the public page. `scripts/deploy_smoke.sh`
starts the two gunicorn instances under the production settings and runs this file with
DEPLOY_APP_URLS set; without it these tests are deselected (tests/conftest.py), never
skipped."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import threading
from pathlib import Path

import pytest
import requests
from django_otp.oath import totp
from pyhanko.pdf_utils.reader import PdfFileReader

pytestmark = pytest.mark.deploy

DEMO_PASSWORD = "ubdt-demo-2026"
ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOCUMENT_LINK = re.compile(r'href="/documents/(\d+)/"')
REVIEW_LINK = re.compile(r'href="/documents/(\d+)/review/(\d+)/"')
SIGN_LINK = re.compile(r'href="/documents/(\d+)/sign/(\d+)/"')
ISSUE_LINK = re.compile(r'href="/documents/(\d+)/issue/(\d+)/"')
SUBMIT_FORM = re.compile(
    r'<form method="post" action="(/documents/\d+/act/\d+/)">\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">\s*'
    r'<input type="hidden" name="action" value="submit">\s*'
    r'<input type="hidden" name="version" value="(\d+)">'
)
RECIPIENT = re.compile(r'name="recipients" value="(\d+)" checked')
NEXT_NUMBER = re.compile(r'data-testid="next-number">[^<]*?: (\S+) \(')
NUMBER = re.compile(r'data-testid="number">([^<]+)<')
# A timeline entry's action, e.g. "Kế hoạch năm: đã ký" (workflows.audit.DOCUMENT_VERBS).
TIMELINE_ACTION = re.compile(r'<span class="what">[^<]*?: ([^<]+)</span>')
VERSION = re.compile(r'name="version" value="(\d+)"')


class AppServer:
    """One gunicorn instance reached directly on loopback, as nginx reaches it: the
    request says it came over HTTPS (X-Forwarded-Proto, trusted from loopback), and the
    cookies are sent by hand because they are Secure."""

    def __init__(self, url: str, origin: str, cookies: dict[str, str]):
        self.url, self.origin, self.cookies = url.rstrip("/"), origin, cookies

    def _headers(self, path: str) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {
            "X-Forwarded-Proto": "https",
            "Host": "127.0.0.1",
            "Referer": f"{self.origin}{path}",
            "Cookie": cookie,
        }

    def _keep(self, response: requests.Response) -> requests.Response:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def get(self, path: str) -> requests.Response:
        return self._keep(
            requests.get(self.url + path, headers=self._headers(path), allow_redirects=False)
        )

    def post(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        return self._keep(
            requests.post(
                self.url + path,
                data=data,
                files=files,
                headers=self._headers(path),
                allow_redirects=False,
            )
        )

    def sign_in(self, username: str) -> None:
        self.cookies.clear()  # one person at a time in this browser
        page = self.get("/accounts/login/")
        token = CSRF.search(page.text).group(1)
        done = self.post(
            "/accounts/login/",
            {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert done.status_code == 302 and "/accounts/login/" not in done.headers["Location"]


@pytest.fixture
def servers() -> tuple[AppServer, AppServer]:
    first_url, second_url = os.environ["DEPLOY_APP_URLS"].split(",")
    origin = os.environ["DEPLOY_URL"].rstrip("/")
    cookies: dict[str, str] = {}  # one browser: the same cookies go to both servers
    return AppServer(first_url, origin, cookies), AppServer(second_url, origin, cookies)


def test_a_session_started_on_one_server_works_on_the_other(servers):
    first, second = servers
    first.sign_in("thamdinh.kh")
    page = second.get("/work/")
    assert page.status_code == 200
    assert "Việc của tôi" in page.text


def _at_once(servers, path: str, form: dict) -> list[int]:
    """POST the same form to every server at the same moment; their status codes."""
    barrier = threading.Barrier(len(servers))
    statuses: list[int] = []

    def click(server: AppServer) -> None:
        barrier.wait()
        statuses.append(server.post(path, form).status_code)

    threads = [threading.Thread(target=click, args=(s,)) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(statuses)


def _open_task(server: AppServer, link: re.Pattern) -> tuple[str, str]:
    """The first document on the person's My work with an open task of ``link``'s step."""
    waiting = DOCUMENT_LINK.findall(server.get("/work/").text)
    links = (link.search(server.get(f"/documents/{pk}/").text) for pk in dict.fromkeys(waiting))
    found = next((found for found in links if found), None)
    assert found, f"no document waits for {link.pattern} on My work"
    return found.groups()


def _actions(server: AppServer, document: str) -> list[str]:
    return TIMELINE_ACTION.findall(server.get(f"/documents/{document}/").text)


def test_the_same_submission_sent_to_both_servers_at_once_is_taken_once(servers):
    first, second = servers
    first.sign_in("soanthao.tttt")
    waiting = DOCUMENT_LINK.findall(first.get("/work/").text)
    forms = (SUBMIT_FORM.search(second.get(f"/documents/{pk}/").text) for pk in waiting)
    found = next((form for form in forms if form), None)
    assert found, "no draft to submit on the drafter's My work"
    path, token, version = found.groups()
    document = path.split("/")[2]
    before = _actions(first, document)
    form = {"csrfmiddlewaretoken": token, "version": version, "action": "submit"}

    assert _at_once(servers, path, form) == [302, 409]
    page = first.get(f"/documents/{document}/")
    assert "state state-submitted" in page.text
    assert _actions(first, document)[len(before) :] == ["đã trình"]


def test_the_same_endorsement_sent_to_both_servers_at_once_is_taken_once(servers):
    first, second = servers
    first.sign_in("thamdinh.kh")
    document, task = _open_task(first, REVIEW_LINK)
    review = second.get(f"/documents/{document}/review/{task}/")
    assert review.status_code == 200
    form = {
        "csrfmiddlewaretoken": CSRF.search(review.text).group(1),
        "version": VERSION.search(review.text).group(1),
        "action": "endorse",
        "comment": "",
    }

    assert _at_once(servers, f"/documents/{document}/act/{task}/", form) == [302, 409]
    page = second.get(f"/documents/{document}/")
    assert "state state-endorsed" in page.text


def _sign_form(server: AppServer, document: str, task: str) -> dict:
    page = server.get(f"/documents/{document}/sign/{task}/")
    assert page.status_code == 200 and 'name="password"' in page.text
    return {
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "version": VERSION.search(page.text).group(1),
        "action": "sign",
        "comment": "",
        # The step-up comes with the signature (signing.step_up): the demo Minister is not
        # enrolled in TOTP, so his password.
        "password": DEMO_PASSWORD,
    }


def test_the_same_signature_sent_to_both_servers_at_once_is_made_once(servers):
    """The Minister's key signs once: one signed revision, one audit event; the other
    click is told the document has moved on (409), not an error page."""
    first, second = servers
    first.sign_in("botruong")
    document, task = _open_task(first, SIGN_LINK)
    before = _actions(first, document)
    form = _sign_form(second, document, task)

    assert _at_once(servers, f"/documents/{document}/act/{task}/", form) == [302, 409]
    page = first.get(f"/documents/{document}/")
    assert "state state-signed" in page.text
    assert _actions(first, document)[len(before) :] == ["đã ký"]
    pdf = second.get(f"/documents/{document}/pdf/")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert len(PdfFileReader(io.BytesIO(pdf.content)).embedded_signatures) == 1


def test_the_same_issue_sent_to_both_servers_at_once_takes_one_number_and_verifies(servers):
    """The Office's clerk issues a document the Minister has just signed from both servers
    at once: one number from the register, one issue event, and the issued PDF (his
    signature and the Committee's, time-stamped) is valid on the public /verify/ page."""
    first, second = servers
    first.sign_in("botruong")
    document, task = _open_task(first, SIGN_LINK)
    signed = first.post(f"/documents/{document}/act/{task}/", _sign_form(first, document, task))
    assert signed.status_code == 302

    first.sign_in("vanthu.vp")
    page = first.get(f"/documents/{document}/")
    found = ISSUE_LINK.search(page.text)
    assert found, "the signed document is not open to issue"
    task = found.group(2)
    issue = second.get(f"/documents/{document}/issue/{task}/")
    number = NEXT_NUMBER.search(issue.text).group(1)
    before = _actions(first, document)
    form = {
        "csrfmiddlewaretoken": CSRF.search(issue.text).group(1),
        "version": VERSION.search(issue.text).group(1),
        "action": "issue",
        "comment": "",
        "recipients_shown": "1",
        "recipients": RECIPIENT.findall(issue.text),
    }
    assert form["recipients"]

    assert _at_once(servers, f"/documents/{document}/act/{task}/", form) == [302, 409]
    page = first.get(f"/documents/{document}/")
    assert "state state-issued" in page.text
    assert NUMBER.search(page.text).group(1) == number
    assert _actions(first, document)[len(before) :] == ["đã ban hành"]
    listed = second.get(f"/documents/?q={number}")
    assert set(DOCUMENT_LINK.findall(listed.text)) == {document}

    pdf = first.get(f"/documents/{document}/pdf/")
    assert pdf.headers["Content-Type"] == "application/pdf"
    verify = second.get("/verify/")
    checked = second.post(
        "/verify/",
        {"csrfmiddlewaretoken": CSRF.search(verify.text).group(1)},
        files={"file": ("issued.pdf", pdf.content, "application/pdf")},
    )
    assert checked.status_code == 200
    assert 'data-testid="verify-outcome" data-ok="true"' in checked.text, checked.text
    assert checked.text.count('data-testid="verify-signature"') == 2
    assert 'data-ok="false"' not in checked.text


def _enrol_in_totp(username: str) -> bytes:
    """Enrol ``username`` in TOTP on the deployed database, as an administrator does
    (scripts/manage.sh with the deployment's environment file); the device's key, as the
    person's authenticator app holds it."""
    key = secrets.token_bytes(20)
    code = (
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        "from organisation.models import Person\n"
        f"TOTPDevice.objects.create(user=Person.objects.get(username={username!r}), "
        f"name='smoke', key={key.hex()!r}, confirmed=True)\n"
    )
    subprocess.run(
        ["./scripts/manage.sh", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, "UBDT_ENV_FILE": os.environ["DEPLOY_ENV_FILE"]},
        check=True,
    )
    return key


def test_one_totp_code_sent_to_both_servers_at_once_makes_one_signature(servers):
    """Once the Minister is enrolled in TOTP his sign page asks for a code, and the same
    code reaching both servers at once signs once: the other click is refused (the code is
    used up, 403, or the document has moved on, 409; which one is a matter of timing)."""
    first, second = servers
    first.sign_in("thamdinh.kh")
    document, task = _open_task(first, REVIEW_LINK)
    review = first.get(f"/documents/{document}/review/{task}/")
    endorsed = first.post(
        f"/documents/{document}/act/{task}/",
        {
            "csrfmiddlewaretoken": CSRF.search(review.text).group(1),
            "version": VERSION.search(review.text).group(1),
            "action": "endorse",
            "comment": "",
        },
    )
    assert endorsed.status_code == 302
    key = _enrol_in_totp("botruong")

    first.sign_in("botruong")
    task = SIGN_LINK.search(first.get(f"/documents/{document}/").text).group(2)
    page = second.get(f"/documents/{document}/sign/{task}/")
    assert 'name="otp_token"' in page.text and 'name="password"' not in page.text
    before = _actions(first, document)
    form = {
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        "version": VERSION.search(page.text).group(1),
        "action": "sign",
        "comment": "",
        "otp_token": f"{totp(key):06d}",
    }

    statuses = _at_once(servers, f"/documents/{document}/act/{task}/", form)
    assert statuses in ([302, 403], [302, 409]), statuses
    assert "state state-signed" in first.get(f"/documents/{document}/").text
    assert _actions(first, document)[len(before) :] == ["đã ký"]

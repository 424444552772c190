"""Two app servers behind one PostgreSQL and one Redis, as README's multi-server topology
runs them: a person signed in on one is signed in on the other (sessions in the
database), and the same decision sent to both at the same moment is taken exactly once
(the row lock, not any process's memory, decides). `scripts/deploy_smoke.sh` starts the
two gunicorn instances and runs this file with DEPLOY_APP_URLS set; without it these
tests are deselected (tests/conftest.py), never skipped."""

from __future__ import annotations

import os
import re
import threading

import pytest
import requests

pytestmark = pytest.mark.deploy

DEMO_PASSWORD = "ubdt-demo-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOCUMENT_LINK = re.compile(r'href="/documents/(\d+)/"')
REVIEW_LINK = re.compile(r'href="/documents/(\d+)/review/(\d+)/"')
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

    def post(self, path: str, data: dict) -> requests.Response:
        return self._keep(
            requests.post(
                self.url + path, data=data, headers=self._headers(path), allow_redirects=False
            )
        )

    def sign_in(self, username: str) -> None:
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


def test_the_same_endorsement_sent_to_both_servers_at_once_is_taken_once(servers):
    first, second = servers
    first.sign_in("thamdinh.kh")
    waiting = DOCUMENT_LINK.findall(first.get("/work/").text)
    links = (REVIEW_LINK.search(first.get(f"/documents/{pk}/").text) for pk in waiting)
    document, task = next(link for link in links if link).groups()
    review = second.get(f"/documents/{document}/review/{task}/")
    assert review.status_code == 200
    form = {
        "csrfmiddlewaretoken": CSRF.search(review.text).group(1),
        "version": VERSION.search(review.text).group(1),
        "action": "endorse",
        "comment": "",
    }
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def click(server: AppServer) -> None:
        barrier.wait()
        statuses.append(server.post(f"/documents/{document}/act/{task}/", form).status_code)

    threads = [threading.Thread(target=click, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302, 409], statuses
    page = second.get(f"/documents/{document}/")
    assert "state state-endorsed" in page.text

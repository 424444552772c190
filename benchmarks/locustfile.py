"""Load test with locust: people of every role signing in and using the product at once.

A benchmark, not a test: run it against a server started as in production (gunicorn,
PostgreSQL, the worker), on loopback only. Each simulated person signs in once with a
demo account and then works with a think time of 0.5–2 s:

- drafters and reviewers open My work and their documents, and comment on them;
- signers open My work and the documents waiting for them;
- the Office uses the follow-up page, inspectors search the audit trail, the Council
  browses the ranking criteria and the documents, the leaders look at the dashboard.

    locust -f benchmarks/locustfile.py --host http://127.0.0.1:8001 --headless \
        --users 100 --spawn-rate 10 --run-time 2m --csv /tmp/load

Accounts and password come from LOAD_ACCOUNTS (role=user,user;role=...) and
LOAD_PASSWORD; the defaults are the demo's. Requests never leave the host given.
`scripts/load_smoke.sh` runs a short version that fails on any error."""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "ubdt-demo-2026")
DEFAULT_ACCOUNTS = (
    "drafter=soanthao.tttt,soanthao.tccb;reviewer=thamdinh.kh;signer=botruong,thutruong;"
    "clerk=vanthu.vp;inspector=thanhtra;council=hoidong.tdkt"
)
ACCOUNTS = {
    role: users.split(",")
    for role, users in (
        part.split("=", 1) for part in os.environ.get("LOAD_ACCOUNTS", DEFAULT_ACCOUNTS).split(";")
    )
}
DOCUMENT_LINK = re.compile(r'href="/documents/(\d+)/"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_WORDS = ("kế hoạch", "du toan", "chuẩn", "2026", "trung tâm")


class Person(HttpUser):
    """One signed-in civil servant; subclasses say which role and what they do."""

    abstract = True
    role = ""
    wait_time = between(0.5, 2)

    def on_start(self):
        # The deploy smoke run goes through nginx with a self-signed certificate.
        self.client.verify = os.environ.get("LOAD_VERIFY_TLS", "1") != "0"
        self.username = random.choice(ACCOUNTS[self.role])
        self.documents: list[str] = []
        page = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"sign-in refused for {self.username}")

    def my_work(self):
        page = self.client.get("/work/", name="my work")
        found = DOCUMENT_LINK.findall(page.text)
        if found:
            self.documents = found
        return page

    def open_document(self):
        if not self.documents:
            page = self.client.get("/documents/", name="documents")
            self.documents = DOCUMENT_LINK.findall(page.text)
        if self.documents:
            return self.client.get(f"/documents/{random.choice(self.documents)}/", name="document")
        return None


class Drafter(Person):
    role = "drafter"
    weight = 3

    @task(4)
    def work(self):
        self.my_work()

    @task(4)
    def document(self):
        self.open_document()

    @task(2)
    def plans(self):
        self.client.get("/plans/", name="plans")

    @task(1)
    def comment(self):
        page = self.open_document()
        if page is None or page.status_code != 200:
            return
        pk = page.url.rstrip("/").rsplit("/", 1)[-1]
        if f'action="/documents/{pk}/comment/"' not in page.text:
            return  # not at a step where this person may comment
        token = CSRF_INPUT.search(page.text)
        with self.client.post(
            f"/documents/{pk}/comment/",
            data={
                "body": "Ý kiến thử tải: đề nghị bổ sung số liệu.",
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": page.url},
            name="comment",
            catch_response=True,
        ) as response:
            # A document that moved on meanwhile refuses comments with 409: expected.
            if response.status_code == 409:
                response.success()


class Reviewer(Drafter):
    role = "reviewer"
    weight = 2


class Signer(Person):
    role = "signer"
    weight = 1

    @task(3)
    def work(self):
        self.my_work()

    @task(2)
    def document(self):
        self.open_document()

    @task(1)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")


class Clerk(Person):
    role = "clerk"
    weight = 1

    @task(3)
    def followup(self):
        self.client.get("/followup/", name="follow-up")

    @task(1)
    def work(self):
        self.my_work()


class Inspector(Person):
    role = "inspector"
    weight = 1

    @task(3)
    def search(self):
        self.client.get("/audit/", params={"q": random.choice(SEARCH_WORDS)}, name="audit search")

    @task(1)
    def trail(self):
        self.client.get("/audit/", name="audit trail")


class CouncilMember(Person):
    role = "council"
    weight = 1

    @task(2)
    def criteria(self):
        self.client.get("/criteria/", name="ranking criteria")

    @task(1)
    def documents(self):
        self.client.get("/documents/", name="documents")

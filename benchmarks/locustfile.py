"""Load test with locust: people of every role signing in and using the product at once.

A benchmark, not a test: run it against a server started as in production (gunicorn,
PostgreSQL, the worker), on loopback only; `benchmarks/load_server.sh` starts one on the
generated data (benchmarks/README.md). Each simulated person signs in once and then works
with a think time of 0.5–2 s, doing what their role does:

- drafters open My work and their documents, comment, and edit and submit a draft;
- reviewers review what waits in their queue: endorse it, now and then return it;
- signers open what waits for their signature and sign it (the password step-up in the
  same POST), and look at the dashboard and the reports;
- the Office uses the follow-up page, inspectors search the audit trail, the Council
  browses the ranking, the individual scores and the criteria.

    locust -f benchmarks/locustfile.py --host http://127.0.0.1:8001 --headless \
        --users 100 --spawn-rate 10 --run-time 2m --csv /tmp/load

Accounts and password come from LOAD_ACCOUNTS (role=user,user;role=...) and
LOAD_PASSWORD; the defaults are the demo's (`benchmarks/load_accounts.py` prints the
generated people's). LOAD_ROLES=a,b keeps only those roles (the sign-in storm uses
`stormer`, which signs in, opens My work and signs out again). LOAD_ACTIONS=0 keeps every
person to reading, for a run against data that must not change. Requests never leave
the host given. `scripts/load_smoke.sh` runs a short version that fails on any error."""

from __future__ import annotations

import os
import random
import re
from html.parser import HTMLParser

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
ACCOUNTS.setdefault("stormer", [u for role in ("drafter", "reviewer") for u in ACCOUNTS[role]])
ROLES = set(filter(None, os.environ.get("LOAD_ROLES", "").split(",")))
ACTIONS = os.environ.get("LOAD_ACTIONS", "1") != "0"
DOCUMENT_LINK = re.compile(r'href="/documents/(\d+)/"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EDIT_LINK = re.compile(r'data-testid="action-edit" href="([^"]+)"')
STEP_LINK = {
    step: re.compile(rf'href="(/documents/\d+/{step}/\d+/)"')
    for step in ("review", "sign", "issue")
}
RANKING_LINK = re.compile(r'href="(/evaluation/\d{4}/ranking/)"')
REPORT_LINK = re.compile(r'href="(/reports/\d+/)"')
SEARCH_WORDS = ("kế hoạch", "du toan", "chuẩn", "2026", "trung tâm", "định mức")


class Forms(HTMLParser):
    """The page's POST forms as a browser would send them unchanged: each form's action
    and its fields (text, hidden, checked boxes, selected options, text areas), so that
    an edit or a decision is posted exactly as the page offers it, whatever the kind."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif not self.forms or "name" not in a and tag != "option":
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1]["fields"].append(
                (a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.forms[-1]["fields"] += [(self._select, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def find(self, action: str) -> list[tuple[str, str]] | None:
        for form in self.forms:
            if form["action"] in (action, ""):
                return list(form["fields"])
        return None


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in fields if k not in values] + list(values.items())


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
        self.sign_in()

    def sign_in(self):
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

    def post_form(self, page, action: str, fields, name: str, expected=(409,)):
        """POST what the page offers, with the page as referrer. A refusal a person may
        legitimately meet (someone else acted first: 409) is not an error."""
        with self.client.post(
            action, data=fields, headers={"Referer": page.url}, name=name, catch_response=True
        ) as response:
            redirected = response.history and response.history[0].status_code == 302
            if response.status_code in expected or redirected:
                response.success()
            elif response.ok:
                # The form shown again with the reason: the server refused the input.
                response.failure(f"{name}: the form came back ({response.status_code})")
            return response

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

    def list_then_one(self, path: str, name: str, link: re.Pattern, one: str):
        """Open a list page, then one of the pages it links to, as a reader browses."""
        found = link.findall(self.client.get(path, name=name).text)
        if found:
            self.client.get(random.choice(found), name=one)

    def step(self, step: str):
        """Open the page of a step waiting for this person (review, sign, issue), from a
        document of My work; None when none of the documents tried has one."""
        self.my_work()
        for pk in random.sample(self.documents, min(3, len(self.documents))):
            page = self.client.get(f"/documents/{pk}/", name="document")
            link = STEP_LINK[step].search(page.text)
            if link:
                return self.client.get(link.group(1), name=step)
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
        action = f"/documents/{pk}/comment/"
        if f'action="{action}"' not in page.text:
            return  # not at a step where this person may comment
        fields = Forms(page.text).find(action) or []
        fields = replaced(fields, body="Ý kiến thử tải: đề nghị bổ sung số liệu.")
        self.post_form(page, action, fields, "comment")

    @task(1)
    def edit_and_submit(self):
        """Open a draft of the unit, save its edit form as it stands (a new draft
        version, as when a drafter saves), then submit it for review."""
        if not ACTIONS:
            return
        self.my_work()
        for pk in random.sample(self.documents, min(3, len(self.documents))):
            page = self.client.get(f"/documents/{pk}/", name="document")
            edit = EDIT_LINK.search(page.text)
            if edit:
                break
        else:
            return
        form_page = self.client.get(edit.group(1), name="edit")
        fields = Forms(form_page.text).find(edit.group(1))
        if fields is None:
            return
        self.post_form(form_page, edit.group(1), fields, "save edit")
        page = self.client.get(f"/documents/{pk}/", name="document")
        submit = re.search(rf'action="(/documents/{pk}/act/\d+/)"', page.text)
        if submit and 'name="action" value="submit"' in page.text:
            fields = Forms(page.text).find(submit.group(1))
            # A draft still missing a required part is refused with the reason (400), as
            # the drafter would see it: not an error of the server.
            self.post_form(page, submit.group(1), fields, "submit", expected=(400, 409))


class Reviewer(Drafter):
    role = "reviewer"
    weight = 2

    @task(2)
    def review(self):
        if not ACTIONS:
            return
        page = self.step("review")
        if page is None:
            return
        action = re.search(r'action="(/documents/\d+/act/\d+/)"', page.text)
        fields = Forms(page.text).find(action.group(1)) if action else None
        if fields is None:
            return
        if 'name="verdict"' in page.text:
            fields = replaced(fields, verdict="agree", action="opinion")
        elif random.random() < 0.1:
            fields = replaced(fields, action="return", comment="Đề nghị bổ sung số liệu.")
        else:
            fields = replaced(fields, action="endorse")
        self.post_form(page, action.group(1), fields, "review decision")


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

    @task(1)
    def reports(self):
        self.list_then_one("/reports/", "reports", REPORT_LINK, "report")

    @task(1)
    def sign(self):
        if not ACTIONS:
            return
        page = self.step("sign")
        if page is None or 'value="sign"' not in page.text or 'name="password"' not in page.text:
            return  # nothing to sign, or the signer is enrolled in TOTP (no code here)
        action = re.search(r'action="(/documents/\d+/act/\d+/)"', page.text)
        fields = Forms(page.text).find(action.group(1))
        fields = replaced(fields, action="sign", password=PASSWORD)
        self.post_form(page, action.group(1), fields, "sign")


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
    def ranking(self):
        self.list_then_one("/evaluation/", "ranking cycles", RANKING_LINK, "ranking")

    @task(1)
    def scores(self):
        self.client.get("/individual/", name="individual scores")

    @task(1)
    def criteria(self):
        self.client.get("/criteria/", name="ranking criteria")

    @task(1)
    def documents(self):
        self.client.get("/documents/", name="documents")


class Stormer(Person):
    """The sign-in storm: a person who signs in, glances at My work and signs out, about
    every ten seconds, so that 50 of them sign in 50 times within any 10 s."""

    role = "stormer"
    wait_time = between(9, 11)

    @task
    def again(self):
        self.my_work()
        page = self.client.get("/work/", name="my work")
        token = CSRF_INPUT.search(page.text)
        self.client.post(
            "/accounts/logout/",
            data={"csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": page.url},
            name="sign out",
        )
        self.sign_in()


# Locust runs every concrete User class of the module: the roles left out are made
# abstract (the storm only when asked for).
for _cls in (Drafter, Reviewer, Signer, Clerk, Inspector, CouncilMember, Stormer):
    if _cls.role not in ROLES if ROLES else _cls is Stormer:
        _cls.abstract = True

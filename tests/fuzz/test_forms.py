"""Every form the product serves, fuzzed through the browser's own path: the page is
fetched, its form scraped, hypothesis mutates the fields and posts them (tests/fuzz/
harness.py says which properties are checked). The example budget comes from the
hypothesis profile (tests/conftest.py): small in CI, larger with HYPOTHESIS_PROFILE=long."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organisation.models import Unit
from tests.budgeting import helpers as bh
from tests.digitisation import helpers as dh
from tests.fuzz.harness import as_post_data, assert_safe_post, mutated, scrape_form
from tests.standards import helpers as sh
from tests.workflows import helpers as h


@dataclass
class Target:
    """Who fills the form, on which page, and which form of that page (by its action)."""

    username: str | None
    page: Callable[[], str]  # builds what the form needs, returns the page's URL
    action: str = ""


def _task_page(document, view: str) -> str:
    return f"/documents/{document.pk}/{view}/{h.open_task(document).pk}/"


def _draft_plan() -> str:
    return f"/plans/{h.make_plan('draft').pk}/edit/"


def _annual_plan() -> str:
    return f"/plans/{bh.annual_plan().document.pk}/edit/"


def _estimate() -> str:
    return f"/estimates/{bh.make_estimate('draft').pk}/edit/"


def _standard() -> str:
    sh.groups()
    return f"/standards/{sh.make_standard('draft').pk}/edit/"


def _after(prepare: Callable[[], object], url: str) -> Callable[[], str]:
    """A page that needs something in the database first."""
    return lambda: (prepare(), url)[1]


def _review_page() -> str:
    return _task_page(h.make_plan("submitted"), "review")


def _sign_page() -> str:
    return _task_page(h.make_plan("endorsed"), "sign")


def _opinion_page() -> str:
    sh.groups()
    return _task_page(sh.make_standard("submitted"), "review")


def _remind_document_page() -> str:
    return f"/followup/documents/{h.make_plan('submitted').pk}/remind/"


def _remind_unit_page() -> str:
    h.make_plan("submitted")
    return f"/followup/units/{Unit.objects.get(code='KH').pk}/remind/"


def _batch_page(state: str) -> Callable[[], str]:
    return lambda: f"/digitisation/{dh.make_batch(dh.issued_task(), state).pk}/"


TARGETS = {
    "sign-in": Target(None, lambda: "/accounts/login/"),
    "password": Target(h.DRAFTER, lambda: "/accounts/password/"),
    "plan-create": Target(h.DRAFTER, lambda: "/plans/new/"),
    "plan-edit": Target(h.DRAFTER, _draft_plan),
    "annual-plan-edit": Target(h.DRAFTER, _annual_plan),
    "guidance": Target(h.REVIEWER, lambda: "/plans/guidance/new/"),
    "estimate-create": Target(h.DRAFTER, _after(bh.annual_plan, "/estimates/new/")),
    "estimate-edit": Target(h.DRAFTER, _estimate, action="/edit/"),
    "standard-create": Target(sh.DRAFTER, lambda: "/standards/new/"),
    "standard-edit": Target(sh.DRAFTER, _standard),
    "position-group": Target(sh.DRAFTER, _after(sh.groups, "/standards/groups/new/")),
    "certificate": Target(
        sh.DRAFTER, _after(sh.groups, "/standards/certificates/new/"), action="/certificates/new/"
    ),
    "comment": Target(h.REVIEWER, _review_page, action="/comment/"),
    "review-decision": Target(h.REVIEWER, _review_page, action="/act/"),
    "sign-decision": Target(h.MINISTER, _sign_page, action="/act/"),
    "opinion": Target(sh.CENTRE, _opinion_page, action="/act/"),
    "remind-document": Target("vanthu.vp", _remind_document_page),
    "remind-unit": Target("vanthu.vp", _remind_unit_page),
    "leave": Target("quantri", lambda: "/leave/unit/"),
    "digitisation-batch": Target(dh.OFFICE, _after(dh.issued_task, "/digitisation/new/")),
    "digitisation-check": Target(dh.CENTRE, _batch_page("registered"), action="/check/"),
    "digitisation-redo": Target(dh.OFFICE, _batch_page("rejected"), action="/redo/"),
    "digitisation-target": Target(
        dh.CENTRE, _after(dh.issued_task, "/digitisation/progress/"), action="/targets/"
    ),
    "mail-statistics": Target("soanthao.tttt", lambda: "/individual/mail/"),
}


def _observers(client, url: str) -> list[tuple[Client, str]]:
    """Where whatever a form saved is shown again: the trail and its exports (every
    action is an event), and the document's own pages and export."""
    auditor = Client()
    auditor.force_login(h.person("thanhtra"))
    seen = [(auditor, "/audit/"), (auditor, "/audit/export.csv"), (auditor, "/audit/export.xlsx")]
    match = re.search(r"/(?:documents|plans|estimates|standards)/(\d+)/", url)
    if match:
        pk = match.group(1)
        seen += [(client, f"/documents/{pk}/"), (client, f"/documents/{pk}/print/")]
        if url.startswith("/estimates/"):
            seen.append((client, f"/estimates/{pk}/export.xlsx"))
    if url.startswith("/standards/certificates/"):
        seen += [
            (client, "/standards/compliance/export.csv"),
            (client, "/standards/compliance/export.xlsx"),
        ]
    return seen


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_input_never_errors_and_saves_all_or_nothing(name, data, demo_org, _prepared):
    client, url, action_url, fields, observers = _prepared(name)
    pairs = data.draw(mutated(fields), label="posted fields")
    assert_safe_post(client, action_url, as_post_data(pairs), observers=observers)


@pytest.fixture
def _prepared(db):
    """Builds each target once per test (not per example): the page, its form, a client."""
    cache = {}

    def prepare(name):
        if name not in cache:
            target = TARGETS[name]
            client = Client(enforce_csrf_checks=False)
            if target.username:
                client.force_login(h.person(target.username))
            url = target.page()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            html = response.content.decode()
            action_url, fields = scrape_form(html, url, target.action)
            cache[name] = (client, url, action_url, fields, _observers(client, url))
        return cache[name]

    return prepare

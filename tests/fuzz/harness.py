"""One harness for fuzzing every form: scrape the form a page really serves, let
hypothesis mutate its fields (any Unicode, huge and empty values, numbers as text, dates
out of range, fields duplicated or missing), post it, and check the two properties the
product promises: never a 500, and either everything is saved or nothing is.

Scraping the served form rather than listing fields by hand means a field added to any
form is fuzzed from the day it appears, and so are formset management fields."""

from __future__ import annotations

import hashlib
import json

from django.apps import apps
from hypothesis import event
from hypothesis import strategies as st

from tests.workflows.helpers import Forms
from workflows.audit import verify_chain

# Tables whose rows a refused form must leave exactly as they were. The audit trail is
# checked separately (it may record a refusal, and must stay a valid chain); sessions and
# sign-in attempts change on every request.
SNAPSHOT_APPS = (
    "organisation",
    "workflows",
    "planning",
    "budgeting",
    "standards",
    "viewflow",
    "leave",
    "digitisation",
    "individual",
)
SNAPSHOT_SKIP = {"auditevent", "auditchainhead", "auditverification"}


def scrape_form(html: str, page_url: str, action_contains: str = "") -> tuple[str, list]:
    """Where the first POST form whose action contains `action_contains` posts to, and
    the (name, value) pairs a browser would post. Without `action_contains`, the form
    that posts to the page itself (not the language switch or sign-out in the header)."""
    parser = Forms()
    parser.feed(html)
    for fields, meta in zip(parser.forms, parser.meta, strict=True):
        action = meta["action"] or page_url
        wanted = action_contains in action if action_contains else action == page_url
        if meta["method"] == "post" and wanted:
            # As a browser posts it: selects without a chosen option send their first,
            # and the first named button is the one pressed.
            pairs = [list(f) for f in fields] + [list(f) for f in meta.get("unselected", [])]
            return action, pairs + [list(b) for b in meta["buttons"][:1]]
    raise AssertionError(f"no POST form with action containing {action_contains!r} on {page_url}")


def snapshot() -> str:
    """A digest of every row of the product's tables but the audit trail's."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label not in SNAPSHOT_APPS or not model._meta.managed:
            continue
        if model._meta.model_name in SNAPSHOT_SKIP:
            continue
        rows = list(model._default_manager.order_by("pk").values())
        digest.update(model._meta.label.encode())
        digest.update(json.dumps(rows, default=str, sort_keys=True).encode())
    return digest.hexdigest()


# Hostile values: any Unicode (but lone surrogates, which no browser can send in UTF-8),
# empty and huge strings, numbers written oddly, dates that do not exist.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
HUGE_TEXT = st.integers(5_001, 30_000).map(lambda n: "Ứ" * n)
NUMBERISH = st.sampled_from(
    [
        "0",
        "-1",
        "1e3",
        "1e309",
        "NaN",
        "inf",
        "-0",
        "1.5",
        "1,5",
        "1.000.000",
        " 12 ",
        "99999999999999999999999",
        "1000000000000001",
        "١٢٣",
        "０１２",
        "0x10",
        "+5",
        "",
    ]
)
DATEISH = st.sampled_from(
    [
        "31/02/2026",
        "00/00/0000",
        "2026-13-01",
        "01/01/0001",
        "31/12/9999",
        "32/01/2026",
        "1/1/99999",
        "2026-02-29",
        "29/02/2028",
        "",
        "hôm nay",
        "2026-12-02T24:00",
    ]
)
HOSTILE = st.one_of(
    ANY_TEXT,
    HUGE_TEXT,
    NUMBERISH,
    DATEISH,
    st.just(""),
    st.just("\x00"),
    st.just('=HYPERLINK("x")'),
)


@st.composite
def mutated(draw, fields: list[list[str]]) -> list[tuple[str, str]]:
    """The scraped form with each field kept, dropped, replaced by a hostile value or
    sent twice; the CSRF token is always kept (its refusal is Django's, not ours)."""
    out: list[tuple[str, str]] = []
    for name, value in fields:
        if name == "csrfmiddlewaretoken":
            out.append((name, value))
            continue
        choice = draw(st.sampled_from(["keep", "keep", "drop", "hostile", "hostile", "twice"]))
        if choice == "keep":
            out.append((name, value))
        elif choice == "hostile":
            out.append((name, draw(HOSTILE)))
        elif choice == "twice":
            out.append((name, value))
            out.append((name, draw(HOSTILE)))
    return out


def as_post_data(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def assert_safe_post(client, url: str, data: dict, *, files=None, observers=()) -> None:
    """Post and check the properties: no 500; a refusal (any answer but a redirect)
    changes nothing; a success leaves a valid audit chain, and the pages and exports
    that show what was saved (`observers`: (client, url) pairs) still answer."""
    before = snapshot()
    payload = dict(data)
    if files:
        payload.update(files)
    response = client.post(url, payload)
    event(f"answered {response.status_code}")  # --hypothesis-show-statistics shows the mix
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code in (301, 302, 303):
        target = response.headers["Location"]
        assert client.get(target).status_code < 500, target
        assert client.get(url).status_code < 500, url
        for observer, observed in observers:
            assert observer.get(observed).status_code < 500, observed
    else:
        assert snapshot() == before, f"{url} answered {response.status_code} but saved data"
    assert verify_chain().ok

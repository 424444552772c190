"""Every list's filters and every export, fuzzed through the query string: any Unicode,
huge values, numbers and dates that do not exist, parameters repeated. None may answer
500; the exports must still produce a file (tests/fuzz/harness.py gives the values)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import HOSTILE
from tests.standards import helpers as sh
from tests.workflows import helpers as h

# (who, page, its filter parameters)
PAGES = [
    (h.DRAFTER, "/documents/", ["q", "year", "kind", "state", "unit", "page"]),
    (h.DRAFTER, "/work/", ["page"]),
    (h.DRAFTER, "/plans/", ["q", "year", "state", "page"]),
    (h.DRAFTER, "/estimates/", ["q", "year", "state", "page"]),
    (sh.DRAFTER, "/standards/", ["q", "state", "page"]),
    (
        "thanhtra",
        "/audit/",
        [
            "document",
            "document_id",
            "kind",
            "actor",
            "unit",
            "action",
            "date_from",
            "date_to",
            "q",
            "page",
        ],
    ),
    ("thanhtra", "/audit/export.csv", ["document", "actor", "date_from", "date_to", "q"]),
    ("thanhtra", "/audit/export.xlsx", ["document", "actor", "date_from", "date_to", "q"]),
    (sh.DRAFTER, "/standards/compliance/", ["group", "compliant", "q", "page"]),
    (sh.DRAFTER, "/standards/compliance/export.csv", ["group", "compliant", "q"]),
    (sh.DRAFTER, "/standards/compliance/export.xlsx", ["group", "compliant", "q"]),
    (sh.DRAFTER, "/standards/compliance/units/TTTT/", ["group", "compliant", "q", "page"]),
]

QUERY = st.lists(st.tuples(st.integers(0, 9), HOSTILE), max_size=6)


@pytest.mark.parametrize(("username", "url", "params"), PAGES, ids=[p[1] for p in PAGES])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=QUERY)
def test_hostile_filters_never_error(username, url, params, query, demo_org):
    sh.groups()
    client = Client()
    client.force_login(h.person(username))
    data: dict[str, list[str]] = {}
    for index, value in query:
        data.setdefault(params[index % len(params)], []).append(value)
    response = client.get(url, data)
    assert response.status_code < 500, (url, data)
    assert response.status_code in (200, 400, 404), (url, response.status_code)

"""Every inline table of every edit page refuses a posted row id that is not one of this
document's rows (another document's row, a malformed id, a number, the same row twice):
400, a message saying so on the edit page, and nothing saved. The forms are posted as the
page renders them, with only the row id tampered."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse

from budgeting.models import LineItem
from planning.models import Objective, PlanTask
from standards.models import PositionGroup, Requirement, RequirementItem
from tests.budgeting import helpers as b
from tests.standards import helpers as s
from tests.workflows import helpers as h
from workflows.models import AuditEvent, Document, Revision

pytestmark = pytest.mark.usefixtures("demo_org")

MESSAGE = "A row of the table is not one of this document's rows"
MODELS = (Document, Revision, AuditEvent, Objective, PlanTask, LineItem, Requirement)


@dataclass
class Table:
    """An inline table: where it is edited, by whom, and how its rows are named."""

    url: str
    username: str
    prefix: str  # the formset's prefix; for the matrix, the field naming a group's row
    foreign: str  # the id of a row of another document
    matrix: bool = False


def _plan_tables(kind: str) -> Table:
    document = h.make_plan("draft", year=2026)
    other = h.make_plan("draft", year=2031, title="Kế hoạch khác")
    model = PlanTask if kind == "tasks" else Objective
    foreign = model.objects.filter(plan__document=other).values_list("uid", flat=True)[0]
    return Table(reverse("planning:edit", args=[document.pk]), h.DRAFTER, kind, str(foreign))


def _lines() -> Table:
    plan = b.annual_plan()
    document = b.make_estimate("draft", plan=plan)
    # A row of another document: a task of the annual plan the estimate funds.
    foreign = str(plan.tasks.values_list("uid", flat=True)[0])
    return Table(reverse("budgeting:edit", args=[document.pk]), h.DRAFTER, "lines", foreign)


def _items() -> Table:
    s.groups()
    document = s.make_standard("draft")
    other = s.make_standard("draft", title="Chuẩn khác")
    foreign = RequirementItem.objects.filter(standard__document=other).values_list("pk")[0][0]
    return Table(reverse("standards:edit", args=[document.pk]), s.DRAFTER, "items", str(foreign))


def _matrix() -> Table:
    s.groups()
    document = s.make_standard("draft")
    # A position group no longer in use has no row in the matrix.
    PositionGroup.objects.create(code="CU", name_vi="Nhóm cũ", name_en="Old", active=False)
    url = reverse("standards:edit", args=[document.pk])
    return Table(url, s.DRAFTER, "level", "CU", matrix=True)


TABLES: dict[str, Callable[[], Table]] = {
    "plan-tasks": lambda: _plan_tables("tasks"),
    "objectives": lambda: _plan_tables("objectives"),
    "estimate-lines": _lines,
    "standard-items": _items,
    "matrix": _matrix,
}
BAD_IDS = {
    "foreign": None,  # the table's `foreign`
    "text": "abc",
    "exponent": "1e3",
    "negative": "-1",
    "huge": "9" * 40,
    "duplicate": None,  # a second row with the first row's id
}


def _client(client, table: Table):
    client.force_login(h.person(table.username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page_data(client, table: Table) -> dict:
    page = client.get(table.url)
    assert page.status_code == 200
    key = "version" if table.matrix else f"{table.prefix}-TOTAL_FORMS"
    return h.page_form(page.content.decode(), key) | {"save": "1"}


def _tamper(data: dict, table: Table, bad: str) -> dict:
    if table.matrix:
        row_id = table.foreign if bad == "foreign" else BAD_IDS[bad]
        return data | {f"{table.prefix}_{row_id}": "basic"}
    first = f"{table.prefix}-0-"
    assert data[f"{first}uid"], "the table must have a saved row to tamper with"
    if bad == "duplicate":
        total = int(data[f"{table.prefix}-TOTAL_FORMS"])
        copy = {
            f"{table.prefix}-{total}-{k[len(first) :]}": v
            for k, v in data.items()
            if k.startswith(first)
        }
        return data | copy | {f"{table.prefix}-TOTAL_FORMS": str(total + 1)}
    row_id = table.foreign if bad == "foreign" else BAD_IDS[bad]
    return data | {f"{first}uid": row_id}


def _snapshot():
    return [list(m.objects.order_by("pk").values()) for m in MODELS] + [
        list(RequirementItem.objects.order_by("pk").values())
    ]


@pytest.mark.parametrize("name", TABLES)
def test_the_page_as_rendered_saves(client, name):
    """The control: posting the page unchanged saves, so a 400 below is the row id's."""
    table = TABLES[name]()
    client = _client(client, table)

    response = client.post(table.url, _page_data(client, table))

    assert response.status_code == 302, response.content.decode()[:3000]


CASES = [
    pytest.param(name, bad, id=f"{name}-{bad}")
    for name in TABLES
    for bad in BAD_IDS
    # A group's row in the matrix is named by its field; a name cannot be posted twice.
    if not (name == "matrix" and bad == "duplicate")
]


@pytest.mark.parametrize(("name", "bad"), CASES)
def test_a_row_id_not_of_this_document_is_refused_and_nothing_saved(client, name, bad):
    table = TABLES[name]()
    client = _client(client, table)
    data = _tamper(_page_data(client, table), table, bad)
    before = _snapshot()

    response = client.post(table.url, data)

    assert response.status_code == 400
    assert MESSAGE in html.unescape(response.content.decode())
    assert _snapshot() == before

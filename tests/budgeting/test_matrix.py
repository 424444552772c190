"""Who may do what to a budget estimate, in which state: every demo role × every action ×
every state. Estimates follow exactly the rules of plans (same drafting and reviewing
units, same permissions, one shared lifecycle), so the expected outcomes, the known bugs
and the way each cell is driven are the plan matrix's own (tests/workflows/test_matrix.py);
only creating the document and editing its content are the estimate's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgeting import services as budgeting
from budgeting.models import LineItem
from tests.budgeting import helpers as b
from tests.workflows import helpers as h
from tests.workflows import matrix as m
from tests.workflows import test_matrix as plans
from workflows.models import Document

# The Vice-Minister signs under a delegation in force (delegation/).
pytestmark = pytest.mark.usefixtures("demo_org", "vice_minister_delegation")

OK, E404, E403 = plans.OK, plans.E404, plans.E403
STATES, ACTIONS = plans.STATES, plans.ACTIONS


def test_estimates_are_checked_against_the_plan_table():
    m.check_table(plans.EXPECTED)


def _edit(user, document):
    return budgeting.estimate_update(
        user=user,
        document_id=document.pk,
        version=document.version,
        title=document.title + " (sửa)",
        justification="",
        lines=[b.line("Máy chủ dự phòng", 1, 90_000_000)],
    )


def _lines(document):
    return list(
        LineItem.objects.filter(estimate__document=document).values_list("content", "amount")
    )


ESTIMATES = m.Kind(
    prefix="budgeting.estimate",
    make=b.make_estimate,
    run={**plans.RUN, "edit": _edit},
    expected=plans.EXPECTED,
    number="01/QĐ-UBDT",
    content=_lines,
    edited=lambda before, after: after == [("Máy chủ dự phòng", 90_000_000)],
)


@pytest.mark.parametrize("state", STATES)
def test_matrix(state):
    assert m.run_state(ESTIMATES, state) == {}


# --- The estimate's own edit page through HTTP ----------------------------------------------


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("soanthao.tttt", "draft", 200),
        ("soanthao.tttt", "returned", 200),
        # Not editable any more: back to the document's page, which says so.
        ("soanthao.tttt", "submitted", 302),
        ("soanthao.tttt", "endorsed", 302),
        ("soanthao.tttt", "issued", 302),
        # In scope, but not the drafting unit's drafter: 403 while it could be edited.
        ("thamdinh.kh", "returned", 403),
        ("botruong", "returned", 403),
        ("thutruong", "returned", 403),
        ("thanhtra", "draft", 403),
        ("thanhtra", "returned", 403),
        ("vanthu.vp", "returned", 403),
        # In scope but no longer editable by anyone: the document's page.
        ("thamdinh.kh", "submitted", 302),
        ("vanthu.vp", "issued", 302),
        # Out of scope: 404, as if it did not exist.
        ("thamdinh.kh", "draft", 404),
        ("botruong", "draft", 404),
        ("vanthu.vp", "draft", 404),
        ("hoidong.tdkt", "returned", 404),
        ("soanthao.tccb", "draft", 404),
        ("quantri", "draft", 404),
        ("quantri", "issued", 404),
    ],
)
def test_http_estimate_edit_page(as_user, username, state, status):
    document = b.make_estimate(state)

    response = as_user(username).get(reverse("budgeting:edit", args=[document.pk]))

    assert response.status_code == status
    if status == 302:
        assert response.url == reverse("workflows:document", args=[document.pk])


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("thamdinh.kh", "returned", 403),
        ("thanhtra", "draft", 403),
        ("vanthu.vp", "draft", 404),
        ("soanthao.tccb", "draft", 404),
        ("quantri", "returned", 404),
    ],
)
def test_http_estimate_edit_post_is_refused_and_saves_nothing(as_user, username, state, status):
    document = b.make_estimate(state)
    line = LineItem.objects.filter(estimate__document=document).first()
    before = Document.objects.values().get(pk=document.pk)
    lines_before = list(LineItem.objects.filter(estimate__document=document).values())

    response = as_user(username).post(
        reverse("budgeting:edit", args=[document.pk]),
        {
            "version": str(document.version),
            "title": "Đổi tên",
            "justification": "",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-0-uid": str(line.uid),
            "lines-0-content": "Đổi nội dung",
            "lines-0-unit": "bộ",
            "lines-0-quantity": "1",
            "lines-0-unit_price": "1",
            "lines-0-funding_source": "investment",
            "lines-0-expense_category": "hardware",
            "lines-0-plan_task_uid": "",
            "lines-0-note": "",
            "save": "1",
        },
    )

    assert response.status_code == status
    assert Document.objects.values().get(pk=document.pk) == before
    assert list(LineItem.objects.filter(estimate__document=document).values()) == lines_before


def test_http_edit_page_of_another_kind_or_missing_document_is_404(as_user):
    document = b.make_estimate("draft")
    plan_document = b.existing_annual_plan().document
    client = as_user(h.DRAFTER)

    # A plan is a document the drafter may edit, but not through the estimates' page.
    assert client.get(reverse("planning:edit", args=[plan_document.pk])).status_code == 200
    assert client.get(reverse("budgeting:edit", args=[plan_document.pk])).status_code == 404
    missing = Document.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("budgeting:edit", args=[missing])).status_code == 404
    assert client.get(reverse("budgeting:edit", args=[document.pk])).status_code == 200


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("soanthao.tttt", "draft", 200),
        ("thamdinh.kh", "draft", 404),
        ("thamdinh.kh", "submitted", 200),
        ("botruong", "draft", 404),
        ("botruong", "endorsed", 200),
        ("thutruong", "returned", 200),
        ("thanhtra", "draft", 200),
        ("vanthu.vp", "draft", 404),
        ("vanthu.vp", "endorsed", 200),
        ("vanthu.vp", "issued", 200),
        ("hoidong.tdkt", "submitted", 404),
        ("hoidong.tdkt", "issued", 200),
        ("soanthao.tccb", "issued", 404),
        ("quantri", "issued", 404),
    ],
)
def test_http_estimate_document_page(as_user, username, state, status):
    document = b.make_estimate(state)

    response = as_user(username).get(reverse("workflows:document", args=[document.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("soanthao.tttt", set(STATES)),
        ("thamdinh.kh", set(STATES) - {"draft"}),
        ("botruong", set(STATES) - {"draft"}),
        ("thanhtra", set(STATES)),
        ("vanthu.vp", set(STATES) - {"draft"}),
        ("hoidong.tdkt", {"issued"}),
        ("soanthao.tccb", set()),
        ("quantri", set()),
    ],
)
def test_http_estimate_list_shows_only_what_is_in_scope(as_user, username, visible):
    for year, state in enumerate(STATES, start=2026):
        b.make_estimate(state, year=year)

    response = as_user(username).get(reverse("budgeting:list"))

    assert response.status_code == 200
    assert {d.state for d in response.context["page"].object_list} == visible
    assert len(response.context["page"].object_list) == len(visible)
    assert {d.kind for d in response.context["page"].object_list} <= {"budget_estimate"}

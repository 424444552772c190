"""Who may do what to a ranking criteria set, in which state: every demo role × every
action × every state. The criteria set follows exactly the rules of plans (the Centre
drafts, the Planning Department reviews by approval, the Minister signs; the Council
reads it once issued), so the expected outcomes and the way each cell is driven are the
plan matrix's own (tests/workflows/test_matrix.py); only creating the document and
editing its content are the criteria set's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting.models import Indicator
from tests.reporting import helpers as r
from tests.workflows import matrix as m
from tests.workflows import test_matrix as plans

pytestmark = pytest.mark.usefixtures("demo_org", "vice_minister_delegation")

OK, E404, E403 = plans.OK, plans.E404, plans.E403


def _edit(user, document):
    groups, indicators = r.content()
    return r.services.criteria_set_update(
        user=user,
        document_id=document.pk,
        version=document.version,
        title=document.title + " (sửa)",
        groups=groups,
        indicators=indicators[:-1],
        bands=r.BANDS,
    )


def _indicators(document):
    return list(
        Indicator.objects.filter(group__criteria_set__document=document).values_list(
            "code", "max_points", "method", "params"
        )
    )


CRITERIA = m.Kind(
    prefix="reporting.criteria",
    make=r.make_criteria,
    run={**plans.RUN, "edit": _edit},
    expected=plans.EXPECTED,
    number="01/QĐ-UBDT",
    content=_indicators,
    edited=lambda before, after: len(after) == len(before) - 1,
)


@pytest.mark.parametrize("state", plans.STATES)
def test_matrix(state):
    assert m.run_state(CRITERIA, state) == {}


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("soanthao.tttt", "draft", 200),
        ("soanthao.tttt", "returned", 200),
        ("soanthao.tttt", "submitted", 302),
        ("soanthao.tttt", "issued", 302),
        ("thamdinh.kh", "returned", 403),
        ("botruong", "returned", 403),
        ("thanhtra", "draft", 403),
        ("thamdinh.kh", "draft", 404),
        ("hoidong.tdkt", "returned", 404),
        ("soanthao.tccb", "draft", 404),
        ("quantri", "draft", 404),
    ],
)
def test_http_criteria_edit_page(as_user, username, state, status):
    document = r.make_criteria(state)

    response = as_user(username).get(reverse("reporting:edit", args=[document.pk]))

    assert response.status_code == status
    if status == 302:
        assert response.url == reverse("workflows:document", args=[document.pk])


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("hoidong.tdkt", "issued", 200),
        ("hoidong.tdkt", "endorsed", 404),
        ("thamdinh.kh", "submitted", 200),
        ("thamdinh.kh", "draft", 404),
        ("soanthao.tccb", "issued", 404),
    ],
)
def test_http_document_page(as_user, username, state, status):
    document = r.make_criteria(state)

    response = as_user(username).get(reverse("workflows:document", args=[document.pk]))

    assert response.status_code == status

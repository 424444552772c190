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
from tests.workflows import helpers as h
from tests.workflows import test_matrix as plans
from workflows.models import AuditEvent, Comment, Document

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


RUN = {**plans.RUN, "edit": _edit}


def _indicators(document):
    return list(
        Indicator.objects.filter(group__criteria_set__document=document).values_list(
            "code", "max_points", "method", "params"
        )
    )


@pytest.mark.parametrize(("role", "action", "state", "expected"), list(plans._cases()))
def test_matrix(role, action, state, expected):
    document = r.make_criteria(state)
    before = Document.objects.values().get(pk=document.pk)
    indicators_before = _indicators(document)
    events_before = AuditEvent.objects.filter(document=document).count()
    comments_before = Comment.objects.filter(document=document).count()
    user = h.person(h.USER_FOR_ROLE[role])

    got = plans.outcome(RUN[action], user, document)

    assert got == expected
    after = Document.objects.values().get(pk=document.pk)
    new_events = list(AuditEvent.objects.filter(document=document).order_by("pk")[events_before:])
    if expected != OK:
        # A refusal changes nothing; a refusal for scope or permission is on record.
        assert after == before
        assert _indicators(document) == indicators_before
        assert Comment.objects.filter(document=document).count() == comments_before
        if expected in (E404, E403) and action != "view":
            assert [(e.action, e.data["status"]) for e in new_events] == [
                ("workflows.document.access_denied", expected)
            ]
        else:
            assert new_events == []
        return
    if action == "view":
        assert new_events == []
        assert after == before
    elif action == "edit":
        assert after["version"] == before["version"] + 1
        assert after["title"].endswith("(sửa)")
        assert len(_indicators(document)) == len(indicators_before) - 1
        assert [e.action for e in new_events] == ["reporting.criteria.edited"]
    elif action == "comment":
        assert Comment.objects.filter(document=document).count() == comments_before + 1
        assert [e.action for e in new_events] == ["reporting.criteria.commented"]
    else:
        assert after["state"] == plans.AFTER[action]
        assert new_events[0].action == f"reporting.criteria.{plans.VERB[action]}"
        assert new_events[0].actor == user
        if action == "sign":
            assert after["number_text"] == "01/QĐ-UBDT"


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

"""Who may do what to a competency standard, in which state: every demo role × every
action × every state.

Standards differ from plans and estimates: the Personnel Department (TCCB) drafts them,
the Information Centre (TTTT) gives its technical opinion instead of returning or
endorsing, the standard then comes back to TCCB ("returned"), which submits it to the
signer ("endorsed") or asks for a new opinion. So the table is the standards' own, but
the outcomes, the runner and the checks follow the plan matrix
(tests/workflows/test_matrix.py), whose `outcome` and HTTP fixture are reused. Outcomes:

- OK:  the action goes through (and its effect is checked);
- 404: outside the person's scope (NotInScope): as if the standard did not exist;
- 403: in scope, but the role may never do this action (ActionForbidden);
- 409: the role may do it in principle, but not at the standard's present step or state
       (AlreadyHandled, NotEditable);
- 400: the step is the role's, but this kind of document does not work that way
       (InvalidInput: the Centre "returning" rather than giving an opinion, TCCB
       submitting to the signer before any opinion exists).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from organisation import roles
from standards import services as st
from standards.models import Requirement, RequirementItem
from tests.standards import helpers as s
from tests.workflows import helpers as h
from tests.workflows import test_matrix as plans
from workflows import selectors, services
from workflows.models import AuditEvent, Comment, Document, Verdict

# The Vice-Minister signs under a delegation in force (delegation/).
pytestmark = pytest.mark.usefixtures("org", "vice_minister_delegation")

OK, E404, E403, E409 = plans.OK, plans.E404, plans.E403, plans.E409
E400 = 400
STATES = h.STATES  # draft, submitted, returned (after the opinion), endorsed, issued
ACTIONS = ("view", "edit", "submit", "opinion", "submit_to_signer", "return", "sign", "comment")

# Each row lists the outcome in the five states, in the order of STATES:
#                      draft   submitted returned endorsed issued
SIGNER = {
    # Signers see a standard once it has been submitted (revision_count > 0), never a
    # draft that was never submitted.
    "view": (E404, OK, OK, OK, OK),
    # Only TCCB edits, submits and submits to the signer; only the Centre gives opinions.
    "edit": (E404, E403, E403, E403, E403),
    "submit": (E404, E403, E403, E403, E403),
    "opinion": (E404, E403, E403, E403, E403),
    "submit_to_signer": (E404, E403, E403, E403, E403),
    # A signer returns (and signs) only what TCCB has submitted to them.
    "return": (E404, E409, E409, OK, E409),
    "sign": (E404, E409, E409, OK, E409),
    # Guidance comments on any submitted revision, until the standard is issued.
    "comment": (E404, OK, OK, OK, E409),
}
NOTHING = dict.fromkeys(ACTIONS, (E404, E404, E404, E404, E404))
READS_ISSUED_ONLY = {
    # The Emulation Council sees issued standards only (none in draft or under review)
    # and may act on none of them.
    "view": (E404, E404, E404, E404, OK),
    **{a: (E404, E404, E404, E404, E403) for a in ACTIONS if a != "view"},
}
READS_SUBMITTED = {
    # The Office follows up on standards in progress: it reads every standard submitted
    # at least once, and may act on none of them.
    "view": (E404, OK, OK, OK, OK),
    **{a: (E404, E403, E403, E403, E403) for a in ACTIONS if a != "view"},
}

EXPECTED: dict[str, dict[str, tuple]] = {
    # TCCB drafts standards: sees its own in every state; edits them while draft or
    # returned (after the opinion); submits for an opinion from draft and, again, from
    # returned; submits to the signer only once the opinion is in (before it: 400, the
    # opinion is missing); never gives the opinion, returns, signs or comments.
    roles.PERSONNEL_DRAFTER: {
        "view": (OK, OK, OK, OK, OK),
        "edit": (OK, E409, OK, E409, E409),
        "submit": (OK, E409, OK, E409, E409),
        "opinion": (E403, E403, E403, E403, E403),
        "submit_to_signer": (E400, E409, OK, E409, E409),
        "return": (E403, E403, E403, E403, E403),
        "sign": (E403, E403, E403, E403, E403),
        "comment": (E403, E403, E403, E403, E403),
    },
    # The Information Centre gives the technical opinion: it sees a standard once
    # submitted, never a draft; gives its opinion only while the standard awaits it;
    # does not "return" (400: this kind is reviewed by opinion; 409 once the standard is
    # no longer with it); comments until the standard is issued. It drafts plans, not
    # standards: 403 for TCCB's steps.
    roles.CENTRE_DRAFTER: {
        "view": (E404, OK, OK, OK, OK),
        "edit": (E404, E403, E403, E403, E403),
        "submit": (E404, E403, E403, E403, E403),
        "opinion": (E404, OK, E409, E409, E409),
        "submit_to_signer": (E404, E403, E403, E403, E403),
        "return": (E404, E400, E409, E409, E409),
        "sign": (E404, E403, E403, E403, E403),
        "comment": (E404, OK, OK, OK, E409),
    },
    # The Minister and a Vice-Minister (signing on the Minister's behalf) alike.
    roles.MINISTER: SIGNER,
    roles.VICE_MINISTER: SIGNER,
    # The inspector reads every standard in every state and may act on none.
    roles.AUDITOR: {
        "view": (OK, OK, OK, OK, OK),
        **{a: (E403, E403, E403, E403, E403) for a in ACTIONS if a != "view"},
    },
    roles.OFFICE_CLERK: READS_SUBMITTED,
    roles.COUNCIL_MEMBER: READS_ISSUED_ONLY,
    # The Planning Department has no part in standards, not even issued ones.
    roles.PLANNING_REVIEWER: NOTHING,
    # The administrator manages people and roles and sees no document at all.
    roles.ADMINISTRATOR: NOTHING,
}

# Cells whose expected outcome the code does not meet yet, each with the bug it shows:
# they run as strict xfails, so fixing the bug turns them into failures to clean up.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


def test_the_table_covers_every_role_action_and_state():
    assert set(EXPECTED) == set(roles.ROLES) == set(h.USER_FOR_ROLE)
    for role, rows in EXPECTED.items():
        assert set(rows) == set(ACTIONS), role
        assert all(len(row) == len(STATES) for row in rows.values()), role
    for (role, action, state), _reason in KNOWN_BUGS.items():
        assert EXPECTED[role][action][STATES.index(state)] != OK


# --- Driving one cell -----------------------------------------------------------------


def _edit(user, document):
    return st.standard_update(
        user=user,
        document_id=document.pk,
        version=document.version,
        title=document.title + " (sửa)",
        sections=s.SECTIONS,
        effective_date=None,
        months_to_comply=24,
        requirements=s.MATRIX,
        items=s.ITEMS,
    )


def _act(action, verdict=""):
    def run(user, document):
        task = h.open_task(document)
        return services.document_act(
            user=user,
            document_id=document.pk,
            action=action,
            task_id=task.pk if task else None,
            comment="Ý kiến: đề nghị bổ sung mô-đun IU14.",
            verdict=verdict,
            version=document.version,
        )

    return run


RUN = {
    "view": lambda user, document: selectors.document_for(user, document.pk),
    "edit": _edit,
    "submit": _act("submit"),
    "opinion": _act("opinion", Verdict.AGREE_WITH_COMMENTS),
    "submit_to_signer": _act("submit_to_signer"),
    "return": _act("return"),
    "sign": _act("sign"),
    "comment": lambda user, document: services.comment_add(
        user=user, document_id=document.pk, body="Góp ý về ma trận yêu cầu."
    ),
}

# What a successful action leaves behind: the new state and the audit event.
AFTER = {
    "submit": "submitted",
    "opinion": "returned",
    "submit_to_signer": "endorsed",
    "return": "returned",
    "sign": "issued",
}
VERB = {
    "submit": "submitted",
    "opinion": "opinion_given",
    "submit_to_signer": "submitted_for_signature",
    "return": "returned",
    "sign": "signed",
}


def _cases():
    for role in EXPECTED:
        for action in ACTIONS:
            for i, state in enumerate(STATES):
                expected = EXPECTED[role][action][i]
                marks = ()
                if (role, action, state) in KNOWN_BUGS:
                    marks = pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(role, action, state)])
                yield pytest.param(
                    role, action, state, expected, marks=marks, id=f"{role}-{action}-{state}"
                )


def _content(document):
    return (
        list(Requirement.objects.filter(standard__document=document).values()),
        list(RequirementItem.objects.filter(standard__document=document).values()),
    )


@pytest.mark.parametrize(("role", "action", "state", "expected"), list(_cases()))
def test_matrix(role, action, state, expected):
    document = s.make_standard(state)
    before = Document.objects.values().get(pk=document.pk)
    content_before = _content(document)
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
        assert _content(document) == content_before
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
        assert [e.action for e in new_events] == ["standards.standard.edited"]
    elif action == "comment":
        assert Comment.objects.filter(document=document).count() == comments_before + 1
        comment = Comment.objects.filter(document=document).latest("pk")
        assert (comment.author, comment.action, comment.verdict) == (user, "", "")
        assert [e.action for e in new_events] == ["standards.standard.commented"]
    else:
        assert after["state"] == AFTER[action]
        assert new_events[0].action == f"standards.standard.{VERB[action]}"
        assert new_events[0].actor == user
        if action == "opinion":
            assert new_events[0].data["verdict"] == Verdict.AGREE_WITH_COMMENTS
            opinion = Comment.objects.filter(document=document).latest("pk")
            assert (opinion.author, opinion.action, opinion.verdict) == (
                user,
                "opinion",
                Verdict.AGREE_WITH_COMMENTS,
            )
        if action == "sign":
            assert after["number_text"] == "01/QĐ-UBDT"
            assert [e.action for e in new_events] == [
                "standards.standard.signed",
                "standards.standard.issued",
            ]


# --- The same through HTTP ------------------------------------------------------------


@pytest.fixture
def as_user(client):
    def login(username):
        client.force_login(h.person(username))
        client.cookies["ubdt_language"] = "en"
        return client

    return login


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("soanthao.tccb", "draft", 200),
        ("soanthao.tccb", "returned", 200),
        # Not editable any more: back to the document's page, which says so.
        ("soanthao.tccb", "submitted", 302),
        ("soanthao.tccb", "endorsed", 302),
        ("soanthao.tccb", "issued", 302),
        # In scope, but not TCCB: 403 while it could be edited.
        ("soanthao.tttt", "returned", 403),
        ("botruong", "returned", 403),
        ("thutruong", "returned", 403),
        ("thanhtra", "draft", 403),
        ("vanthu.vp", "returned", 403),
        # In scope but no longer editable by anyone: the document's page.
        ("soanthao.tttt", "submitted", 302),
        ("vanthu.vp", "issued", 302),
        ("hoidong.tdkt", "issued", 302),
        # Out of scope: 404, as if it did not exist.
        ("soanthao.tttt", "draft", 404),
        ("botruong", "draft", 404),
        ("vanthu.vp", "draft", 404),
        ("hoidong.tdkt", "draft", 404),
        ("thamdinh.kh", "returned", 404),
        ("thamdinh.kh", "issued", 404),
        ("quantri", "draft", 404),
    ],
)
def test_http_standard_edit_page(as_user, username, state, status):
    document = s.make_standard(state)

    response = as_user(username).get(reverse("standards:edit", args=[document.pk]))

    assert response.status_code == status
    if status == 302:
        assert response.url == reverse("workflows:document", args=[document.pk])


def _edit_form(document, **changes):
    data = {
        "version": str(document.version),
        "title": "Chuẩn kỹ năng CNTT (sửa qua trang)",
        "scope": "Phạm vi.",
        "applies_to": "Đối tượng.",
        "effective_date": timezone.localdate().isoformat(),
        "months_to_comply": "6",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-code": "IU07.2",
        "items-0-text": "Trộn thư.",
        "save": "1",
    }
    for row in s.MATRIX:
        data[f"level_{row.group}"] = row.level
        if row.advanced_modules:
            data[f"modules_{row.group}"] = row.advanced_modules
    data.update(changes)
    return data


def test_http_tccb_saves_the_standard(as_user):
    document = s.make_standard("returned")

    response = as_user(s.DRAFTER).post(
        reverse("standards:edit", args=[document.pk]), _edit_form(document)
    )

    assert response.status_code == 302
    assert response.url == reverse("standards:edit", args=[document.pk])
    document = s.fresh(document)
    assert document.title == "Chuẩn kỹ năng CNTT (sửa qua trang)"
    assert list(
        RequirementItem.objects.filter(standard__document=document).values_list("code")
    ) == [("IU07.2",)]


def test_http_a_refused_matrix_is_shown_with_its_problem(as_user):
    document = s.make_standard("draft")
    before = Document.objects.values().get(pk=document.pk)

    response = as_user(s.DRAFTER).post(
        reverse("standards:edit", args=[document.pk]),
        _edit_form(document, modules_CNTT=["IU07", "IU08"]),
    )

    assert response.status_code == 400
    assert "needs at least three advanced modules" in response.content.decode()
    assert Document.objects.values().get(pk=document.pk) == before


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("soanthao.tttt", "returned", 403),
        ("thanhtra", "draft", 403),
        ("botruong", "returned", 403),
        ("vanthu.vp", "draft", 404),
        ("thamdinh.kh", "returned", 404),
        ("quantri", "draft", 404),
    ],
)
def test_http_edit_post_is_refused_and_saves_nothing(as_user, username, state, status):
    document = s.make_standard(state)
    before = Document.objects.values().get(pk=document.pk)
    content_before = _content(document)

    response = as_user(username).post(
        reverse("standards:edit", args=[document.pk]), _edit_form(document)
    )

    assert response.status_code == status
    assert Document.objects.values().get(pk=document.pk) == before
    assert _content(document) == content_before


def _post_act(client, document, task, action, comment="Ý kiến.", verdict=""):
    return client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"action": action, "comment": comment, "verdict": verdict, "version": document.version},
    )


@pytest.mark.parametrize(
    ("username", "state", "action", "verdict", "status", "after"),
    [
        ("soanthao.tccb", "draft", "submit", "", 302, "submitted"),
        ("soanthao.tttt", "submitted", "opinion", "agree", 302, "returned"),
        ("soanthao.tttt", "submitted", "opinion", "disagree", 302, "returned"),
        ("soanthao.tccb", "returned", "submit_to_signer", "", 302, "endorsed"),
        ("soanthao.tccb", "returned", "submit", "", 302, "submitted"),
        ("botruong", "endorsed", "sign", "", 302, "issued"),
        ("thutruong", "endorsed", "sign", "", 302, "issued"),
        ("thutruong", "endorsed", "return", "", 302, "returned"),
        # Bad input: no verdict.
        ("soanthao.tttt", "submitted", "opinion", "", 400, "submitted"),
        # The role's action, at the wrong step.
        ("botruong", "submitted", "sign", "", 409, "submitted"),
        ("soanthao.tttt", "endorsed", "opinion", "agree", 409, "endorsed"),
        # In scope, but the role may not do it.
        ("soanthao.tccb", "submitted", "opinion", "agree", 403, "submitted"),
        ("soanthao.tttt", "returned", "submit_to_signer", "", 403, "returned"),
        ("botruong", "submitted", "opinion", "agree", 403, "submitted"),
        ("thanhtra", "endorsed", "sign", "", 403, "endorsed"),
        ("vanthu.vp", "issued", "sign", "", 403, "issued"),
        # Out of scope.
        ("soanthao.tttt", "draft", "opinion", "agree", 404, "draft"),
        ("thamdinh.kh", "submitted", "opinion", "agree", 404, "submitted"),
        ("hoidong.tdkt", "endorsed", "sign", "", 404, "endorsed"),
        ("quantri", "submitted", "opinion", "agree", 404, "submitted"),
    ],
)
def test_http_act(as_user, username, state, action, verdict, status, after):
    document = s.make_standard(state)
    # The page's task: the open one, or the last one once the flow has ended.
    task = h.open_task(document) or Task.objects.filter(process_id=document.process_id).latest(
        "created", "pk"
    )

    response = _post_act(as_user(username), document, task, action, verdict=verdict)

    assert response.status_code == status
    assert s.fresh(document).state == after


def test_http_sign_after_the_effective_date_is_refused_with_the_reason(as_user):
    document = s.make_standard("endorsed")  # effective today
    client = as_user(h.MINISTER)

    with s.today_is(timezone.localdate() + dt.timedelta(days=1)):
        response = _post_act(client, document, h.open_task(document), "sign")

    assert response.status_code == 400
    assert "is before the date of issue" in response.content.decode()
    document = s.fresh(document)
    assert (document.state, document.number_text) == ("endorsed", "")


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("soanthao.tccb", set(STATES)),
        ("soanthao.tttt", set(STATES) - {"draft"}),
        ("botruong", set(STATES) - {"draft"}),
        ("thanhtra", set(STATES)),
        ("vanthu.vp", set(STATES) - {"draft"}),
        ("hoidong.tdkt", {"issued"}),
        ("thamdinh.kh", set()),
        ("quantri", set()),
    ],
)
def test_http_standard_list_shows_only_what_is_in_scope(as_user, username, visible):
    for state in STATES:
        s.make_standard(state, title=f"Chuẩn {state}")

    response = as_user(username).get(reverse("standards:list"))

    assert response.status_code == 200
    assert {d.state for d in response.context["page"].object_list} == visible
    assert len(response.context["page"].object_list) == len(visible)

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
from organisation.demo import DEMO_PASSWORD
from standards import services as st
from standards.models import Requirement, RequirementItem
from tests.standards import helpers as s
from tests.workflows import helpers as h
from tests.workflows import matrix as m
from tests.workflows import test_matrix as plans
from workflows.models import AuditEvent, Comment, Document, Verdict

# The Vice-Minister signs under a delegation in force (delegation/).
pytestmark = pytest.mark.usefixtures("org", "vice_minister_delegation")

OK, E404, E403, E409 = plans.OK, plans.E404, plans.E403, plans.E409
E400 = 400
STATES = h.STATES  # draft, submitted, returned (after the opinion), endorsed, signed, issued
ACTIONS = (
    "view",
    "edit",
    "submit",
    "opinion",
    "submit_to_signer",
    "return",
    "sign",
    "issue",
    "comment",
)
NONE_OF = (E403,) * 6

# Each row lists the outcome in the six states, in the order of STATES:
#                      draft submitted returned endorsed signed issued
SIGNER = {
    # Signers see a standard once it has been submitted (revision_count > 0), never a
    # draft that was never submitted.
    "view": (E404, OK, OK, OK, OK, OK),
    # Only TCCB edits, submits and submits to the signer; only the Centre gives opinions;
    # only the Office issues.
    **dict.fromkeys(
        ("edit", "submit", "opinion", "submit_to_signer", "issue"),
        (E404, E403, E403, E403, E403, E403),
    ),
    # A signer returns (and signs) only what TCCB has submitted to them.
    "return": (E404, E409, E409, OK, E409, E409),
    "sign": (E404, E409, E409, OK, E409, E409),
    # Guidance comments on any submitted revision, until the standard is signed.
    "comment": (E404, OK, OK, OK, E409, E409),
}
NOTHING = dict.fromkeys(ACTIONS, (E404,) * 6)
READS_ISSUED_ONLY = {
    # The Emulation Council sees issued standards only (none in draft or under review)
    # and may act on none of them.
    "view": (E404, E404, E404, E404, E404, OK),
    **{a: (E404, E404, E404, E404, E404, E403) for a in ACTIONS if a != "view"},
}
CLERK = {
    # The Office follows up on standards in progress: it reads every standard submitted
    # at least once; it issues what the signer signed, and does nothing else.
    "view": (E404, OK, OK, OK, OK, OK),
    **{a: (E404, E403, E403, E403, E403, E403) for a in ACTIONS if a not in ("view", "issue")},
    "issue": (E404, E409, E409, E409, OK, E409),
}

EXPECTED: dict[str, dict[str, tuple]] = {
    # TCCB drafts standards: sees its own in every state; edits them while draft or
    # returned (after the opinion); submits for an opinion from draft and, again, from
    # returned; submits to the signer only once the opinion is in (before it: 400, the
    # opinion is missing); never gives the opinion, returns, signs, issues or comments.
    roles.PERSONNEL_DRAFTER: {
        "view": (OK,) * 6,
        "edit": (OK, E409, OK, E409, E409, E409),
        "submit": (OK, E409, OK, E409, E409, E409),
        "submit_to_signer": (E400, E409, OK, E409, E409, E409),
        **dict.fromkeys(("opinion", "return", "sign", "issue", "comment"), NONE_OF),
    },
    # The Information Centre gives the technical opinion: it sees a standard once
    # submitted, never a draft; gives its opinion only while the standard awaits it;
    # does not "return" (400: this kind is reviewed by opinion; 409 once the standard is
    # no longer with it); comments until the standard is signed. It drafts plans, not
    # standards: 403 for TCCB's steps.
    roles.CENTRE_DRAFTER: {
        "view": (E404, OK, OK, OK, OK, OK),
        **dict.fromkeys(
            ("edit", "submit", "submit_to_signer", "sign", "issue"),
            (E404, E403, E403, E403, E403, E403),
        ),
        "opinion": (E404, OK, E409, E409, E409, E409),
        "return": (E404, E400, E409, E409, E409, E409),
        "comment": (E404, OK, OK, OK, E409, E409),
    },
    # The Minister and a Vice-Minister (signing on the Minister's behalf) alike.
    roles.MINISTER: SIGNER,
    roles.VICE_MINISTER: SIGNER,
    # The inspector reads every standard in every state and may act on none.
    roles.AUDITOR: {
        "view": (OK,) * 6,
        **{a: NONE_OF for a in ACTIONS if a != "view"},
    },
    roles.OFFICE_CLERK: CLERK,
    roles.COUNCIL_MEMBER: READS_ISSUED_ONLY,
    # The Planning Department has no part in standards, not even issued ones.
    roles.PLANNING_REVIEWER: NOTHING,
    # The administrator manages people and roles and sees no document at all.
    roles.ADMINISTRATOR: NOTHING,
}


def test_the_table_covers_every_role_action_and_state():
    assert set(EXPECTED) == set(roles.ROLES)
    m.check_table(EXPECTED, actions=ACTIONS)


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


def _content(document):
    return (
        list(Requirement.objects.filter(standard__document=document).values()),
        list(RequirementItem.objects.filter(standard__document=document).values()),
    )


RUN = {
    "view": m.view,
    "edit": _edit,
    **{a: m.act(a) for a in ("submit", "submit_to_signer", "return", "sign", "issue")},
    "opinion": m.act("opinion", verdict=Verdict.AGREE_WITH_COMMENTS),
    "comment": m.comment,
}
STANDARDS = m.Kind(
    prefix="standards.standard",
    make=s.make_standard,
    run=RUN,
    expected=EXPECTED,
    number="01/QĐ-UBDT",
    content=_content,
)


@pytest.mark.parametrize("state", STATES)
def test_matrix(state):
    assert m.run_state(STANDARDS, state) == {}


def test_an_opinion_is_recorded_with_its_verdict():
    """What the opinion cell leaves beyond the state and the event: the verdict on the
    event and on the opinion comment."""
    document = s.make_standard("submitted")
    user = h.person(h.USER_FOR_ROLE[roles.CENTRE_DRAFTER])

    RUN["opinion"](user, document)

    event = AuditEvent.objects.filter(document=document).latest("seq")
    assert (event.action, event.data["verdict"]) == (
        "standards.standard.opinion_given",
        Verdict.AGREE_WITH_COMMENTS,
    )
    opinion = Comment.objects.filter(document=document).latest("pk")
    assert (opinion.author, opinion.action, opinion.verdict) == (
        user,
        "opinion",
        Verdict.AGREE_WITH_COMMENTS,
    )


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
    data = {"action": action, "comment": comment, "verdict": verdict, "version": document.version}
    if action == "sign":
        data["password"] = DEMO_PASSWORD  # the signer re-authenticates with the signature
    return client.post(reverse("workflows:act", args=[document.pk, task.pk]), data)


@pytest.mark.parametrize(
    ("username", "state", "action", "verdict", "status", "after"),
    [
        ("soanthao.tccb", "draft", "submit", "", 302, "submitted"),
        ("soanthao.tttt", "submitted", "opinion", "agree", 302, "returned"),
        ("soanthao.tttt", "submitted", "opinion", "disagree", 302, "returned"),
        ("soanthao.tccb", "returned", "submit_to_signer", "", 302, "endorsed"),
        ("soanthao.tccb", "returned", "submit", "", 302, "submitted"),
        ("botruong", "endorsed", "sign", "", 302, "signed"),
        ("thutruong", "endorsed", "sign", "", 302, "signed"),
        ("vanthu.vp", "signed", "issue", "", 302, "issued"),
        ("botruong", "signed", "issue", "", 403, "signed"),
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


def test_http_issue_after_the_effective_date_is_refused_with_the_reason(as_user):
    """Signed in time, issued a day late: the Office is refused, and nothing is numbered."""
    document = s.make_standard("signed")  # effective today
    client = as_user("vanthu.vp")

    with s.today_is(timezone.localdate() + dt.timedelta(days=1)):
        response = _post_act(client, document, h.open_task(document), "issue")

    assert response.status_code == 400
    assert "is before the date of issue" in response.content.decode()
    document = s.fresh(document)
    assert (document.state, document.number_text) == ("signed", "")


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

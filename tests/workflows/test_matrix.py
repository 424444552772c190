"""Who may do what, in which state: every demo role × every action × every state.

The expected outcome of each cell is written out below as data. Outcomes:

- OK:  the action goes through (and its effect is checked);
- 404: the document is outside the person's scope (NotInScope / Http404): answered as if
       it did not exist;
- 403: the person sees the document but their role may never do this action
       (ActionForbidden / PermissionDenied);
- 409: the role may do this action in principle, but not in the document's present state
       (a WorkflowError with status 409: AlreadyHandled, NotEditable).

The cells are driven through the services (workflows.services, planning.services,
workflows.selectors.document_for); a subset is then driven through HTTP.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from followup.services import followup_remind
from organisation import roles
from organisation.demo import DEMO_PASSWORD
from organisation.models import Unit
from planning import services as planning
from tests.workflows import helpers as h
from tests.workflows import matrix as m
from workflows.models import AuditEvent, Comment

# The Vice-Minister signs under a delegation in force (delegation/); without one she may
# not sign at all (tests/delegation/test_matrix.py).
pytestmark = pytest.mark.usefixtures("demo_org", "vice_minister_delegation")

OK, E404, E403, E409 = m.OK, m.E404, m.E403, m.E409
STATES = m.STATES  # draft, submitted, returned, endorsed, signed, issued
ACTIONS = m.ACTIONS

# Each row lists the outcome in the six states, in the order of STATES:
#            draft submitted returned endorsed signed issued
SIGNER = {
    # Signers see a plan once it has been submitted (revision_count > 0), never a draft.
    "view": (E404, OK, OK, OK, OK, OK),
    # Only the drafting unit's drafters edit and submit.
    "edit": (E404, E403, E403, E403, E403, E403),
    "submit": (E404, E403, E403, E403, E403, E403),
    # A signer returns (and signs) only what waits for signature.
    "return": (E404, E409, E409, OK, E409, E409),
    "endorse": (E404, E403, E403, E403, E403, E403),
    "sign": (E404, E409, E409, OK, E409, E409),
    # Only the Office issues.
    "issue": (E404, E403, E403, E403, E403, E403),
    # Guidance comments on any submitted revision, until it is signed.
    "comment": (E404, OK, OK, OK, E409, E409),
}
NOTHING = dict.fromkeys(ACTIONS, (E404,) * 6)
READS_ISSUED_ONLY = {
    # The Emulation Council sees issued documents only and may act on none of them.
    "view": (E404, E404, E404, E404, E404, OK),
    **{a: (E404, E404, E404, E404, E404, E403) for a in ACTIONS if a != "view"},
}
CLERK = {
    # The Office follows up on documents in progress (followup app): it reads every
    # document submitted at least once (a draft never submitted is its unit's own); it
    # issues what the signer has signed, and does nothing else.
    "view": (E404, OK, OK, OK, OK, OK),
    **{a: (E404, E403, E403, E403, E403, E403) for a in ACTIONS if a not in ("view", "issue")},
    "issue": (E404, E409, E409, E409, OK, E409),
}

EXPECTED: dict[str, dict[str, tuple]] = {
    # The Centre drafts plans: sees its own unit's plans in every state; edits and submits
    # them while draft or returned; never reviews, signs or comments (it answers comments
    # by revising the plan).
    roles.CENTRE_DRAFTER: {
        "view": (OK, OK, OK, OK, OK, OK),
        "edit": (OK, E409, OK, E409, E409, E409),
        "submit": (OK, E409, OK, E409, E409, E409),
        **dict.fromkeys(("return", "endorse", "sign", "issue", "comment"), (E403,) * 6),
    },
    # The Planning Department reviews plans once submitted (it never sees a draft that was
    # never submitted); returns or endorses only while the plan awaits review; comments
    # until it is signed.
    roles.PLANNING_REVIEWER: {
        "view": (E404, OK, OK, OK, OK, OK),
        "edit": (E404, E403, E403, E403, E403, E403),
        "submit": (E404, E403, E403, E403, E403, E403),
        "return": (E404, OK, E409, E409, E409, E409),
        "endorse": (E404, OK, E409, E409, E409, E409),
        "sign": (E404, E403, E403, E403, E403, E403),
        "issue": (E404, E403, E403, E403, E403, E403),
        "comment": (E404, OK, OK, OK, E409, E409),
    },
    # The Minister and a Vice-Minister (signing on the Minister's behalf) alike.
    roles.MINISTER: SIGNER,
    roles.VICE_MINISTER: SIGNER,
    # The inspector reads every document in every state and may act on none.
    roles.AUDITOR: {
        "view": (OK,) * 6,
        **{a: (E403,) * 6 for a in ACTIONS if a != "view"},
    },
    roles.OFFICE_CLERK: CLERK,
    roles.COUNCIL_MEMBER: READS_ISSUED_ONLY,
    # The Personnel Department drafts competency standards, not plans: it sees no plan.
    roles.PERSONNEL_DRAFTER: NOTHING,
    # The administrator manages people and roles and sees no document at all.
    roles.ADMINISTRATOR: NOTHING,
}


def test_the_table_covers_every_role_action_and_state():
    assert set(EXPECTED) == set(roles.ROLES)
    m.check_table(EXPECTED)


# --- Driving one cell -----------------------------------------------------------------


def _edit(user, document):
    return planning.plan_update(
        user=user,
        document_id=document.pk,
        version=document.version,
        title=document.title + " (sửa)",
        sections=h.SECTIONS,
        objectives=[h.objective()],
        tasks=[h.five_year_task()],
    )


outcome = m.outcome
RUN = {
    "view": m.view,
    "edit": _edit,
    **{action: m.act(action) for action in ("submit", "return", "endorse", "sign", "issue")},
    "comment": m.comment,
}
PLANS = m.Kind(prefix="planning.plan", make=h.make_plan, run=RUN, expected=EXPECTED)


@pytest.mark.parametrize("state", STATES)
def test_matrix(state):
    assert m.run_state(PLANS, state) == {}


# --- The same through HTTP ------------------------------------------------------------


@pytest.fixture
def as_user(client):
    def login(username):
        client.force_login(h.person(username))
        return client

    return login


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("soanthao.tttt", "draft", 200),
        ("thamdinh.kh", "draft", 404),
        ("thamdinh.kh", "submitted", 200),
        ("botruong", "draft", 404),
        ("botruong", "endorsed", 200),
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
def test_http_document_page(as_user, username, state, status):
    document = h.make_plan(state)
    response = as_user(username).get(reverse("workflows:document", args=[document.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("soanthao.tttt", "draft", 200),
        ("soanthao.tttt", "returned", 200),
        # Not editable any more: back to the document's page, which says so.
        ("soanthao.tttt", "submitted", 302),
        ("thamdinh.kh", "returned", 403),
        ("botruong", "returned", 403),
        ("thanhtra", "draft", 403),
        ("vanthu.vp", "draft", 404),
        ("soanthao.tccb", "draft", 404),
        ("quantri", "draft", 404),
    ],
)
def test_http_plan_edit_page(as_user, username, state, status):
    document = h.make_plan(state)
    response = as_user(username).get(reverse("planning:edit", args=[document.pk]))
    assert response.status_code == status
    if status == 302:
        assert response.url == reverse("workflows:document", args=[document.pk])


def _post_act(client, document, task, action, comment="Ý kiến."):
    action, _plus, password = action.partition("+password")
    data = {"action": action, "comment": comment, "version": document.version}
    if _plus:
        data["password"] = DEMO_PASSWORD
    return client.post(reverse("workflows:act", args=[document.pk, task.pk]), data)


@pytest.mark.parametrize(
    ("username", "state", "action", "status", "after"),
    [
        ("soanthao.tttt", "draft", "submit", 302, "submitted"),
        ("thamdinh.kh", "submitted", "endorse", 302, "endorsed"),
        ("thamdinh.kh", "submitted", "return", 302, "returned"),
        # A signature needs the signer's password again (signing.step_up): without it,
        # 403 and nothing signed; with it, signed, and the Office's to issue.
        ("botruong", "endorsed", "sign", 403, "endorsed"),
        ("botruong", "endorsed", "sign+password", 302, "signed"),
        ("vanthu.vp", "signed", "issue", 302, "issued"),
        ("botruong", "signed", "issue", 403, "signed"),
        ("thutruong", "endorsed", "return", 302, "returned"),
        # In scope, but the role may not do it.
        ("soanthao.tttt", "submitted", "endorse", 403, "submitted"),
        ("thamdinh.kh", "endorsed", "sign", 403, "endorsed"),
        ("thanhtra", "endorsed", "sign", 403, "endorsed"),
        ("botruong", "submitted", "endorse", 403, "submitted"),
        # Out of scope.
        ("hoidong.tdkt", "endorsed", "sign", 404, "endorsed"),
        ("soanthao.tccb", "draft", "submit", 404, "draft"),
        ("thamdinh.kh", "draft", "submit", 404, "draft"),
        ("quantri", "submitted", "endorse", 404, "submitted"),
        # A role that may never sign is refused (403), whatever the state.
        ("thanhtra", "submitted", "sign", 403, "submitted"),
        ("vanthu.vp", "issued", "sign", 403, "issued"),
    ],
)
def test_http_act(as_user, username, state, action, status, after):
    document = h.make_plan(state)
    # The page's task: the open one, or the last one once the flow has ended.
    task = h.open_task(document) or Task.objects.filter(process_id=document.process_id).latest(
        "created", "pk"
    )
    response = _post_act(as_user(username), document, task, action)
    assert response.status_code == status
    document.refresh_from_db()
    assert document.state == after


def test_http_act_on_a_finished_task_is_a_conflict(as_user):
    document = h.make_plan("submitted")
    review_task = h.open_task(document)
    client = as_user(h.REVIEWER)
    assert _post_act(client, document, review_task, "endorse").status_code == 302

    document.refresh_from_db()
    response = _post_act(client, document, review_task, "endorse")

    assert response.status_code == 409
    document.refresh_from_db()
    assert document.state == "endorsed"


def test_http_act_with_a_task_of_another_document_is_404(as_user):
    document = h.make_plan("submitted", title="Kế hoạch A")
    other = h.make_plan("submitted", title="Kế hoạch B")
    client = as_user(h.REVIEWER)

    response = _post_act(client, document, h.open_task(other), "endorse")

    assert response.status_code == 404
    document.refresh_from_db()
    other.refresh_from_db()
    assert (document.state, other.state) == ("submitted", "submitted")
    # Nor may a task id that does not exist at all be used.
    missing = Task.objects.order_by("-pk").first().pk + 1000
    response = client.post(
        reverse("workflows:act", args=[document.pk, missing]),
        {"action": "endorse", "comment": "", "version": document.version},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("thamdinh.kh", "submitted", 302),
        ("botruong", "endorsed", 302),
        ("soanthao.tttt", "submitted", 403),
        ("thanhtra", "submitted", 403),
        ("vanthu.vp", "submitted", 403),
        ("soanthao.tccb", "submitted", 404),
    ],
)
def test_http_comment(as_user, username, state, status):
    document = h.make_plan(state)
    response = as_user(username).post(
        reverse("workflows:comment", args=[document.pk]), {"body": "Góp ý.", "anchor": ""}
    )
    assert response.status_code == status
    assert Comment.objects.filter(document=document).exists() is (status == 302)


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
def test_http_plan_list_shows_only_what_is_in_scope(as_user, username, visible):
    for state in STATES:
        h.make_plan(state, title=f"Kế hoạch {state}")

    response = as_user(username).get(reverse("planning:list"))

    assert response.status_code == 200
    assert {d.state for d in response.context["page"].object_list} == visible
    assert len(response.context["page"].object_list) == len(visible)


# --- The Office's follow-up (followup app) -------------------------------------------
# The follow-up page, its XLSX export and the reminder to a unit belong to the Office
# (organisation.register_documents): everyone else is refused with 403. A reminder about
# one document is first a question of scope (404 outside it, as for every document
# action), then of the Office's permission (403); a document that waits on nobody
# (issued) is a conflict (409).
FOLLOWUP_ROLES = {
    #                        page  export  remind a unit
    roles.OFFICE_CLERK: (OK, OK, OK),
    **{role: (E403, E403, E403) for role in roles.ROLES if role != roles.OFFICE_CLERK},
}
#            draft   submitted returned endorsed signed issued
REMIND_DOCUMENT = {
    roles.CENTRE_DRAFTER: (E403,) * 6,
    roles.PLANNING_REVIEWER: (E404, E403, E403, E403, E403, E403),
    roles.PERSONNEL_DRAFTER: (E404,) * 6,
    # A signed document waits on the Office itself: its clerks are reminded.
    roles.OFFICE_CLERK: (E404, OK, OK, OK, OK, E409),
    roles.MINISTER: (E404, E403, E403, E403, E403, E403),
    roles.VICE_MINISTER: (E404, E403, E403, E403, E403, E403),
    roles.AUDITOR: (E403,) * 6,
    roles.COUNCIL_MEMBER: (E404, E404, E404, E404, E404, E403),
    roles.ADMINISTRATOR: (E404,) * 6,
}
HTTP_STATUS = {OK: 200, E403: 403, E404: 404, E409: 409}


def test_the_followup_tables_cover_every_role():
    assert set(FOLLOWUP_ROLES) == set(REMIND_DOCUMENT) == set(roles.ROLES)


def _followup_remind(user, *, document=None, unit=None):
    return followup_remind(
        user=user,
        document_id=document.pk if document else None,
        unit_id=unit.pk if unit else None,
        message="Đề nghị khẩn trương xử lý.",
    )


def _reminded(**filters) -> int:
    return AuditEvent.objects.filter(action__startswith="followup.", **filters).count()


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        pytest.param(role, state, row[i], id=f"{role}-remind-{state}")
        for role, row in REMIND_DOCUMENT.items()
        for i, state in enumerate(STATES)
    ],
)
def test_followup_remind_a_document(role, state, expected):
    document = h.make_plan(state)
    user = h.person(h.USER_FOR_ROLE[role])
    events_before = AuditEvent.objects.filter(document=document).count()

    got = outcome(lambda u, d: _followup_remind(u, document=d), user, document)

    assert got == expected
    new_events = list(AuditEvent.objects.filter(document=document).order_by("pk")[events_before:])
    if expected == OK:
        assert [(e.action, e.actor) for e in new_events] == [("followup.document.reminded", user)]
    elif expected in (E404, E403):
        assert [(e.action, e.data["status"]) for e in new_events] == [
            ("workflows.document.access_denied", expected)
        ]
    else:
        assert new_events == []


@pytest.mark.parametrize(("role", "expected"), list(FOLLOWUP_ROLES.items()))
def test_followup_page_export_and_unit_reminder(client, role, expected):
    h.make_plan("submitted")  # the Planning Department holds one review
    kh = Unit.objects.get(code="KH")
    user = h.person(h.USER_FOR_ROLE[role])
    client.force_login(user)
    page, export, remind_unit = expected

    assert client.get(reverse("followup:page")).status_code == HTTP_STATUS[page]
    assert client.get(reverse("followup:export")).status_code == HTTP_STATUS[export]
    assert outcome(lambda u, _d: _followup_remind(u, unit=kh), user, None) == remind_unit
    assert _reminded(action="followup.unit.reminded") == (1 if remind_unit == OK else 0)
    url = reverse("followup:remind_unit", args=[kh.pk])
    assert client.get(url).status_code == HTTP_STATUS[remind_unit]
    # A unit that does not exist is out of everyone's scope.
    assert outcome(lambda u, _d: _followup_remind(u, unit=Unit(pk=999_999)), user, None) == E404
    missing = reverse("followup:remind_unit", args=[999_999])
    assert client.post(missing, {"message": "Nhắc."}).status_code == 404


@pytest.mark.parametrize(
    ("username", "state", "status"),
    [
        ("vanthu.vp", "submitted", 200),
        ("vanthu.vp", "issued", 200),  # the form says the document waits on nobody
        ("vanthu.vp", "draft", 404),
        ("thamdinh.kh", "submitted", 403),
        ("thamdinh.kh", "draft", 404),
        ("quantri", "submitted", 404),
    ],
)
def test_http_followup_remind_document_page(as_user, username, state, status):
    document = h.make_plan(state)
    response = as_user(username).get(reverse("followup:remind_document", args=[document.pk]))
    assert response.status_code == status

"""Who may do what in the evaluation: every demo role, a unit's head and another unit's
head × every action, through the real services (404 out of scope, 403 missing
permission, 400 refused input), and a refusal changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation import selectors, services
from evaluation.models import Remark, SelfAssessment, Value
from organisation import roles
from tests.evaluation import helpers as e
from tests.workflows import helpers as h
from tests.workflows import test_matrix as plans
from workflows.models import AuditEvent

pytestmark = pytest.mark.usefixtures("demo_org")

OK, E404, E403, E400 = plans.OK, plans.E404, plans.E403, 400

ACTIONS = ("view", "fill", "respond", "appraise", "remark", "finalise", "open")


def _run(action, user, w):
    if action == "view":
        selectors.assessment_for(user, w["kh"].pk)
    elif action == "fill":
        v = w["kh"].values.filter(prefill_source="").first()
        services.self_assessment_fill(
            user=user,
            assessment_id=w["kh"].pk,
            entries={v.indicator_id: services.Entry(value=Decimal(1))},
        )
    elif action == "respond":
        services.self_assessment_respond(user=user, assessment_id=w["kh"].pk, text="Ý kiến")
    elif action == "appraise":
        v = w["vp"].values.first()
        services.value_appraise(user=user, value_id=v.pk, value=Decimal(0), reason="Thiếu")
    elif action == "remark":
        services.remark_add(user=user, evaluation_id=w["evaluation"].pk, text="Nhận xét")
    elif action == "finalise":
        services.evaluation_finalise(user=user, evaluation_id=w["evaluation"].pk)
    elif action == "open":
        services.evaluation_open(
            user=user, criteria_document_id=w["evaluation"].criteria.document_id
        )


#            view  fill  respond appraise remark finalise open
EXPECTED = {
    roles.CENTRE_DRAFTER: (OK, E404, E404, OK, E403, E400, E400),
    roles.PLANNING_REVIEWER: (OK, E403, E403, E403, E403, E403, E403),  # a KH member
    roles.PERSONNEL_DRAFTER: (E404, E404, E404, E403, E403, E403, E403),
    roles.OFFICE_CLERK: (E404, E404, E404, E403, E403, E403, E403),
    roles.MINISTER: (E404, E404, E404, E403, E403, E403, E403),
    roles.VICE_MINISTER: (E404, E404, E404, E403, E403, E403, E403),
    roles.AUDITOR: (E404, E404, E404, E403, E403, E403, E403),
    roles.COUNCIL_MEMBER: (OK, E404, E404, E403, OK, E403, E403),
    roles.ADMINISTRATOR: (E404, E404, E404, E403, E403, E403, E403),
    "head.kh": (OK, OK, E400, E403, E403, E403, E403),  # KH is still drafting
    "head.vp": (E404, E404, E404, E403, E403, E403, E403),
}


def _cases():
    for who, row in EXPECTED.items():
        for action, expected in zip(ACTIONS, row, strict=True):
            yield pytest.param(who, action, expected, id=f"{who}-{action}")


def _world():
    heads = e.heads()
    evaluation = e.open_evaluation()
    e.fill_all(e.assessment(evaluation, "VP"), heads["VP"])
    return {
        "evaluation": evaluation,
        "kh": e.assessment(evaluation, "KH"),
        "vp": e.assessment(evaluation, "VP"),
    }


def _state():
    return (
        list(SelfAssessment.objects.values_list("pk", "state", "response", "late").order_by("pk")),
        list(
            Value.objects.values_list("pk", "value", "appraised_value", "appraised").order_by("pk")
        ),
        Remark.objects.count(),
    )


@pytest.mark.parametrize(("who", "action", "expected"), list(_cases()))
def test_matrix(who, action, expected):
    w = _world()
    user = h.person(h.USER_FOR_ROLE.get(who, who))
    before = _state()

    got = plans.outcome(lambda u, _d: _run(action, u, w), user, None)

    assert got == expected
    if expected != OK or action == "view":
        assert _state() == before
    denials = AuditEvent.objects.filter(action="workflows.document.access_denied", actor=user)
    if expected in (E404, E403) and action != "view":
        # A refused attempt is on record, with what was attempted.
        assert [e.data["status"] for e in denials] == [expected]
    else:
        assert not denials.exists()


@pytest.mark.parametrize(
    ("username", "page", "status"),
    [
        ("head.kh", "own", 200),
        ("head.kh", "other", 404),
        ("thamdinh.kh", "own", 200),
        ("vanthu.vp", "own", 404),
        (e.COUNCIL, "other", 200),
        (e.CENTRE, "ranking", 200),
        (e.COUNCIL, "ranking", 200),
        ("head.kh", "ranking", 404),
        ("botruong", "ranking", 404),
        ("head.kh", "cycle", 302),
        ("thanhtra", "cycle", 302),  # the Inspectorate self-assesses too
        ("botruong", "cycle", 404),  # the leadership does not
        (e.CENTRE, "cycle", 200),
        ("head.kh", "bad-chart", 404),
        (e.COUNCIL, "bad-chart", 404),
        (e.COUNCIL, "chart", 200),
    ],
)
def test_http_pages(as_user, username, page, status):
    w = _world()
    url = {
        "own": reverse("evaluation:assessment", args=[w["kh"].pk]),
        "other": reverse("evaluation:assessment", args=[w["vp"].pk]),
        "ranking": reverse("evaluation:ranking", args=[2026]),
        "cycle": reverse("evaluation:cycle", args=[2026]),
        "bad-chart": reverse("evaluation:ranking", args=[2026]) + "?chart=nope",
        "chart": reverse("evaluation:ranking", args=[2026]) + "?chart=distribution",
    }[page]
    response = as_user(username).get(url)
    assert response.status_code == status
    if page == "chart":
        assert response["Content-Type"].startswith("image/svg+xml")
        assert b"<script" not in response.content


@pytest.mark.parametrize(
    "post",
    [
        {"action": "fill", "value_1": "abc"},
        {"action": "fill", "value_1": "1e400"},
        {"action": "evidence"},
        {"action": "nope"},
        {"action": "appraise", "value_id": "x"},
        {"action": "respond", "text": ""},
        {},
    ],
)
def test_bad_posts_never_500(as_user, post):
    w = _world()
    response = as_user("head.kh").post(reverse("evaluation:assessment", args=[w["kh"].pk]), post)
    assert response.status_code in (400, 403, 409)


def test_http_evidence_upload_refused_with_message(as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = _world()
    v = w["kh"].values.first()
    response = as_user("head.kh").post(
        reverse("evaluation:assessment", args=[w["kh"].pk]),
        {
            "action": "evidence",
            "value": v.pk,
            "file": SimpleUploadedFile("x.pdf", b"GIF89a not a pdf"),
        },
    )
    assert response.status_code == 400
    assert "PDF, PNG, JPEG" in response.content.decode() or "PDF, PNG, JPEG" in str(
        response.content
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [("head.vp", 200), (e.CENTRE, 200), (e.COUNCIL, 200), ("head.kh", 404), ("botruong", 404)],
)
def test_http_evidence_download(as_user, username, status):
    from evaluation.models import Evidence

    w = _world()
    item = Evidence.objects.filter(value__assessment=w["vp"]).first()
    response = as_user(username).get(reverse("evaluation:evidence", args=[item.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == e.PDF
        assert "attachment" in response["Content-Disposition"]


def test_ranking_decision_document_page_renders(as_user):
    w = _world()
    centre = h.person(e.CENTRE)
    for v in w["vp"].values.all():
        services.value_appraise(user=centre, value_id=v.pk, accept=True)
    finalised = services.evaluation_finalise(
        user=h.person(e.CENTRE), evaluation_id=w["evaluation"].pk
    )
    document = finalised.decision
    assert document.kind == "it_ranking" and document.state == "draft"
    response = as_user(e.CENTRE).get(reverse("workflows:document", args=[document.pk]))
    assert response.status_code == 200
    assert "VP" in response.content.decode()

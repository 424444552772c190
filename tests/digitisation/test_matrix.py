"""Who may do what in the digitisation programme: every demo role × every page and
action. The Office registers and redoes, the Centre checks, both set targets; leaders
and the Council read; anyone else gets 403 on the pages and 404 on a batch (it is outside
what they may see). A refusal changes nothing; a refused service call is on record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from digitisation.models import Batch, Target
from organisation import roles
from tests.digitisation import helpers as d
from tests.workflows import helpers as h
from workflows.models import AuditEvent

OFFICE, CENTRE = roles.OFFICE_CLERK, roles.CENTRE_DRAFTER
READERS = (roles.MINISTER, roles.VICE_MINISTER, roles.COUNCIL_MEMBER)
OTHERS = (roles.PLANNING_REVIEWER, roles.PERSONNEL_DRAFTER, roles.AUDITOR, roles.ADMINISTRATOR)

# action: (method, url name, batch state needed or None, takes the batch's pk)
ACTIONS = {
    "list": ("get", "digitisation:batches", None),
    "progress": ("get", "digitisation:progress", None),
    "export": ("get", "digitisation:progress_export", None),
    "detail": ("get", "digitisation:batch", "registered"),
    "new_page": ("get", "digitisation:batch_new", None),
    "import_page": ("get", "digitisation:import", None),
    "template": ("get", "digitisation:template", None),
    "register": ("post", "digitisation:batch_new", None),
    "accept": ("post", "digitisation:check", "registered"),
    "reject": ("post", "digitisation:check", "redone"),
    "redo": ("post", "digitisation:redo", "rejected"),
    "target": ("post", "digitisation:target_set", None),
}
READ = {"list": 200, "progress": 200, "export": 200, "detail": 200}
EXPECTED = {
    OFFICE: {
        **READ, "new_page": 200, "import_page": 200, "template": 200, "register": 302,
        "accept": 403, "reject": 403, "redo": 302, "target": 302,
    },
    CENTRE: {
        **READ, "new_page": 403, "import_page": 403, "template": 403, "register": 403,
        "accept": 302, "reject": 302, "redo": 403, "target": 302,
    },
    **{
        role: {
            **READ, "new_page": 403, "import_page": 403, "template": 403, "register": 403,
            "accept": 403, "reject": 403, "redo": 403, "target": 403,
        }
        for role in READERS
    },
    **{
        role: {
            "list": 403, "progress": 403, "export": 403, "detail": 404, "new_page": 403,
            "import_page": 403, "template": 403, "register": 403, "accept": 404,
            "reject": 404, "redo": 404, "target": 404,
        }
        for role in OTHERS
    },
}  # fmt: skip
SERVICE_ACTIONS = {"register", "accept", "reject", "redo", "target"}


def _cases():
    for role, outcomes in EXPECTED.items():
        assert set(outcomes) == set(ACTIONS), role
        for action, status in outcomes.items():
            yield pytest.param(role, action, status, id=f"{role}-{action}")


def _data(action, task):
    if action == "register":
        return {
            "fonds": "Phông Vụ Kế hoạch 2016",
            "unit": d.unit("KH").pk,
            "period_from": "01/01/2016",
            "period_to": "31/12/2016",
            "documents": "40",
            "pages": "300",
            "performed_by": "Công ty Số hóa Việt",
            "plan_task": task.pk,
        }
    if action == "accept":
        return {"verdict": "accept", "sample_size": "5"}
    if action == "reject":
        return {"verdict": "reject", "sample_size": "5", "reasons": "Thiếu trang 3."}
    if action == "redo":
        return {"note": "Quét lại.", "documents": "120", "pages": "860"}
    if action == "target":
        return {"plan_task": task.pk, "unit": d.unit().pk, "documents": "500", "pages": "4000"}
    return {}


def _snapshot():
    return (
        list(Batch.objects.order_by("pk").values()),
        list(Target.objects.values("documents", "pages")),
    )


@pytest.mark.parametrize(("role", "action", "expected"), list(_cases()))
def test_matrix(client, task, role, action, expected):
    method, url_name, state = ACTIONS[action]
    batch = d.make_batch(task, state) if state else None
    client.force_login(h.person(h.USER_FOR_ROLE[role]))
    before = _snapshot()
    events_before = AuditEvent.objects.count()
    url = reverse(url_name, args=[batch.pk] if batch else [])

    response = getattr(client, method)(url, _data(action, task) if method == "post" else None)

    assert response.status_code == expected
    new = list(AuditEvent.objects.order_by("pk")[events_before:])
    if method == "get" or expected != 302:
        assert _snapshot() == before
        if method == "post" and action in SERVICE_ACTIONS:
            assert [(e.action, e.data["status"]) for e in new] == [
                ("workflows.document.access_denied", expected)
            ]
        else:
            assert new == []
        return
    verbs = {
        "register": "digitisation.batch.registered",
        "accept": "digitisation.batch.accepted",
        "reject": "digitisation.batch.rejected",
        "redo": "digitisation.batch.redone",
        "target": "digitisation.target.set",
    }
    assert [e.action for e in new] == [verbs[action]]
    assert new[0].actor.username == h.USER_FOR_ROLE[role]
    if batch is not None:
        batch.refresh_from_db()
        assert batch.state == {"accept": "accepted", "reject": "rejected", "redo": "redone"}[action]


@pytest.mark.parametrize("username", [d.OFFICE, d.CENTRE, "botruong", "thanhtra"])
def test_a_batch_that_does_not_exist_is_404(as_user, task, username):
    client = as_user(username)
    assert client.get(reverse("digitisation:batch", args=[99999])).status_code == 404
    response = client.post(
        reverse("digitisation:check", args=[99999]), {"verdict": "accept", "sample_size": "1"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("register", {"fonds": "x", "documents": "-1", "period_from": "31/02/2015"}),
        ("register", {"documents": "abc", "pages": "1e9", "plan_task": "zzz", "unit": "0"}),
        ("check", {"verdict": "reject", "sample_size": "3", "reasons": ""}),
        ("check", {"verdict": "maybe", "sample_size": "-3"}),
        ("check", {"verdict": "accept", "sample_size": "100000"}),
        ("target", {"plan_task": "-1", "documents": "x"}),
    ],
)
def test_bad_input_is_a_400_never_a_500(as_user, task, action, data):
    batch = d.make_batch(task)
    user = d.CENTRE if action == "check" else d.OFFICE
    url = {
        "register": reverse("digitisation:batch_new"),
        "check": reverse("digitisation:check", args=[batch.pk]),
        "target": reverse("digitisation:target_set"),
    }[action]
    response = as_user(user).post(url, data)
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == "registered" and Batch.objects.count() == 1


def test_a_second_check_is_refused_with_409(as_user, task):
    batch = d.make_batch(task, "accepted")
    response = as_user(d.CENTRE).post(
        reverse("digitisation:check", args=[batch.pk]), {"verdict": "accept", "sample_size": "2"}
    )
    assert response.status_code == 409

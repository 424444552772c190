"""Bad input through the browser's door: every malformed or tampered post gets a clear
message and a 4xx status, never a 500, and nothing is saved half-way."""

import pytest
from django.urls import reverse

from organisation.models import Person
from planning import services as plans
from planning.models import Plan, PlanTask
from workflows import services as engine
from workflows.models import Document

pytestmark = pytest.mark.django_db

SECTIONS = dict.fromkeys(
    ("basis", "situation", "general_objective", "tasks_solutions", "funds"), "Nội dung"
)


@pytest.fixture
def drafter(demo_org):
    return Person.objects.get(username="soanthao.tttt")


@pytest.fixture
def plan(drafter):
    plan = plans.plan_create(
        user=drafter, kind="five_year_plan", title="Kế hoạch 2026-2030", period_start=2026
    )
    doc = plan.document
    plans.plan_update(
        user=drafter,
        document_id=doc.pk,
        version=doc.version,
        title=doc.title,
        sections=SECTIONS,
        objectives=[],
        tasks=[
            plans.TaskRow(
                name="Nâng cấp mạng",
                category="infrastructure",
                lead_unit="TTTT",
                estimated_cost=1_000_000,
                funding_source="investment",
                start_year=2026,
                end_year=2027,
            )
        ],
    )
    return Plan.objects.get(pk=plan.pk)


def _post_data(plan, **task_overrides):
    task = plan.tasks.get()
    row = {
        "tasks-0-uid": str(task.uid),
        "tasks-0-name": task.name,
        "tasks-0-category": task.category,
        "tasks-0-lead_unit": task.lead_unit,
        "tasks-0-coordinating_units": "",
        "tasks-0-start_year": "2026",
        "tasks-0-end_year": "2027",
        "tasks-0-estimated_cost": "1.000.000",
        "tasks-0-funding_source": task.funding_source,
    }
    row.update({f"tasks-0-{k}": v for k, v in task_overrides.items()})
    return {
        "version": str(plan.document.version),
        "title": plan.document.title,
        **{f"section_{k}": v for k, v in SECTIONS.items()},
        "objectives-TOTAL_FORMS": "0",
        "objectives-INITIAL_FORMS": "0",
        "tasks-TOTAL_FORMS": "1",
        "tasks-INITIAL_FORMS": "1",
        **row,
    }


def _unchanged(plan):
    plan.refresh_from_db()
    task = plan.tasks.get()
    return task.estimated_cost == 1_000_000 and task.name == "Nâng cấp mạng"


def test_edit_saves_a_valid_post(client, drafter, plan):
    client.force_login(drafter)
    data = _post_data(plan, estimated_cost="2.500.000", name="Nâng cấp mạng LAN")
    response = client.post(reverse("planning:edit", args=[plan.pk]), data)
    assert response.status_code == 302
    task = plan.tasks.get()
    assert task.estimated_cost == 2_500_000 and task.name == "Nâng cấp mạng LAN"


@pytest.mark.parametrize(
    "cost",
    ["-1", "1,5", "1.5", "mười", "10000000000000000", "1e9", ""],
    ids=["negative", "fraction-comma", "fraction-dot", "text", "enormous", "exponent", "empty"],
)
def test_bad_costs_are_refused_and_nothing_is_saved(client, drafter, plan, cost):
    client.force_login(drafter)
    response = client.post(
        reverse("planning:edit", args=[plan.pk]), _post_data(plan, estimated_cost=cost)
    )
    assert response.status_code == 400
    assert (
        "Nothing was saved" in response.content.decode() or "Chưa lưu" in response.content.decode()
    )
    assert _unchanged(plan)


@pytest.mark.parametrize(
    "overrides",
    [
        {"start_year": "2031"},
        {"start_year": "2027", "end_year": "2026"},
        {"start_year": "năm sau"},
        {"category": "not-a-category"},
        {"funding_source": "<script>"},
        {"name": ""},
    ],
    ids=[
        "outside-period",
        "end-before-start",
        "text-year",
        "bad-category",
        "bad-source",
        "no-name",
    ],
)
def test_bad_rows_are_refused(client, drafter, plan, overrides):
    client.force_login(drafter)
    response = client.post(reverse("planning:edit", args=[plan.pk]), _post_data(plan, **overrides))
    assert response.status_code == 400
    assert _unchanged(plan)


def test_stale_form_is_refused_with_a_message(client, drafter, plan):
    client.force_login(drafter)
    stale = _post_data(plan, estimated_cost="5")
    # Someone else saves in between.
    client.post(reverse("planning:edit", args=[plan.pk]), _post_data(plan, estimated_cost="7"))
    response = client.post(reverse("planning:edit", args=[plan.pk]), stale)
    assert response.status_code == 409
    assert plan.tasks.get().estimated_cost == 7


@pytest.mark.parametrize(
    "tamper",
    [
        {"tasks-TOTAL_FORMS": None},
        {"tasks-TOTAL_FORMS": "100000"},
        {"tasks-TOTAL_FORMS": "abc"},
        {"version": "abc"},
        {"version": None},
        {"state": "issued"},
    ],
    ids=["no-management", "huge-total", "text-total", "text-version", "no-version", "state"],
)
def test_tampered_posts_never_500(client, drafter, plan, tamper):
    client.force_login(drafter)
    data = _post_data(plan, estimated_cost="3")
    for key, value in tamper.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    response = client.post(reverse("planning:edit", args=[plan.pk]), data)
    plan.document.refresh_from_db()
    assert plan.document.state == "draft"
    if "state" in tamper:
        assert response.status_code == 302  # the field is simply not accepted
    else:
        assert response.status_code == 400
        assert _unchanged(plan)


def test_a_foreign_uid_is_refused_and_does_not_touch_another_plans_row(client, drafter, plan):
    other = plans.plan_create(
        user=drafter, kind="five_year_plan", title="Kế hoạch khác", period_start=2031
    )
    client.force_login(drafter)
    data = _post_data(plan)
    foreign = PlanTask.objects.create(
        plan=other,
        name="Của kế hoạch khác",
        category="email",
        lead_unit="VP",
        estimated_cost=1,
        funding_source="recurrent",
        start_year=2031,
        end_year=2031,
    )
    data["tasks-0-uid"] = str(foreign.uid)
    response = client.post(reverse("planning:edit", args=[plan.pk]), data)
    assert response.status_code == 400
    assert _unchanged(plan)
    foreign.refresh_from_db()
    assert foreign.plan_id == other.pk and foreign.name == "Của kế hoạch khác"


def test_act_with_a_tampered_action_is_400(client, drafter, plan):
    client.force_login(drafter)
    task = Document.objects.get(pk=plan.pk).process.task_set.get(status="NEW")
    response = client.post(
        reverse("workflows:act", args=[plan.pk, task.pk]),
        {"action": "publish", "version": plan.document.version},
    )
    assert response.status_code == 400
    assert Document.objects.get(pk=plan.pk).state == "draft"


def test_double_submit_is_409_already_handled(client, drafter, plan):
    client.force_login(drafter)
    doc = Document.objects.get(pk=plan.pk)
    task = doc.process.task_set.get(status="NEW")
    url = reverse("workflows:act", args=[plan.pk, task.pk])
    first = client.post(url, {"action": "submit", "version": doc.version})
    second = client.post(url, {"action": "submit", "version": doc.version})
    assert first.status_code == 302
    assert second.status_code == 409
    assert Document.objects.get(pk=plan.pk).revision_count == 1


def test_drafter_cannot_sign(client, drafter, plan):
    doc = Document.objects.get(pk=plan.pk)
    engine.document_act(user=drafter, document_id=doc.pk, action="submit")
    engine.document_act(
        user=Person.objects.get(username="thamdinh.kh"), document_id=doc.pk, action="endorse"
    )
    client.force_login(drafter)
    doc.refresh_from_db()
    task = doc.process.task_set.get(status="NEW")
    response = client.post(
        reverse("workflows:act", args=[plan.pk, task.pk]),
        {"action": "sign", "version": doc.version},
    )
    assert response.status_code == 403
    assert Document.objects.get(pk=plan.pk).state == "endorsed"


@pytest.mark.parametrize("url", ["/documents/999999/", "/plans/999999/edit/", "/documents/abc/"])
def test_unknown_objects_are_404(client, drafter, url):
    client.force_login(drafter)
    assert client.get(url).status_code == 404


def test_plan_create_refuses_a_year_without_five_year_plan(client, drafter):
    client.force_login(drafter)
    response = client.post(
        reverse("planning:create"), {"kind": "annual_plan", "year": "2040", "title": "Năm 2040"}
    )
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_plan_create_is_403_for_a_reviewer(client, demo_org):
    client.force_login(Person.objects.get(username="thamdinh.kh"))
    assert client.get(reverse("planning:create")).status_code == 403

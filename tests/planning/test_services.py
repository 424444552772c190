"""Creating and editing plans: what makes a plan valid, that a bad row saves nothing, and
that rows keep their identity across edits so revisions can be compared row by row."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from planning import kinds as plan_kinds
from planning import services as planning
from planning.models import MAX_COST, Kind, Objective, Plan, PlanTask
from tests.workflows import helpers as h
from workflows import content, kinds
from workflows.exceptions import InvalidInput
from workflows.models import AuditEvent, Document

pytestmark = pytest.mark.usefixtures("demo_org")


@pytest.fixture(autouse=True)
def english():
    """Problems are checked by their English wording."""
    with translation.override("en"):
        yield


def create(kind=Kind.FIVE_YEAR, year=2026, title="Kế hoạch ứng dụng CNTT", **kwargs):
    return planning.plan_create(
        user=h.person(h.DRAFTER), kind=kind, title=title, period_start=year, **kwargs
    )


def update(document, *, tasks, objectives=None, sections=None, title=None, version=None):
    return planning.plan_update(
        user=h.person(h.DRAFTER),
        document_id=document.pk,
        version=document.version if version is None else version,
        title=document.title if title is None else title,
        sections=h.SECTIONS if sections is None else sections,
        objectives=[h.objective()] if objectives is None else objectives,
        tasks=tasks,
    )


def stored(document):
    """Everything an edit could change, read back from the database."""
    document = Document.objects.get(pk=document.pk)
    plan = Plan.objects.get(document=document)
    return {
        "version": document.version,
        "title": document.title,
        "sections": plan.sections,
        "objectives": list(Objective.objects.filter(plan=plan).values()),
        "tasks": list(PlanTask.objects.filter(plan=plan).values()),
        "events": AuditEvent.objects.filter(document=document).count(),
    }


def uid_of(model, document, **lookup):
    return str(model.objects.get(plan__document=document, **lookup).uid)


# --- plan_create ----------------------------------------------------------------------


def test_a_five_year_plan_covers_five_years_and_starts_empty():
    plan = create(year=2026)

    assert (plan.period_start, plan.period_end, plan.period_label) == (2026, 2030, "2026–2030")
    assert plan.parent is None
    assert set(plan.sections.values()) == {""}
    assert plan.document.state == "draft"
    event = AuditEvent.objects.get(document=plan.document)
    assert event.action == "planning.plan.created"
    assert h.own_data(event) == {"period": [2026, 2030]}


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"year": 1999}, "between 2000 and 2100"),
        ({"year": 2101}, "between 2000 and 2100"),
        ({"year": "2026"}, "between 2000 and 2100"),
        ({"year": 2026.0}, "between 2000 and 2100"),
        ({"year": True}, "between 2000 and 2100"),
        ({"year": None}, "between 2000 and 2100"),
        ({"title": ""}, "needs a title"),
        ({"title": "   "}, "needs a title"),
        ({"title": "K" * 501}, "at most 500"),
        ({"kind": "budget_estimate"}, "Unknown kind"),
    ],
)
def test_plan_create_refuses_bad_input_and_creates_nothing(kwargs, problem):
    with pytest.raises(InvalidInput) as refused:
        create(**kwargs)

    assert any(problem in p for p in refused.value.problems), refused.value.problems
    assert not Document.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_five_year_plan_may_not_end_after_2100():
    with pytest.raises(InvalidInput):
        create(year=2100)  # would run 2100–2104
    assert not Document.objects.exists()


def test_a_five_year_plan_ending_in_2100_is_fine():
    plan = create(year=2096)
    assert plan.period_end == 2100
    plan.full_clean()


def test_an_annual_plan_belongs_to_the_five_year_plan_of_its_year():
    five_year = create(year=2026)

    annual = create(kind=Kind.ANNUAL, year=2028, title="Kế hoạch năm 2028")

    assert annual.parent == five_year
    assert (annual.period_start, annual.period_end) == (2028, 2028)


def test_an_annual_plan_whose_year_no_five_year_plan_covers_is_refused():
    create(year=2026)  # 2026–2030

    with pytest.raises(InvalidInput) as refused:
        create(kind=Kind.ANNUAL, year=2031, title="Kế hoạch năm 2031")

    assert refused.value.problems == ["No five-year plan covers 2031."]
    assert Document.objects.filter(kind=Kind.ANNUAL).count() == 0


def test_an_annual_plan_outside_the_chosen_five_year_plan_is_refused():
    earlier = create(year=2021)  # 2021–2025
    create(year=2026)

    with pytest.raises(InvalidInput) as refused:
        create(kind=Kind.ANNUAL, year=2027, parent_id=earlier.pk)

    assert refused.value.problems == ["The year 2027 lies outside the five-year plan 2021–2025."]
    assert not Document.objects.filter(kind=Kind.ANNUAL).exists()


def test_an_annual_plan_cannot_belong_to_another_annual_plan():
    create(year=2026)
    annual = create(kind=Kind.ANNUAL, year=2027)

    with pytest.raises(InvalidInput):
        create(kind=Kind.ANNUAL, year=2027, parent_id=annual.pk)
    assert Document.objects.filter(kind=Kind.ANNUAL).count() == 1


# --- plan_update: what a valid plan is ------------------------------------------------

GOOD = h.five_year_task(name="Nhiệm vụ hợp lệ", start=2026, end=2028)


def task(**changes):
    return dataclasses.replace(GOOD, **changes)


def objective(**changes):
    return dataclasses.replace(h.objective(), **changes)


BAD_TASKS = {
    "start before the period": (task(start_year=2025), "Task 2: years must lie within 2026–2030"),
    "end after the period": (task(end_year=2031), "Task 2: years must lie within 2026–2030"),
    "end before start": (
        task(start_year=2028, end_year=2027),
        "Task 2: the end year is before the start year",
    ),
    "no start year": (task(start_year=None), "Task 2: start and end years are required"),
    "no end year": (task(end_year=""), "Task 2: start and end years are required"),
    "year in words": (task(start_year="hai nghìn"), "Task 2: start and end years are required"),
    "negative cost": (task(estimated_cost=-1), "Task 2: the estimated cost must be"),
    "negative cost as text": (task(estimated_cost="-5"), "Task 2: the estimated cost must be"),
    "fractional cost": (task(estimated_cost=1.5), "Task 2: the estimated cost must be"),
    "enormous cost": (task(estimated_cost=10**16), "Task 2: the estimated cost must be"),
    "cost just over the limit": (
        task(estimated_cost=MAX_COST + 1),
        "Task 2: the estimated cost must be",
    ),
    "cost in words": (task(estimated_cost="mười"), "Task 2: the estimated cost must be"),
    "cost with separators": (
        task(estimated_cost="1.500.000"),
        "Task 2: the estimated cost must be",
    ),
    "cost as a boolean": (task(estimated_cost=True), "Task 2: the estimated cost must be"),
    "no cost": (task(estimated_cost=None), "Task 2: the estimated cost must be"),
    "no name": (task(name=""), "Task 2: the task is required"),
    "blank name": (task(name="   "), "Task 2: the task is required"),
    "no lead unit": (task(lead_unit=""), "Task 2: the lead unit is required"),
    "no category": (task(category=""), "Task 2: choose a category"),
    "unknown category": (task(category="xyz"), "Task 2: choose a category"),
    "no funding source": (task(funding_source=""), "Task 2: choose a funding source"),
}

BAD_OBJECTIVES = {
    "no indicator": (objective(indicator=" "), "Objective 1: the indicator is required"),
    "no target value": (objective(target_value=""), "Objective 1: the target value is required"),
    "target year outside": (objective(target_year=2035), "Objective 1: the target year must"),
    "target year before": (objective(target_year=2025), "Objective 1: the target year must"),
    "fractional target year": (objective(target_year=2027.5), "Objective 1: the target year"),
    "no target year": (objective(target_year=None), "Objective 1: the target year must"),
}


@pytest.fixture
def filled():
    """A five-year plan (2026–2030) with complete content: one objective, one task."""
    document = create(year=2026).document
    h.fill(document)
    return Document.objects.get(pk=document.pk)


def _changed_first_task(document):
    """The existing task, changed: would be saved if the bad row did not stop the edit."""
    return task(name="Đã đổi tên", uid=uid_of(PlanTask, document))


@pytest.mark.parametrize("case", list(BAD_TASKS))
def test_a_bad_task_row_is_refused_and_nothing_is_saved(filled, case):
    bad, problem = BAD_TASKS[case]
    before = stored(filled)

    with pytest.raises(InvalidInput) as refused:
        update(filled, title="Tên mới", tasks=[_changed_first_task(filled), bad])

    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems
    assert stored(filled) == before


@pytest.mark.parametrize("case", list(BAD_OBJECTIVES))
def test_a_bad_objective_is_refused_and_nothing_is_saved(filled, case):
    bad, problem = BAD_OBJECTIVES[case]
    before = stored(filled)

    with pytest.raises(InvalidInput) as refused:
        update(filled, objectives=[bad], tasks=[_changed_first_task(filled)])

    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems
    assert stored(filled) == before


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"title": ""}, "A plan needs a title."),
        ({"title": "K" * 501}, "The title may be at most 500 characters."),
        ({"sections": {**h.SECTIONS, "preface": "Lời nói đầu"}}, "Unknown section “preface”."),
        (
            {"sections": {**h.SECTIONS, "basis": "x" * 50_001}},
            "A section may be at most 50.000 characters: shorten it.",
        ),
    ],
)
def test_a_bad_title_or_section_is_refused_and_nothing_is_saved(filled, changes, problem):
    before = stored(filled)

    with pytest.raises(InvalidInput) as refused:
        update(filled, tasks=[_changed_first_task(filled)], **changes)

    assert problem in refused.value.problems
    assert stored(filled) == before


def test_every_problem_is_reported_at_once(filled):
    with pytest.raises(InvalidInput) as refused:
        update(
            filled,
            title="",
            objectives=[objective(indicator="", target_year=1999)],
            tasks=[task(name="", estimated_cost=-1), task(category="", start_year=2040)],
        )

    assert [p.split(":")[0] for p in refused.value.problems] == [
        "A plan needs a title.",
        "Objective 1",  # no indicator
        "Objective 1",  # target year
        "Task 1",  # no name
        "Task 1",  # cost
        "Task 2",  # no category
        "Task 2",  # years outside the period
        "Task 2",  # end before start
    ]


@pytest.mark.parametrize("cost", [0, MAX_COST, "1500000", " 42 "])
def test_whole_costs_from_zero_to_the_limit_are_accepted(filled, cost):
    update(filled, tasks=[task(estimated_cost=cost)])

    saved = PlanTask.objects.get(plan__document=filled)
    assert saved.estimated_cost == int(str(cost).strip())


def test_a_valid_edit_saves_everything_and_bumps_the_version(filled):
    before = stored(filled)
    update(
        filled,
        title="  Kế hoạch đã sửa  ",
        objectives=[objective(indicator="Chỉ tiêu A"), objective(indicator="Chỉ tiêu B")],
        tasks=[task(name="Một"), task(name="Hai", start_year="2027", end_year="2030")],
    )

    after = stored(filled)
    assert after["version"] == before["version"] + 1
    assert after["title"] == "Kế hoạch đã sửa"
    assert [t["name"] for t in after["tasks"]] == ["Một", "Hai"]
    assert (after["tasks"][1]["start_year"], after["tasks"][1]["end_year"]) == (2027, 2030)
    assert [o["indicator"] for o in after["objectives"]] == ["Chỉ tiêu A", "Chỉ tiêu B"]
    assert after["events"] == before["events"] + 1


def test_text_with_nul_and_decomposed_letters_is_stored_clean(filled):
    """Every text a plan holds (title, sections in JSON, table rows) goes through the one
    cleaning helper: on PostgreSQL a NUL would be a database error, not a message."""
    decomposed = "Ke\u0302\u0301 hoa\u0323ch\x00"
    update(
        filled,
        title=decomposed,
        sections={**h.SECTIONS, "basis": decomposed},
        objectives=[objective(indicator=decomposed, baseline="\x00")],
        tasks=[task(name=decomposed, lead_unit="Trung ta\u0302m\x00")],
    )

    after = stored(filled)
    assert after["title"] == after["sections"]["basis"] == "Kế hoạch"
    assert after["objectives"][0]["indicator"] == "Kế hoạch"
    assert after["objectives"][0]["baseline"] == ""
    assert (after["tasks"][0]["name"], after["tasks"][0]["lead_unit"]) == ("Kế hoạch", "Trung tâm")


def test_a_stale_edit_is_refused(filled):
    from workflows.exceptions import StaleDocument

    before = stored(filled)
    with pytest.raises(StaleDocument):
        update(filled, tasks=[task(name="Muộn")], version=filled.version - 1)
    assert stored(filled) == before


@pytest.mark.parametrize(
    "bad",
    [task(name="N" * 501), task(lead_unit="L" * 201), task(coordinating_units="C" * 501)],
    ids=["name", "lead_unit", "coordinating_units"],
)
def test_over_long_row_text_is_refused(filled, bad):
    before = stored(filled)
    with pytest.raises(InvalidInput):
        update(filled, tasks=[bad])
    assert stored(filled) == before


# --- Annual plans ---------------------------------------------------------------------


@pytest.fixture
def five_year_and_annual():
    five_year = create(year=2026).document
    h.fill(five_year, tasks=[h.five_year_task(name="Nhiệm vụ 5 năm")])
    annual = create(kind=Kind.ANNUAL, year=2027, title="Kế hoạch năm 2027").document
    return Document.objects.get(pk=five_year.pk), Document.objects.get(pk=annual.pk)


def test_an_annual_task_may_carry_out_a_task_of_its_five_year_plan(five_year_and_annual):
    five_year, annual = five_year_and_annual
    parent_uid = uid_of(PlanTask, five_year)

    update(annual, objectives=[], tasks=[h.annual_task(year=2027, parent_uid=parent_uid)])

    saved = PlanTask.objects.get(plan__document=annual)
    assert saved.parent_task == PlanTask.objects.get(plan__document=five_year)
    assert saved.deadline == dt.date(2027, 11, 30)
    assert (saved.start_year, saved.end_year) == (None, None)


def test_an_annual_task_pointing_to_another_plans_task_is_refused(five_year_and_annual):
    _five_year, annual = five_year_and_annual
    other = create(year=2031, title="Kế hoạch 2031–2035").document
    h.fill(other, tasks=[h.five_year_task(start=2031, end=2032)])
    foreign_uid = uid_of(PlanTask, other)
    before = stored(annual)

    with pytest.raises(InvalidInput) as refused:
        update(annual, objectives=[], tasks=[h.annual_task(year=2027, parent_uid=foreign_uid)])

    assert refused.value.problems == [
        "Task 1: the five-year task must belong to this plan's five-year plan."
    ]
    assert stored(annual) == before


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (h.annual_task(year=2027, parent_uid="not-a-uid"), "Task 1: the five-year task must"),
        (dataclasses.replace(h.annual_task(), deadline=None), "Task 1: the deadline is required"),
        (h.annual_task(year=2028), "Task 1: the deadline must fall in 2027"),
    ],
)
def test_bad_annual_task_rows_are_refused(five_year_and_annual, bad, problem):
    _five_year, annual = five_year_and_annual
    before = stored(annual)

    with pytest.raises(InvalidInput) as refused:
        update(annual, objectives=[], tasks=[bad])

    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems
    assert stored(annual) == before


def test_a_five_year_task_that_annual_plans_carry_out_cannot_be_removed(five_year_and_annual):
    five_year, annual = five_year_and_annual
    parent_uid = uid_of(PlanTask, five_year)
    update(annual, objectives=[], tasks=[h.annual_task(year=2027, parent_uid=parent_uid)])
    five_year.refresh_from_db()
    before = stored(five_year)

    with pytest.raises(InvalidInput) as refused:
        update(five_year, title="Bỏ nhiệm vụ", tasks=[task(name="Nhiệm vụ thay thế")])

    assert refused.value.problems == ["A task that annual plans refer to cannot be removed."]
    assert stored(five_year) == before


# --- Rows keep their identity ---------------------------------------------------------


def _snapshot(document):
    return plan_kinds.snapshot(Document.objects.get(pk=document.pk))


def test_a_row_keeps_its_uid_so_the_diff_shows_it_changed(filled):
    schema = kinds.get(Kind.FIVE_YEAR).schema
    old = _snapshot(filled)
    task_uid = uid_of(PlanTask, filled)
    objective_uid = uid_of(Objective, filled)

    update(
        filled,
        objectives=[objective(target_value="95%", uid=objective_uid)],
        tasks=[
            task(name="Tên mới", estimated_cost=2_000_000_000, uid=task_uid),
            task(name="Nhiệm vụ thêm"),
        ],
    )
    new = _snapshot(filled)

    assert uid_of(PlanTask, filled, name="Tên mới") == task_uid
    changes = content.diff(schema, old, new)
    tables = {t["key"]: t for t in changes["tables"]}
    task_rows = {r["uid"]: r for r in tables["tasks"]["rows"]}
    assert task_rows[task_uid]["status"] == "changed"
    changed_cells = {str(c["label"]) for c in task_rows[task_uid]["cells"]}
    assert {"Task", "Estimated cost (đồng)"} <= changed_cells
    assert sorted(r["status"] for r in task_rows.values()) == ["added", "changed"]
    assert [r["status"] for r in tables["objectives"]["rows"]] == ["changed"]
    assert tables["objectives"]["rows"][0]["uid"] == objective_uid
    total = tables["tasks"]["totals"][0]
    assert total["up"] is True


def test_a_row_sent_without_its_uid_is_a_new_row(filled):
    """The contrast: the form must post the uid back, or the diff shows removed + added."""
    schema = kinds.get(Kind.FIVE_YEAR).schema
    old = _snapshot(filled)
    old_uid = uid_of(PlanTask, filled)

    update(filled, tasks=[task(name="Tên mới")])

    rows = content.diff(schema, old, _snapshot(filled))["tables"]
    task_rows = next(t for t in rows if t["key"] == "tasks")["rows"]
    assert sorted(r["status"] for r in task_rows) == ["added", "removed"]
    assert old_uid not in {str(u) for u in PlanTask.objects.values_list("uid", flat=True)}


def test_an_unchanged_edit_gives_an_empty_diff(filled):
    schema = kinds.get(Kind.FIVE_YEAR).schema
    old = _snapshot(filled)

    update(
        filled,
        objectives=[h.objective(uid=uid_of(Objective, filled))],
        tasks=[
            dataclasses.replace(
                h.five_year_task(start=2026, end=2027), uid=uid_of(PlanTask, filled)
            )
        ],
    )

    assert content.diff(schema, old, _snapshot(filled))["empty"] is True


def test_a_uid_of_another_plans_row_does_not_move_that_row(filled):
    other = create(year=2031, title="Kế hoạch khác").document
    h.fill(other, tasks=[h.five_year_task(start=2031, end=2032)])
    foreign_uid = uid_of(PlanTask, other)

    update(filled, tasks=[task(name="Giả mạo", uid=foreign_uid)])

    assert PlanTask.objects.get(uid=foreign_uid).plan.document == Document.objects.get(pk=other.pk)
    mine = PlanTask.objects.get(plan__document=filled)
    assert mine.name == "Giả mạo"
    assert str(mine.uid) != foreign_uid


def test_model_validators_agree_with_the_service(filled):
    """What the service saved passes the model's own validation."""
    for row in PlanTask.objects.filter(plan__document=filled):
        row.full_clean()
    for row in Objective.objects.filter(plan__document=filled):
        row.full_clean()
    with pytest.raises(ValidationError):
        PlanTask(
            plan=Plan.objects.get(document=filled),
            name="x",
            category="email",
            lead_unit="y",
            estimated_cost=MAX_COST + 1,
            funding_source="recurrent",
        ).full_clean()

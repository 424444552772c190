"""The batch lifecycle through the services: registered → rejected (with reasons) →
redone → accepted, each step an audit event, each refusal leaving the batch as it was;
the database's own constraints; targets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from digitisation import selectors, services
from digitisation.models import Batch, Check, Rework, Target
from planning.models import Kind
from planning.services import TaskRow
from tests.digitisation import helpers as d
from tests.workflows import helpers as h
from workflows.exceptions import ActionForbidden, AlreadyHandled, InvalidInput, NotInScope
from workflows.models import AuditEvent
from worktime.calendar import today


def _events(action_prefix="digitisation."):
    return list(
        AuditEvent.objects.filter(action__startswith=action_prefix)
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "actor__username")
    )


def test_lifecycle_with_a_rejection_and_a_redo(task):
    office, centre = h.person(d.OFFICE), h.person(d.CENTRE)
    batch = services.batch_register(user=office, row=d.row(task))
    assert batch.state == "registered"
    assert d.unit().pk not in selectors.unit_figures()  # nothing accepted, rejected or targeted

    with pytest.raises(InvalidInput) as refused:
        services.batch_reject(user=centre, batch_id=batch.pk, sample_size=10, reasons="  ")
    assert "reasons" in str(refused.value.problems[0]).lower() or refused.value.problems
    services.batch_reject(
        user=centre, batch_id=batch.pk, sample_size=10, reasons="Ảnh mờ ở 12 trang."
    )
    batch.refresh_from_db()
    assert batch.state == "rejected" and batch.accepted_on is None
    with pytest.raises(AlreadyHandled):
        services.batch_accept(user=centre, batch_id=batch.pk, sample_size=10)

    services.batch_redo(user=office, batch_id=batch.pk, note="Quét lại 12 trang.", pages=872)
    batch.refresh_from_db()
    assert (batch.state, batch.pages) == ("redone", 872)
    with pytest.raises(AlreadyHandled):
        services.batch_redo(user=office, batch_id=batch.pk, note="Lần nữa")

    services.batch_accept(user=centre, batch_id=batch.pk, sample_size=15)
    batch.refresh_from_db()
    assert batch.state == "accepted" and batch.accepted_on == today()
    assert list(batch.checks.values_list("verdict", "sample_size")) == [
        ("rejected", 10),
        ("accepted", 15),
    ]
    assert batch.reworks.get().note == "Quét lại 12 trang."
    assert _events() == [
        ("digitisation.batch.registered", "", "registered", d.OFFICE),
        ("digitisation.batch.rejected", "registered", "rejected", d.CENTRE),
        ("digitisation.batch.redone", "rejected", "redone", d.OFFICE),
        ("digitisation.batch.accepted", "redone", "accepted", d.CENTRE),
    ]
    rejected = AuditEvent.objects.get(action="digitisation.batch.rejected")
    assert rejected.comment == "Ảnh mờ ở 12 trang."
    figures = selectors.unit_figures()[d.unit().pk]
    assert figures["documents"] == 120 and figures["pages"] == 872
    assert figures["batches_accepted"] == 1 and figures["batches_rejected"] == 1
    with pytest.raises(AlreadyHandled):
        services.batch_reject(user=centre, batch_id=batch.pk, sample_size=1, reasons="x")


@pytest.mark.parametrize(
    ("username", "call", "error"),
    [
        # The Centre checks, it does not register or redo; the Office does not check.
        (d.CENTRE, "register", ActionForbidden),
        (d.OFFICE, "accept", ActionForbidden),
        (d.OFFICE, "reject", ActionForbidden),
        # Readers without the permission.
        ("botruong", "accept", ActionForbidden),
        ("hoidong.tdkt", "register", ActionForbidden),
        # No reason to see the programme at all: out of scope.
        ("thamdinh.kh", "accept", NotInScope),
        ("soanthao.tccb", "reject", NotInScope),
        ("thanhtra", "accept", NotInScope),
        ("quantri", "accept", NotInScope),
    ],
)
def test_refusals_change_nothing_and_are_recorded(task, username, call, error):
    batch = d.register(task)
    before = Batch.objects.values().get(pk=batch.pk)
    user = h.person(username)
    calls = {
        "register": lambda: services.batch_register(user=user, row=d.row(task)),
        "accept": lambda: services.batch_accept(user=user, batch_id=batch.pk, sample_size=5),
        "reject": lambda: services.batch_reject(
            user=user, batch_id=batch.pk, sample_size=5, reasons="x"
        ),
    }
    with pytest.raises(error):
        calls[call]()
    assert Batch.objects.values().get(pk=batch.pk) == before
    assert Batch.objects.count() == 1 and not Check.objects.exists()
    denial = AuditEvent.objects.filter(action="workflows.document.access_denied").get()
    assert denial.data["status"] == (404 if error is NotInScope else 403)


def test_a_batch_that_does_not_exist_is_out_of_scope(task):
    with pytest.raises(NotInScope):
        services.batch_accept(user=h.person(d.CENTRE), batch_id=987654, sample_size=1)
    with pytest.raises(NotInScope):
        services.batch_redo(user=h.person(d.OFFICE), batch_id="x", note="n")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fonds": "  "}, "fonds"),
        ({"unit_id": None}, "unit"),
        ({"period_from": None}, "period_from"),
        ({"period_from": dt.date(2016, 1, 1)}, "period_to"),
        ({"documents": -1}, "documents"),
        ({"pages": "nhiều"}, "pages"),
        ({"documents": 10, "pages": 9}, "pages"),
        ({"performed_by": ""}, "performed_by"),
        ({"plan_task_id": None}, "plan_task"),
    ],
)
def test_bad_batches_are_refused_with_the_field_named(task, changes, field):
    row = d.row(task, **changes)
    problems = services.validate_batch(
        services.clean_row(row), unit_ids={d.unit().pk}, task_ids={task.pk}
    )
    assert [f for f, _r in problems] == [field]
    with pytest.raises(InvalidInput):
        services.batch_register(user=h.person(d.OFFICE), row=row)
    assert not Batch.objects.exists()


def test_only_an_issued_plans_digitisation_task_can_be_delivered(demo_org):
    draft = h.create_plan(kind=Kind.FIVE_YEAR, year=2026, title="Nháp")
    h.fill(draft, tasks=[TaskRow(**{**_task_fields(), "start_year": 2026, "end_year": 2027})])
    draft_task = draft.plan.tasks.get()
    issued_other = d.issued_task(year=2027)
    issued_other.category = "portal"
    issued_other.save(update_fields=["category"])
    for task in (draft_task, issued_other):
        with pytest.raises(InvalidInput):
            d.register(task)
    annual = d.issued_task(year=2028, kind=Kind.ANNUAL)
    assert d.register(annual).plan_task == annual


def _task_fields():
    return {
        "name": "Số hóa",
        "category": "digitisation",
        "lead_unit": "Văn phòng Ủy ban",
        "estimated_cost": 1,
        "funding_source": "recurrent",
    }


def test_an_import_is_all_or_nothing(task):
    rows = [d.row(task), d.row(task, documents=-5), d.row(task, fonds="Phông 2")]
    with pytest.raises(InvalidInput) as refused:
        services.batches_register(user=h.person(d.OFFICE), rows=rows, via="import")
    assert len(refused.value.problems) == 1 and "2" in refused.value.problems[0]
    assert not Batch.objects.exists() and not _events()
    created = services.batches_register(
        user=h.person(d.OFFICE), rows=[rows[0], rows[2]], via="import"
    )
    assert [b.fonds for b in created] == [rows[0].fonds, "Phông 2"]
    events = AuditEvent.objects.filter(action="digitisation.batch.registered")
    assert sorted(e.data["batch"] for e in events) == sorted(b.pk for b in created)
    assert {e.data["via"] for e in events} == {"import"}


@pytest.mark.parametrize(
    "values",
    [
        {"documents": -1},
        {"pages": -1},
        {"period_from": dt.date(2016, 1, 1), "period_to": dt.date(2015, 1, 1)},
        {"documents": 5, "pages": 4},
        {"state": "lost"},
        {"state": "accepted"},  # without the day it was accepted
        {"fonds": ""},
    ],
)
def test_the_database_refuses_impossible_batches(task, values):
    batch = d.register(task)
    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(**values)


def test_the_database_refuses_a_rejection_without_reasons_and_negative_targets(task):
    batch = d.register(task)
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.create(
            batch=batch,
            verdict="rejected",
            sample_size=1,
            reasons="",
            checked_by=h.person(d.CENTRE),
            checked_at=batch.registered_at,
            checked_on=today(),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Rework.objects.create(
            batch=batch, note="", recorded_by=h.person(d.OFFICE), recorded_at=batch.registered_at
        )
    services.target_set(
        user=h.person(d.OFFICE), plan_task_id=task.pk, unit_id=d.unit().pk, documents=1, pages=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.update(documents=-1)


def test_targets_are_set_by_the_office_or_the_centre_and_audited(task):
    office, centre = h.person(d.OFFICE), h.person(d.CENTRE)
    services.target_set(
        user=office, plan_task_id=task.pk, unit_id=d.unit().pk, documents=1000, pages=8000
    )
    services.target_set(
        user=centre, plan_task_id=task.pk, unit_id=d.unit().pk, documents=1200, pages=9000
    )
    target = Target.objects.get()
    assert (target.documents, target.pages, target.set_by) == (1200, 9000, centre)
    events = AuditEvent.objects.filter(action="digitisation.target.set").order_by("pk")
    assert [e.data["before"] for e in events] == [None, {"documents": 1000, "pages": 8000}]
    with pytest.raises(ActionForbidden):
        services.target_set(
            user=h.person("botruong"), plan_task_id=task.pk, unit_id=1, documents=1, pages=1
        )
    with pytest.raises(NotInScope):
        services.target_set(
            user=h.person("thanhtra"), plan_task_id=task.pk, unit_id=1, documents=1, pages=1
        )
    with pytest.raises(InvalidInput):
        services.target_set(
            user=office, plan_task_id=task.pk, unit_id=d.unit().pk, documents=-1, pages=1
        )
    assert selectors.unit_figures()[d.unit().pk]["target_documents"] == 1200

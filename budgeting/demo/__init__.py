"""Demo budget estimates, read from the YAML files beside this module and built through
the real services (lines validated, revision frozen and hashed on submission, every step
audited). Idempotent: an estimate whose annual plan already has one is left alone."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.test.utils import override_settings

from organisation.models import Person
from planning.models import Kind, Plan
from workflows import services as engine

from .. import services
from ..models import Estimate

HERE = Path(__file__).parent
KEYS = {"year", "title", "drafter", "justification", "lines"}
LINE_KEYS = {"content", "category", "source", "quantity", "unit", "price", "task"}


def read(name: str) -> dict:
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    if not KEYS <= set(data) <= KEYS | {"review"}:
        raise ValueError(f"{name}: needs {sorted(KEYS)} (and may have review)")
    if "review" in data and set(data["review"]) != {"by", "comments", "return"}:
        raise ValueError(f"{name}: review needs by, comments and return")
    for line in data["lines"]:
        if not LINE_KEYS - {"task"} <= set(line) <= LINE_KEYS | {"note"}:
            raise ValueError(f"{name}: line {line} needs {sorted(LINE_KEYS)}")
    return data


def _submit(data: dict) -> str:
    plan = Plan.objects.filter(document__kind=Kind.ANNUAL, period_start=data["year"]).first()
    drafter = Person.objects.filter(username=data["drafter"]).first()
    if plan is None or drafter is None:
        return f"estimate {data['year']} skipped (no annual plan or drafter)"
    if Estimate.objects.filter(annual_plan=plan).exists():
        return f"estimate {data['year']} already existed"
    tasks = [
        str(uid) for uid in plan.tasks.order_by("position", "pk").values_list("uid", flat=True)
    ]
    estimate = services.estimate_create(user=drafter, year=data["year"], title=data["title"])
    services.estimate_update(
        user=drafter,
        document_id=estimate.document_id,
        version=None,
        title=data["title"],
        justification=data["justification"],
        lines=[
            services.LineRow(
                content=line["content"],
                expense_category=line["category"],
                funding_source=line["source"],
                quantity=line["quantity"],
                unit=line["unit"],
                unit_price=line["price"],
                plan_task_uid=tasks[line["task"] - 1] if line.get("task") else None,
                note=line.get("note", ""),
            )
            for line in data["lines"]
        ],
    )
    document = engine.document_act(user=drafter, document_id=estimate.document_id, action="submit")
    if "review" not in data:
        return f"created the estimate {data['year']} (submitted)"
    _return(document, data["review"])
    return f"created the estimate {data['year']} (returned with comments)"


def _return(document, review: dict) -> None:
    """The reviewer reads the revision, comments on lines and returns the estimate."""
    reviewer = Person.objects.get(username=review["by"])
    engine.revision_mark_seen(user=reviewer, document=document, revision_number=1)
    rows = document.revisions.get(number=1).content["tables"]["lines"]
    for comment in review["comments"]:
        line = comment.get("line")
        engine.comment_add(
            user=reviewer,
            document_id=document.pk,
            body=comment["body"],
            anchor=f"row:lines:{rows[line - 1]['uid']}" if line else "",
        )
    engine.document_act(
        user=reviewer, document_id=document.pk, action="return", comment=review["return"]
    )


def load_demo() -> str:
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        done = [_submit(read(name)) for name in ("estimate_2026.yaml", "estimate_2027.yaml")]
    return "Demo estimates: " + "; ".join(done) + "."

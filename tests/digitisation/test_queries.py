"""The batch list, a batch and the progress page run the same number of queries at 5
batches as at 200 (across several units, tasks and states); and the progress page shows
exactly the figures the selectors (and so the reports) give."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from digitisation import selectors
from digitisation.models import Batch, Check, Target
from organisation.models import Unit
from reporting import sources
from tests.digitisation import helpers as d
from tests.workflows import helpers as h
from worktime.calendar import today

STATES = itertools.cycle(["registered", "accepted", "rejected", "redone", "accepted"])


def _add(tasks, n):
    """Batches written directly (the services' own tests cover them): every state, with
    their checks, spread over units and tasks."""
    units = list(Unit.objects.all())
    office, centre = h.person(d.OFFICE), h.person(d.CENTRE)
    now, day = timezone.now(), today()
    for i in range(n):
        state = next(STATES)
        batch = Batch.objects.create(
            fonds=f"Phông {i}",
            unit=units[i % len(units)],
            period_from=dt.date(2015, 1, 1),
            period_to=dt.date(2015, 12, 31),
            documents=10 + i,
            pages=100 + i,
            performed_by="Tổ số hóa",
            plan_task=tasks[i % len(tasks)],
            state=state,
            registered_by=office,
            registered_at=now,
            accepted_on=day if state == "accepted" else None,
        )
        if state != "registered":
            verdict = "accepted" if state == "accepted" and i % 2 else "rejected"
            reasons = "Mờ" if verdict == "rejected" else ""
            Check.objects.create(
                batch=batch, verdict=verdict, sample_size=1, reasons=reasons,
                checked_by=centre, checked_at=now, checked_on=day,
            )  # fmt: skip
    for task, unit in itertools.product(tasks, units[:3]):
        defaults = {"documents": 100, "pages": 900, "set_by": office, "set_at": now}
        Target.objects.get_or_create(plan_task=task, unit=unit, defaults=defaults)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", [d.OFFICE, d.CENTRE])
def test_pages_run_the_same_queries_at_5_and_at_200_batches(as_user, demo_org, username):
    tasks = [d.issued_task(year=2026), d.issued_task(year=2027, name="Số hóa giai đoạn 2")]
    client = as_user(username)
    _add(tasks, 5)
    first = Batch.objects.order_by("pk").first()
    urls = [
        reverse("digitisation:batches"),
        reverse("digitisation:batches") + "?state=accepted",
        reverse("digitisation:progress"),
        reverse("digitisation:progress") + "?start=01/01/2020&end=31/12/2030",
        reverse("digitisation:progress_export"),
        reverse("digitisation:batch", args=[first.pk]),
    ]
    small = [_count(client, url) for url in urls]
    _add(tasks, 195)
    for extra in range(3):  # more checks of the first batch: its page stays constant too
        Check.objects.create(
            batch=first, verdict="rejected", sample_size=1, reasons=f"Lần {extra}",
            checked_by=h.person(d.CENTRE), checked_at=timezone.now(), checked_on=today(),
        )  # fmt: skip
    large = [_count(client, url) for url in urls]
    assert large == small, list(zip(urls, small, large, strict=True))


def test_the_progress_page_shows_the_selectors_figures(as_user, demo_org):
    tasks = [d.issued_task(year=2026), d.issued_task(year=2027, name="Số hóa giai đoạn 2")]
    _add(tasks, 23)
    response = as_user("hoidong.tdkt").get(reverse("digitisation:progress"))
    tables = {t["key"]: t["rows"] for t in response.context["tables"]}
    assert {r["unit"].pk: r["figures"] for r in tables["units"]} == selectors.unit_figures()
    assert {r["task"].pk: r["figures"] for r in tables["tasks"]} == selectors.task_figures()
    # The reports read the same figures through reporting.sources.
    assert sources.figures(sources.DIGITISATION_BY_UNIT) == selectors.unit_figures()
    period = {"start": today(), "end": today(), "unit_ids": [Unit.objects.get(code="VP").pk]}
    assert sources.figures(sources.DIGITISATION_BY_UNIT, **period) == selectors.unit_figures(
        **period
    )
    html = response.content.decode()
    total = sum(f["documents"] for f in selectors.unit_figures().values())
    assert total > 0
    shown = [
        int(cell.split(">")[1].split("<")[0].replace(".", ""))
        for cell in html.split('data-figure="documents"')[1:]
    ]
    assert sum(shown) == total * 2  # once by unit, once by task


def test_the_figures_count_accepted_batches_by_the_day_accepted(demo_org):
    task = d.issued_task()
    accepted = d.make_batch(task, "accepted", documents=17, pages=70)
    rejected = d.make_batch(task, "rejected", documents=13, pages=30)
    d.make_batch(task, "registered")
    vp = d.unit().pk
    day = today()
    figures = selectors.unit_figures(start=day, end=day)[vp]
    assert figures == {
        "documents": 17, "pages": 70, "batches_accepted": 1, "batches_rejected": 1,
        "documents_rejected": 13, "pages_rejected": 30, "target_documents": 0, "target_pages": 0,
    }  # fmt: skip
    later = day + dt.timedelta(days=1)
    assert selectors.unit_figures(start=later, end=later + dt.timedelta(days=30)) == {}
    assert selectors.unit_figures(unit_ids=[d.unit("KH").pk]) == {}
    assert accepted.accepted_on == day and rejected.accepted_on is None

"""Pages that list documents run a fixed number of queries, whatever the amount of data:
the same at 10 documents as at 500."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from leave.models import Leave
from organisation.models import Unit
from planning.models import Kind, Plan
from tests.factories import PersonFactory
from tests.workflows import helpers as h
from workflows.flows import DocumentFlow
from workflows.models import Document
from workflows.views import MY_WORK_ROWS
from worktime.calendar import VIETNAM, today

pytestmark = pytest.mark.usefixtures("demo_org")

# Every state that puts a task in someone's "My work", and the issued end.
CYCLE = ("draft", "submitted", "endorsed", "issued", "returned")
# The task each state leaves open (None: the flow has ended).
OPEN_STEP = {
    "submitted": DocumentFlow.review,
    "returned": DocumentFlow.draft,
    "endorsed": DocumentFlow.sign,
    "issued": None,
}


class Builder:
    """Creates documents quickly, bypassing the services (no revisions, audit or mail):
    Document and Plan rows written directly, the flow started by viewflow, then its
    task rows set to where the state says the document is."""

    def __init__(self):
        self.drafter = h.person(h.DRAFTER)
        self.ttt = Unit.objects.get(code="TTTT")
        self.kh = Unit.objects.get(code="KH")
        self.count = 0
        self.states = itertools.cycle(CYCLE)
        # Open documents overdue, due today, due later or undated, in turn: every status
        # the lists show (and the header's overdue count) at both sizes.
        # Each state takes them in turn, so 10 documents already show an overdue one.
        day = today()
        dues = (day - dt.timedelta(days=3), day, day + dt.timedelta(days=9), None)
        self.dues = {state: itertools.cycle(dues) for state in CYCLE}

    def add(self, n: int) -> None:
        for _ in range(n):
            self.count += 1
            state = next(self.states)
            document = Document.objects.create(
                kind=Kind.FIVE_YEAR,
                title=f"Kế hoạch số {self.count}",
                year=2026,
                drafting_unit=self.ttt,
                reviewing_unit=self.kh,
                created_by=self.drafter,
            )
            Plan.objects.create(document=document, period_start=2026, period_end=2030)
            DocumentFlow.start.run(document=document)
            now = timezone.now()
            numbered = {
                "register": "KH",
                "number": self.count,
                "number_year": 2026,
                "number_text": f"{self.count:02d}/KH-UBDT",
                "signed_sha256": "0" * 64,
            }
            if state == "draft":
                continue
            # Move the flow by hand: the draft task is done, the next task (if any) open.
            Document.objects.filter(pk=document.pk).update(
                state=state,
                revision_count=1,
                due_on=None if state == "issued" else next(self.dues[state]),
                **(numbered if state == "issued" else {}),
            )
            Task.objects.filter(process_id=document.process_id, status=STATUS.NEW).update(
                status=STATUS.DONE, owner=self.drafter, finished=now
            )
            step = OPEN_STEP[state]
            if step is None:
                Process.objects.filter(pk=document.process_id).update(
                    status=STATUS.DONE, finished=now
                )
            else:
                Task.objects.create(
                    process_id=document.process_id,
                    flow_task=step,
                    flow_task_type="HUMAN",
                    status=STATUS.NEW,
                )


def queries_for(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, translations, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


USERS = ("soanthao.tttt", "thamdinh.kh", "botruong", "thanhtra", "vanthu.vp")
PAGES = (
    "workflows:my_work",
    "planning:list",
    "workflows:documents",
    # Filtered by due date, and the header's badges on a page that lists nothing.
    ("workflows:my_work", "?due=overdue"),
    ("workflows:documents", "?due=week"),
    ("budgeting:list", "?due=overdue"),
    ("home", ""),
)


def url_of(page) -> str:
    name, query = page if isinstance(page, tuple) else (page, "")
    return reverse(name) + query


def test_the_builder_puts_each_document_where_its_state_says():
    builder = Builder()
    builder.add(len(CYCLE))
    for document in Document.objects.all():
        task = h.open_task(document)
        expected = {"draft": "draft", "returned": "draft", "submitted": "review"}.get(
            document.state, "sign" if document.state == "endorsed" else None
        )
        assert (task.flow_task.name if task else None) == expected, document.state


def test_lists_run_the_same_queries_at_10_and_at_500_documents(client):
    builder = Builder()
    builder.add(10)
    small = {}
    for username in USERS:
        client.force_login(h.person(username))
        for page in PAGES:
            small[username, page] = queries_for(client, url_of(page))

    builder.add(490)
    assert Document.objects.count() == 500
    large = {}
    for username in USERS:
        client.force_login(h.person(username))
        for page in PAGES:
            large[username, page] = queries_for(client, url_of(page))

    assert large == small
    # The pages really list the data (not an empty page twice).
    client.force_login(h.person(h.REVIEWER))
    response = client.get(reverse("workflows:my_work"))
    assert response.context["mine_total"] == 100  # the 500 / 5 awaiting review
    assert len(response.context["mine"]) == MY_WORK_ROWS  # one page of them
    response = client.get(reverse("planning:list"))
    assert response.context["page"].paginator.count == 400  # all but the drafts
    client.force_login(h.person(h.DRAFTER))
    response = client.get(reverse("workflows:my_work"))
    assert response.context["mine_total"] == 200  # drafts and returned plans
    assert response.context["mine_page"].paginator.num_pages == 8


def reviewer_on_leave(starts_on: dt.date, ends_on: dt.date):
    """The Planning reviewer away, a colleague of the unit holding their tasks."""
    absentee = h.person(h.REVIEWER)
    substitute = PersonFactory(
        username="thamdinh2.kh", unit=absentee.unit, role="planning_reviewer", full_name="Đào"
    )
    Leave.objects.create(
        person=absentee,
        substitute=substitute,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=absentee,
    )
    return absentee, substitute


def test_my_work_with_taken_tasks_and_a_leave_runs_the_same_queries_at_two_sizes(client):
    """Tasks taken by colleagues, and a leave whose substitute holds the absentee's tasks
    "thay mặt" them, cost no query per task."""
    absentee, substitute = reviewer_on_leave(dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    builder = Builder()

    def take_half():
        review = Task.objects.filter(flow_task=DocumentFlow.review, status=STATUS.NEW)
        ids = list(review.values_list("pk", flat=True)[::2])
        Task.objects.filter(pk__in=ids).update(owner=absentee, status=STATUS.ASSIGNED)

    def measure():
        client.force_login(h.person(substitute.username))
        return queries_for(client, reverse("workflows:my_work"))

    with time_machine.travel(dt.datetime(2027, 3, 2, 9, tzinfo=VIETNAM), tick=False):
        builder.add(20)
        take_half()
        small = measure()
        builder.add(480)
        take_half()
        large = measure()
        pages = [
            client.get(reverse("workflows:my_work"), {"page": number}) for number in (1, 2, 3, 4)
        ]

    assert large == small
    mine = [task for response in pages for task in response.context["mine"]]
    assert len({t.pk for t in mine}) == 100  # every review task: the pool's and the absentee's
    assert {t.owner_id for t in mine} == {None, absentee.pk}
    for response in pages:
        assert response.content.decode().count('data-testid="task-holder"') == sum(
            1 for t in response.context["mine"] if t.owner_id
        )


def test_the_due_filters_find_what_the_builder_dated(client):
    Builder().add(100)
    client.force_login(h.person(h.REVIEWER))
    overdue = client.get(reverse("workflows:my_work") + "?due=overdue")
    assert len(overdue.context["mine"]) == 5  # a quarter of the 20 awaiting review
    mine = client.get(reverse("workflows:my_work")).context["mine"]
    dates = [t.process.document.due_on for t in mine]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated) and dates[len(dated) :] == [None] * (len(dates) - len(dated))


def test_the_queue_without_mine_is_the_queue_minus_my_tasks_for_everyone(client):
    """My work's queue is written as its own index-friendly filter; it must list exactly
    the unit's queue without what the person may act on, whoever looks: every kind, every
    step, tasks nobody took, taken by the person, by a colleague, by someone the person
    stands in for during a leave (never for a signature), and taken signatures."""
    from organisation.models import Person
    from workflows import kinds, selectors

    builder = Builder()
    builder.add(60)
    absentee, substitute = reviewer_on_leave(
        today() - dt.timedelta(days=1), today() + dt.timedelta(days=5)
    )
    codes = itertools.cycle([kind.code for kind in kinds.all_kinds()])
    for document in Document.objects.order_by("pk"):
        Document.objects.filter(pk=document.pk).update(kind=next(codes))
    owners = itertools.cycle(
        [None, absentee, substitute, h.person("botruong"), h.person(h.DRAFTER), None]
    )
    for task in Task.objects.filter(status__in=selectors.OPEN).order_by("pk"):
        owner = next(owners)
        Task.objects.filter(pk=task.pk).update(
            owner=owner, status=STATUS.ASSIGNED if owner else STATUS.NEW
        )

    checked = 0
    for person in Person.objects.all():
        others = set(selectors.unit_queue(person, without_mine=True).values_list("pk", flat=True))
        queue = set(selectors.unit_queue(person).values_list("pk", flat=True))
        mine = set(selectors.my_tasks(person).values_list("pk", flat=True))
        assert others == queue - mine, person.username
        checked += bool(queue)
    assert checked >= 4  # the filter was compared on real queues, not only on empty ones

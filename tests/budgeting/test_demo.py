from io import StringIO

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from budgeting.demo import read
from budgeting.models import Estimate
from organisation.models import Person
from workflows.models import AuditEvent, Comment, Document

pytestmark = pytest.mark.django_db


def test_estimate_2027_waits_for_review_and_is_loaded_once(demo, client):
    counts = (Document.objects.count(), AuditEvent.objects.count(), Person.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Document.objects.count(), AuditEvent.objects.count(), Person.objects.count()) == (
        counts
    )
    data = read("estimate_2027.yaml")
    estimate = Estimate.objects.select_related("document", "annual_plan").get(document__year=2027)
    doc = estimate.document
    assert (doc.title, doc.state, doc.year) == (data["title"], "submitted", 2027)
    assert estimate.annual_plan.period_start == 2027
    assert estimate.lines.count() == len(data["lines"])
    assert not estimate.lines.filter(plan_task__isnull=True).exists()
    assert not doc.number_text  # not issued, so not numbered
    assert doc.revisions.get().sha256
    open_tasks = Task.objects.filter(process_id=doc.process_id, status__in=(STATUS.NEW,))
    assert [t.flow_task.name for t in open_tasks] == ["review"]

    client.force_login(Person.objects.get(username="thamdinh.kh"))
    assert data["title"] in client.get("/work/").content.decode()
    call_command("verify_audit", stdout=StringIO())


def test_estimate_2026_is_returned_to_the_centre_with_guidance_comments(demo, client):
    data = read("estimate_2026.yaml")
    doc = Document.objects.get(title=data["title"])
    assert doc.state == "returned"
    returned = Comment.objects.get(document=doc, action="return")
    assert returned.author.username == "thamdinh.kh"
    assert returned.body == data["review"]["return"]
    anchored = Comment.objects.filter(document=doc, anchor__startswith="row:lines:")
    assert anchored.count() == len(data["review"]["comments"])
    lines = {str(uid) for uid in doc.estimate.lines.values_list("uid", flat=True)}
    assert {c.anchor.removeprefix("row:lines:") for c in anchored} <= lines

    client.force_login(Person.objects.get(username="soanthao.tttt"))
    assert data["title"] in client.get("/work/").content.decode()
    assert (
        data["review"]["comments"][0]["body"]
        in client.get(f"/documents/{doc.pk}/").content.decode()
    )

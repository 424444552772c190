"""Bulk data for the dashboard tests: documents with an open task of a given step, made
with three bulk inserts (processes, documents, tasks) instead of running the flow, so
ten thousand take seconds. The rows are viewflow's own (DocumentFlow's nodes)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from organisation.models import Person, Unit
from workflows import audit
from workflows.flows import DocumentFlow
from workflows.models import Document, Revision

STATE_AT_STEP = {"draft": "draft", "review": "submitted", "sign": "endorsed"}


def waiting_documents(
    count: int,
    *,
    step: str = "review",
    created: dt.datetime | None = None,
    due_on: dt.date | None = None,
    kind: str = "five_year_plan",
    year: int = 2027,
    drafting: str = "TTTT",
    reviewing: str = "KH",
    batch: int = 2000,
) -> list[Document]:
    creator = Person.objects.get(username="soanthao.tttt")
    drafting_unit = Unit.objects.get(code=drafting)
    reviewing_unit = Unit.objects.get(code=reviewing)
    created = created or timezone.now()
    flow_task = getattr(DocumentFlow, step)
    made: list[Document] = []
    for first in range(0, count, batch):
        n = min(batch, count - first)
        processes = Process.objects.bulk_create(
            Process(flow_class=DocumentFlow, created=created) for _ in range(n)
        )
        documents = Document.objects.bulk_create(
            Document(
                kind=kind,
                title=f"Văn bản chờ {first + i + 1}",
                year=year,
                state=STATE_AT_STEP[step],
                drafting_unit=drafting_unit,
                reviewing_unit=reviewing_unit,
                created_by=creator,
                revision_count=0 if step == "draft" else 1,
                due_on=due_on,
                process=process,
            )
            for i, process in enumerate(processes)
        )
        Task.objects.bulk_create(
            Task(
                process=process,
                flow_task=flow_task,
                flow_task_type="HUMAN",
                status=STATUS.NEW,
                created=created,
            )
            for process in processes
        )
        made.extend(documents)
    return made


def issued_document(
    *, submitted: dt.datetime, issued: dt.datetime, kind="five_year_plan", year=2027, number=1
) -> Document:
    """An issued document whose revision 1 and `*.issued` event carry the given times."""
    import time_machine

    creator = Person.objects.get(username="soanthao.tttt")
    document = Document.objects.create(
        kind=kind,
        title=f"Văn bản đã ban hành {number}",
        year=year,
        state="issued",
        drafting_unit=Unit.objects.get(code="TTTT"),
        reviewing_unit=Unit.objects.get(code="KH"),
        created_by=creator,
        revision_count=1,
        register="KH",
        number=number,
        number_year=issued.year,
        number_text=f"{number:02d}/KH-UBDT",
        issued_on=issued.date(),
        signed_sha256="0" * 64,
    )
    with time_machine.travel(submitted, tick=False):
        Revision.objects.create(
            document=document, number=1, content={}, sha256="0" * 64, created_by=creator
        )
    prefix = document.kind_config.audit_prefix
    with time_machine.travel(issued, tick=False):
        audit.record(action=f"{prefix}.issued", document=document)
    return document

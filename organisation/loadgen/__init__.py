"""Realistic volumes for load tests (manage.py generate_load_data): the whole Committee
and its provincial boards over ten years, written through bulk paths that keep every
invariant the services keep one document at a time:

- people and units through `DerivedTextQuerySet.bulk_create`, so NFC text, sort keys and
  folded search columns are derived as save() derives them;
- each revision holds the kind's own snapshot (`DocumentKind.snapshot`) hashed with the
  engine's `content_sha256`; an issued document is signed over its last revision;
- issued documents are numbered 01, 02, … per register and year, and the Office's
  register counters are left at the last number, so the next signature continues them;
- open documents have viewflow Process and Task rows exactly where their state says
  (draft/returned: draft, submitted: review, endorsed: sign), so My work lists them;
- audit events are chained by `workflows.audit.append_prepared` (the same hash as
  record()), so `manage.py verify_audit` passes.

Scale 1 is issue 14's size; other scales multiply every count (at least one of each).
Generated people have user names starting with PREFIX, which is how a database with
real data is told apart (see real_data_present).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from django.db import connection, transaction
from django.utils import timezone

HERE = Path(__file__).parent
PREFIX = "lg."
YEARS = 10
FULL = {
    "units": 60,
    "people": 5000,
    "documents": 20000,
    "open_tasks": 100_000,
    "events": 10_000_000,
}
# Share of the documents by kind code; estimates need an annual plan of their year.
KIND_SHARE = (
    ("five_year_plan", 0.1),
    ("annual_plan", 0.45),
    ("budget_estimate", 0.3),
    ("competency_standard", 0.15),
)
OPEN_STATES = ("draft", "submitted", "returned", "endorsed")
OPEN_STEP = {"draft": "draft", "returned": "draft", "submitted": "review", "endorsed": "sign"}
# Roles by unit: which role a generated person of that unit may get (about a third do).
UNIT_ROLES = {
    "TTTT": "centre_drafter",
    "KH": "planning_reviewer",
    "TCCB": "personnel_drafter",
    "VP": "office_clerk",
    "TTr": "auditor",
    "TDKT": "council_member",
    "LD": "vice_minister",
}
COMMENTS = (
    "Đề nghị bổ sung căn cứ pháp lý tại mục {n}",
    "Kinh phí dự kiến chưa phù hợp với định mức chi, đề nghị rà soát lại",
    "Thống nhất nội dung, đề nghị trình Lãnh đạo Ủy ban ký ban hành",
    "Chỉ tiêu số {n} chưa có lộ trình thực hiện cụ thể theo từng năm",
    "Nhiệm vụ {n} trùng lặp với kế hoạch năm trước, đề nghị điều chỉnh",
    "Dự toán vượt trần được giao {n}%, đề nghị cắt giảm",
)
SESSION_ACTIONS = (
    "organisation.session.signed_in",
    "organisation.session.signed_in",
    "organisation.session.signed_out",
)
BATCH = 2000
SHARED_CONTENT = {"five_year_plan", "annual_plan", "competency_standard"}


def sizes(scale: float) -> dict[str, int]:
    return {key: max(1, round(n * scale)) for key, n in FULL.items()}


def real_data_present() -> bool:
    """Anything a person entered: people other than the demo accounts and generated
    ones, or documents created by neither (the demo's own documents are demo data)."""
    from organisation.demo import read
    from organisation.models import Person
    from workflows.models import Document

    demo = {p["user"] for p in read("accounts.yaml")["people"]}
    demo |= {p["user"] for p in read("staff.yaml")["people"]}
    people = Person.objects.exclude(username__startswith=PREFIX).exclude(username__in=demo)
    documents = Document.objects.exclude(created_by__username__startswith=PREFIX).exclude(
        created_by__username__in=demo
    )
    return people.exists() or documents.exists()


def _read(name: str) -> dict:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def _batch_size() -> int | None:
    return None if connection.vendor == "sqlite" else 1000  # Django sizes SQLite's


class Generator:
    def __init__(self, scale: float, *, seed: int = 240, progress: Callable[[str], None]):
        self.n = sizes(scale)
        self.rng = random.Random(seed)
        self.progress = progress
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.today = timezone.localdate()

    # --- helpers --------------------------------------------------------------------

    def _phase(self, name: str, func) -> None:
        start = time.perf_counter()
        rows = func()
        self.seconds[name] = time.perf_counter() - start
        self.rows[name] = rows
        rate = rows / max(self.seconds[name], 1e-9)
        self.progress(f"{name}: {rows:,} rows in {self.seconds[name]:.1f} s ({rate:,.0f} rows/s)")

    def run(self) -> dict:
        self._phase("organisation", self.organisation)
        self._phase("people", self.people)
        self._phase("documents", self.documents)
        self._phase("audit", self.audit)
        total = sum(self.rows.values())
        seconds = sum(self.seconds.values())
        return {
            "rows": dict(self.rows),
            "seconds": dict(self.seconds),
            "total_rows": total,
            "total_seconds": seconds,
            "sizes": dict(self.n),
        }

    # --- organisation ---------------------------------------------------------------

    def organisation(self) -> int:
        from organisation.demo import load_organisation, load_staff
        from organisation.models import Unit

        load_organisation()
        load_staff()
        existing = set(Unit.objects.values_list("code", flat=True))
        wanted = max(0, self.n["units"] - len(existing))
        extra = [u for u in _read("units.yaml")["units"] if u["code"] not in existing][:wanted]
        Unit.objects.bulk_create(
            Unit(code=u["code"], name_vi=u["name_vi"], name_en=u["name_en"], sort_order=100 + i)
            for i, u in enumerate(extra)
        )
        return len(extra)

    def people(self) -> int:
        from django.contrib.auth.hashers import make_password

        from organisation import roles
        from organisation.demo import DEMO_PASSWORD
        from organisation.models import Person, Unit

        names = _read("names.yaml")
        units = list(Unit.objects.order_by("code"))
        groups = {code: roles.group_for(code) for code in set(UNIT_ROLES.values())}
        password = make_password(DEMO_PASSWORD)
        rng = self.rng
        start = Person.objects.filter(username__startswith=PREFIX).count()
        written = 0
        for first in range(start, self.n["people"], BATCH):
            people = []
            for i in range(first, min(first + BATCH, self.n["people"])):
                female = rng.random() < 0.5
                sex = "female" if female else "male"
                full_name = " ".join(
                    (
                        rng.choice(names["family"]),
                        rng.choice(names[f"middle_{sex}"]),
                        rng.choice(names[f"given_{sex}"]),
                    )
                )
                people.append(
                    Person(
                        username=f"{PREFIX}{i + 1:05d}",
                        full_name=full_name,
                        unit=units[i % len(units)],
                        position_title="Chuyên viên",
                        position_title_en="Officer",
                        email=f"{PREFIX}{i + 1:05d}@load.ubdt.gov.vn",
                        password=password,
                    )
                )
            with transaction.atomic():
                Person.objects.bulk_create(people, batch_size=_batch_size())
                saved = Person.objects.filter(username__in=[p.username for p in people])
                links = [
                    Person.groups.through(person_id=pk, group_id=groups[UNIT_ROLES[code]].pk)
                    for pk, code in saved.values_list("pk", "unit__code")
                    if code in UNIT_ROLES and rng.random() < 1 / 3
                ]
                Person.groups.through.objects.bulk_create(links, batch_size=_batch_size())
            written += len(people) + len(links)
            self.progress(f"  people: {first + len(people):,}/{self.n['people']:,}")
        return written

    # --- documents ------------------------------------------------------------------

    def documents(self) -> int:
        from organisation.models import Person

        by_username = Person.objects.select_related("unit").in_bulk(field_name="username")
        self.minister = by_username["botruong"]
        self.by_unit: dict[str, list] = {}
        for person in by_username.values():
            if person.unit_id:
                self.by_unit.setdefault(person.unit.code, []).append(person)
        # Continue the register where it stands (a second run, or numbers already given).
        from workflows.models import RegisterCounter

        self.counters: dict[tuple[str, int], int] = {
            (c.register, c.year): c.last_number for c in RegisterCounter.objects.all()
        }
        self.snapshots: dict[tuple[str, int], dict] = {}
        self.doc_events: list[dict] = []
        written = 0
        history, open_count = self.n["documents"], self.n["open_tasks"]
        first_year = self.today.year - YEARS + 1
        # The past: issued documents, spread evenly over the ten years.
        plan = [(first_year + i * YEARS // history, "issued") for i in range(history)]
        # Now: open documents, each with one open task, of this year and the next.
        states = [self.rng.choice(OPEN_STATES) for _ in range(open_count)]
        plan += [(self.today.year + (i % 2), s) for i, s in enumerate(states)]
        for first in range(0, len(plan), BATCH):
            written += self._documents_batch(plan[first : first + BATCH])
            self.progress(f"  documents: {min(first + BATCH, len(plan)):,}/{len(plan):,}")
        written += self._counters()
        return written

    def _kind_for(self, i: int) -> str:
        x = (i * 0.6180339887) % 1
        for code, share in KIND_SHARE:
            if x < share:
                return code
            x -= share
        return KIND_SHARE[-1][0]

    def _documents_batch(self, plan: list[tuple[int, str]]) -> int:
        from viewflow.workflow.models import Process, Task
        from viewflow.workflow.status import STATUS

        from budgeting.models import Estimate
        from planning.models import Plan
        from standards.models import Standard
        from workflows import kinds
        from workflows.flows import DocumentFlow
        from workflows.models import Document

        rng = self.rng
        units = {u.code: u for people in self.by_unit.values() for u in [people[0].unit]}
        batch = _batch_size()
        now = timezone.now()
        with transaction.atomic():
            entries = []
            for year, state in plan:
                code = self._kind_for(len(entries) + rng.randrange(1 << 20))
                entries.append((year, state, code, kinds.get(code)))
            # Annual plans first, so an estimate can name one of its year.
            entries.sort(key=lambda e: e[2] != "annual_plan")
            processes = Process.objects.bulk_create(
                [
                    Process(
                        flow_class=DocumentFlow,
                        status=STATUS.DONE if state == "issued" else STATUS.NEW,
                        finished=now if state == "issued" else None,
                    )
                    for _year, state, _code, _kind in entries
                ],
                batch_size=batch,
            )
            if connection.vendor == "sqlite" and processes and processes[0].pk is None:
                raise RuntimeError("bulk_create did not return primary keys")
            documents = []
            for (year, state, code, kind), process in zip(entries, processes, strict=True):
                drafter = rng.choice(self.by_unit[kind.drafting_unit])
                label = str(kind.label)
                title = f"{label} năm {year} số {rng.randrange(1, 10**6)}"
                due = None
                if state != "issued" and rng.random() < 0.85:
                    due = self.today + dt.timedelta(days=rng.randint(-30, 45))
                documents.append(
                    self._numbered(kind, year, state) if state == "issued" else Document()
                )
                documents[-1].__dict__.update(
                    {
                        "kind": code,
                        "title": title,
                        "year": year,
                        "state": state,
                        "drafting_unit_id": units[kind.drafting_unit].pk,
                        "reviewing_unit_id": units[kind.reviewing_unit].pk,
                        "created_by_id": drafter.pk,
                        "due_on": due,
                        "process_id": process.pk,
                        "version": 1 if state == "draft" else 3,
                    }
                )
            documents = Document.objects.bulk_create(documents, batch_size=batch)
            if documents[0].pk is None:  # MySQL-like backends; not ours
                raise RuntimeError("bulk_create did not return primary keys")
            free_annual: dict[int, list] = {}
            plans, estimates, standards = [], [], []
            for document in documents:
                if document.kind in ("five_year_plan", "annual_plan"):
                    five = document.kind == "five_year_plan"
                    start = document.year - (document.year - 1) % 5 if five else document.year
                    plan = Plan(
                        document=document,
                        period_start=start,
                        period_end=start + 4 if five else start,
                        sections={"context": "Căn cứ Quyết định số 240/QĐ-UBDT"},
                    )
                    plans.append(plan)
                    if not five:
                        free_annual.setdefault(document.year, []).append(plan)
                elif document.kind == "budget_estimate":
                    estimates.append(document)
                else:
                    standards.append(Standard(document=document))
            Plan.objects.bulk_create(plans, batch_size=batch)
            # Each estimate is of one annual plan of its year, and no two of the same.
            paired = []
            for document in estimates:
                spare = free_annual.get(document.year)
                plan = spare.pop() if spare else self._annual_plan(document.year, units)
                paired.append(Estimate(document=document, annual_plan=plan))
            Estimate.objects.bulk_create(paired, batch_size=batch)
            Standard.objects.bulk_create(standards, batch_size=batch)
            tasks, revisions, comments, issued = [], [], [], []
            for document in documents:
                self._flow_rows(document, tasks, now)
                if document.state == "draft":
                    continue
                self._revisions(document, revisions, comments, issued)
            Task.objects.bulk_create(tasks, batch_size=batch)
            from workflows.models import Comment, Revision

            Revision.objects.bulk_create(revisions, batch_size=batch)
            for comment in comments:
                comment.revision_id = comment.revision.pk
            Comment.objects.bulk_create(comments, batch_size=batch)
            for document, revision in issued:
                document.signed_revision_id = revision.pk
            Document.objects.bulk_update(
                [d for d in documents if d.state != "draft"],
                ["signed_revision", "signed_sha256", "revision_count"],
                batch_size=batch,
            )
        return len(documents) * 3 + len(tasks) + len(revisions) + len(comments)

    def _annual_plan(self, year, units):
        from viewflow.workflow.models import Process
        from viewflow.workflow.status import STATUS

        from planning.models import Plan
        from workflows.flows import DocumentFlow
        from workflows.models import Document

        process = Process.objects.create(flow_class=DocumentFlow, status=STATUS.NEW)
        document = Document.objects.create(
            kind="annual_plan",
            title=f"Kế hoạch ứng dụng CNTT năm {year}",
            year=year,
            drafting_unit=units["TTTT"],
            reviewing_unit=units["KH"],
            created_by=self.by_unit["TTTT"][0],
            process=process,
        )
        from viewflow.workflow.models import Task

        Task.objects.create(
            process=process,
            flow_task=DocumentFlow.draft,
            flow_task_type="HUMAN",
            status=STATUS.NEW,
        )
        return Plan.objects.create(document=document, period_start=year, period_end=year)

    def _flow_rows(self, document, tasks: list, now) -> None:
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        from workflows.flows import DocumentFlow

        def task(node, status):
            done = status == STATUS.DONE
            tasks.append(
                Task(
                    process_id=document.process_id,
                    flow_task=node,
                    flow_task_type="HUMAN",
                    status=status,
                    owner=document.created_by if done else None,
                    finished=now if done else None,
                )
            )

        if document.state == "issued":
            for node in (DocumentFlow.draft, DocumentFlow.review, DocumentFlow.sign):
                task(node, STATUS.DONE)
            return
        if document.state != "draft":
            task(DocumentFlow.draft, STATUS.DONE)
        task(getattr(DocumentFlow, OPEN_STEP[document.state]), STATUS.NEW)

    def _snapshot(self, document) -> dict:
        """The kind's own snapshot. Generated plans and standards differ only in kind,
        year and title, so for them the real function runs once per kind and year; an
        estimate names its own annual plan, so its snapshot is taken for each."""
        key = (document.kind, document.year)
        if document.kind not in SHARED_CONTENT:
            return document.kind_config.snapshot(document)
        if key not in self.snapshots:
            self.snapshots[key] = document.kind_config.snapshot(document)
        return {**self.snapshots[key], "title": document.title}

    def _revisions(self, document, revisions, comments, issued) -> None:
        from workflows.models import Comment, Revision
        from workflows.services import content_sha256

        rng = self.rng
        content = self._snapshot(document)
        sha = content_sha256(content)
        count = rng.randint(1, 3)
        reviewers = self.by_unit[document.kind_config.reviewing_unit]
        last = None
        for number in range(1, count + 1):
            last = Revision(
                document=document,
                number=number,
                content=content,
                sha256=sha,
                created_by=document.created_by,
            )
            revisions.append(last)
            if rng.random() < 0.6:
                comments.append(
                    Comment(
                        document=document,
                        revision=last,
                        author=rng.choice(reviewers),
                        body=rng.choice(COMMENTS).format(n=rng.randint(1, 12)),
                    )
                )
        document.revision_count = count
        self.doc_events.append(
            {
                "id": document.pk,
                "state": document.state,
                "revisions": count,
                "title": document.title,
                "number": document.number_text,
                "prefix": document.kind_config.audit_prefix,
                "drafter": document.created_by_id,
                "year": document.year,
            }
        )
        if document.state == "issued":
            document.signed_sha256 = sha
            issued.append((document, last))

    def _numbered(self, kind, year: int, state: str):
        """An issued document with the register's next number of its year (its hash is
        set once its last revision exists: the constraint wants one from the start)."""
        from workflows.models import Document
        from workflows.numbering import format_number

        key = (kind.register, year)
        self.counters[key] = number = self.counters.get(key, 0) + 1
        return Document(
            register=kind.register,
            number=number,
            number_year=year,
            number_text=format_number(number=number, register=kind.register),
            issued_on=dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364)),
            signed_by_id=self.minister.pk,
            signer_name=self.minister.full_name,
            signer_title=self.minister.position_title,
            signed_sha256="pending",
        )

    def _counters(self) -> int:
        """The register left where the generated numbers end: the next signature takes
        the following number, never one already given."""
        from workflows.models import RegisterCounter

        for (register, year), last in self.counters.items():
            RegisterCounter.objects.update_or_create(
                register=register, year=year, defaults={"last_number": last}
            )
        return len(self.counters)

    # --- audit ----------------------------------------------------------------------

    def audit(self) -> int:
        """The trail of ten years: each generated document's own events (created,
        submitted per revision, endorsed, signed, issued), interleaved in time with
        sign-ins and sign-outs up to the event count; one timeline, oldest first."""
        from organisation.models import Person
        from workflows import audit
        from workflows.models import DOCUMENT_NUMBER, DOCUMENT_TITLE

        people = Person.objects.select_related("unit").prefetch_related("groups")
        actors = {
            p.pk: {
                "actor_id": p.pk,
                "actor_name": p.display_name,
                "unit_code": p.unit.code if p.unit_id else "",
                "roles": ",".join(sorted(g.name for g in p.groups.all())),
            }
            for p in people
        }
        pool = list(actors.values())
        signer = actors[self.minister.pk]
        rng = self.rng

        def lifecycle(doc):
            data = {DOCUMENT_TITLE: doc["title"]}
            drafter = actors[doc["drafter"]]
            yield drafter, "created", "", "draft", None, {DOCUMENT_TITLE: doc["title"]}
            for number in range(1, doc["revisions"] + 1):
                yield drafter, "submitted", "draft", "submitted", number, data
            if doc["state"] in ("endorsed", "issued"):
                yield rng.choice(pool), "endorsed", "submitted", "endorsed", None, data
            if doc["state"] == "returned":
                yield rng.choice(pool), "returned", "submitted", "returned", None, data
            if doc["state"] == "issued":
                numbered = {**data, DOCUMENT_NUMBER: doc["number"]}
                yield signer, "signed", "endorsed", "issued", doc["revisions"], numbered

        doc_events = [
            (doc["id"], doc["prefix"], *event)
            for doc in self.doc_events
            for event in lifecycle(doc)
        ]
        total = max(self.n["events"], len(doc_events))
        start = timezone.now() - dt.timedelta(days=365 * YEARS)
        step = dt.timedelta(days=365 * YEARS) / total
        remaining_docs = len(doc_events)
        doc_iter = iter(doc_events)
        rows: list[dict] = []
        written = 0
        for i in range(total):
            when = start + step * i
            if remaining_docs and rng.random() < remaining_docs / (total - i):
                remaining_docs -= 1
                doc_id, prefix, who, verb, from_state, to_state, revision, data = next(doc_iter)
                comment = rng.choice(COMMENTS).format(n=i % 12 + 1) if rng.random() < 0.1 else ""
                rows.append(
                    {
                        **who,
                        "action": f"{prefix}.{verb}",
                        "document_id": doc_id,
                        "revision_number": revision,
                        "from_state": from_state,
                        "to_state": to_state,
                        "comment": comment,
                        "data": data,
                        "ip": f"10.{i % 21}.{(i >> 5) % 256}.{i % 254 + 1}",
                        "created_at": when,
                    }
                )
            else:
                rows.append(
                    {
                        **rng.choice(pool),
                        "action": SESSION_ACTIONS[i % 3],
                        "document_id": None,
                        "revision_number": None,
                        "from_state": "",
                        "to_state": "",
                        "comment": "",
                        "data": {},
                        "ip": f"10.{i % 21}.{(i >> 5) % 256}.{i % 254 + 1}",
                        "created_at": when,
                    }
                )
            if len(rows) == 5000 or i == total - 1:
                audit.append_prepared(rows, batch_size=_batch_size())
                written += len(rows)
                rows = []
                if written % 100_000 == 0 or i == total - 1:
                    self.progress(f"  audit events: {written:,}/{total:,}")
        return written

"""Shared helpers for the engine's tests: the demo people by role, complete plan content,
and `make_plan(state=...)`, which drives a plan to a state through the real services
(`drive(document, state)` does the driving for a complete draft of any kind)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from viewflow.workflow.models import Task

from organisation import roles
from organisation.models import Person
from planning import services as planning
from planning.models import Kind, Plan
from planning.services import ObjectiveRow, TaskRow
from signing import step_up
from workflows import audit, services
from workflows.models import Document, Verdict

# The demo account that holds each role (organisation/demo.py).
USER_FOR_ROLE = {
    roles.CENTRE_DRAFTER: "soanthao.tttt",
    roles.PLANNING_REVIEWER: "thamdinh.kh",
    roles.PERSONNEL_DRAFTER: "soanthao.tccb",
    roles.OFFICE_CLERK: "vanthu.vp",
    roles.MINISTER: "botruong",
    roles.VICE_MINISTER: "thutruong",
    roles.AUDITOR: "thanhtra",
    roles.COUNCIL_MEMBER: "hoidong.tdkt",
    roles.ADMINISTRATOR: "quantri",
}

DRAFTER = "soanthao.tttt"
REVIEWER = "thamdinh.kh"
MINISTER = "botruong"
VICE_MINISTER = "thutruong"

STATES = ("draft", "submitted", "returned", "endorsed", "signed", "issued")
CLERK = "vanthu.vp"

SECTIONS = {
    "basis": "Luật Công nghệ thông tin 2006; Nghị định 64/2007/NĐ-CP.",
    "situation": "Hạ tầng đã có mạng LAN, chưa có hệ thống quản lý văn bản.",
    "general_objective": "Ứng dụng CNTT toàn diện trong hoạt động của Ủy ban.",
    "tasks_solutions": "Triển khai các nhiệm vụ tại bảng dưới.",
    "investment": "",
    "funds": "Ngân sách nhà nước: chi đầu tư phát triển và chi thường xuyên.",
    "conditions": "",
    "benefits": "",
}


def person(username: str) -> Person:
    """A fresh instance, so no permission cache survives from an earlier call."""
    return Person.objects.select_related("unit").get(username=username)


def canonical_sha256(content: dict) -> str:
    """The SHA-256 the design asks for, computed independently of the service."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def five_year_task(
    name="Xây dựng hệ thống quản lý văn bản", cost=1_500_000_000, start=2026, end=2027, uid=None
):
    return TaskRow(
        name=name,
        category="documents",
        lead_unit="Trung tâm Thông tin",
        estimated_cost=cost,
        funding_source="investment",
        start_year=start,
        end_year=end,
        uid=uid,
    )


def annual_task(
    name="Nâng cấp cổng thông tin", year=2027, cost=300_000_000, parent_uid=None, uid=None
):
    return TaskRow(
        name=name,
        category="portal",
        lead_unit="Trung tâm Thông tin",
        estimated_cost=cost,
        funding_source="recurrent",
        deadline=dt.date(year, 11, 30),
        parent_task_uid=parent_uid,
        uid=uid,
    )


def objective(year=2030, uid=None):
    return ObjectiveRow(
        indicator="Tỷ lệ văn bản điện tử",
        baseline="40%",
        target_value="90%",
        target_year=year,
        uid=uid,
    )


def fill(document: Document, *, user=None, tasks=None, objectives=None, title=None) -> Plan:
    """Give a plan complete content (all required sections, one objective, one task)."""
    document.refresh_from_db()
    plan = Plan.objects.get(document=document)
    if tasks is None:
        if plan.is_annual:
            tasks = [annual_task(year=plan.period_start)]
        else:
            tasks = [five_year_task(start=plan.period_start, end=plan.period_start + 1)]
    if objectives is None:
        objectives = [objective(year=plan.period_end)]
    return planning.plan_update(
        user=user or person(DRAFTER),
        document_id=document.pk,
        version=document.version,
        title=title or document.title,
        sections=SECTIONS,
        objectives=objectives,
        tasks=tasks,
    )


def open_task(document: Document) -> Task | None:
    return (
        Task.objects.filter(process_id=document.process_id, status__in=services.OPEN_TASK)
        .order_by("-created")
        .first()
    )


def stepped_up() -> dict:
    """A session in which the signer has just re-authenticated (signing.step_up)."""
    return step_up.scripted_session()


def act(document: Document, action: str, username: str, comment: str = "", **kwargs) -> Document:
    """One step through the real service, on the document's open task; a signature
    comes with a fresh step-up unless the test passes its own `session`."""
    task = open_task(document)
    if action == "sign":
        kwargs.setdefault("session", stepped_up())
    return services.document_act(
        user=person(username),
        document_id=document.pk,
        action=action,
        task_id=task.pk if task else None,
        comment=comment,
        **kwargs,
    )


def create_plan(
    *, kind: str = Kind.FIVE_YEAR, year: int = 2026, title: str | None = None
) -> Document:
    plan = planning.plan_create(
        user=person(DRAFTER),
        kind=kind,
        title=title or f"Kế hoạch ứng dụng CNTT {year}",
        period_start=year,
    )
    return plan.document


def make_plan(
    state: str = "draft",
    *,
    kind: str = Kind.FIVE_YEAR,
    year: int = 2026,
    title: str | None = None,
    signer: str = MINISTER,
) -> Document:
    """A complete plan driven to `state` through the services, as people would."""
    assert state in STATES, state
    document = create_plan(kind=kind, year=year, title=title)
    fill(document)
    return drive(document, state, signer=signer)


def drive(
    document: Document,
    state: str,
    *,
    drafter: str = DRAFTER,
    reviewer: str = REVIEWER,
    signer: str = MINISTER,
    clerk: str = CLERK,
) -> Document:
    """Take a complete draft of any kind to `state` through the real services: submit,
    then return (with a comment), or endorse, sign ("signed") and issue. A kind reviewed
    by opinion (competency standards) gets the reviewer's opinion instead, which returns
    it to the drafters ("returned"); they then submit it to the signer ("endorsed")."""
    assert state in STATES, state
    if state == "draft":
        return _fresh(document)
    act(document, "submit", drafter)
    if state == "submitted":
        return _fresh(document)
    if document.kind_config.review_mode == "opinion":
        act(
            document,
            "opinion",
            reviewer,
            comment="Đề nghị bổ sung mô-đun IU14 cho cán bộ CNTT.",
            verdict=Verdict.AGREE_WITH_COMMENTS,
        )
        if state == "returned":
            return _fresh(document)
        act(document, "submit_to_signer", drafter)
    elif state == "returned":
        act(document, "return", reviewer, comment="Bổ sung hiện trạng hạ tầng.")
        return _fresh(document)
    else:
        act(document, "endorse", reviewer)
    if state == "endorsed":
        return _fresh(document)
    act(document, "sign", signer)
    if state == "signed":
        return _fresh(document)
    act(document, "issue", clerk)
    return _fresh(document)


def sign_and_issue(document: Document, signer: str = MINISTER, clerk: str = CLERK, **kwargs):
    """The signer signs and the Office issues: what "Ký ban hành" was as one button."""
    act(document, "sign", signer, **kwargs)
    return act(document, "issue", clerk)


def _fresh(document: Document) -> Document:
    return Document.objects.get(pk=document.pk)


def task_statuses(document: Document) -> list[tuple[str, str]]:
    """(node name, status) of the human tasks of the document's process, oldest first."""
    return [
        (t.flow_task.name, t.status)
        for t in Task.objects.filter(process_id=document.process_id).order_by("created", "pk")
        if t.flow_task.name in ("draft", "review", "sign", "issue")
    ]


# Text a person may type that a spreadsheet program would run as a formula (OWASP), for
# the export tests: each must come back as the text typed (workflows/exports.py).
FORMULA_LIKE = [
    pytest.param('=HYPERLINK("http://x.example","Bấm")', id="equals"),
    pytest.param("+84 24 3823 4567", id="plus"),
    pytest.param("-5 máy in hỏng", id="minus"),
    pytest.param("@SUM(A1:A3)", id="at"),
    pytest.param("\t=1+1", id="tab"),
    pytest.param("\r=1+1", id="carriage-return"),
]


def read_from_xlsx(typed: str) -> str:
    """`typed` as an XLSX cell gives it back: XML keeps no bare carriage return, so the
    export stores a line break instead."""
    return typed.replace("\r", "\n")


class Forms(HTMLParser):
    """Each <form>'s fields as the browser would post them (buttons left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        # Per form: its action and method, its named buttons, and for each select the
        # option a browser posts when none is marked selected (the first).
        self.meta: list[dict] = []
        self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
            self.meta.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get").lower(),
                    "buttons": [],
                    "first_options": {},
                }
            )
        elif not self.forms or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "submit":
                self.meta[-1]["buttons"].append((a["name"], a.get("value", "")))
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self.meta[-1]["first_options"].setdefault(self._select, a.get("value", ""))
            if "selected" in a:
                self.forms[-1].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not any(name == self._select for name, _v in self.forms[-1]):
                first = self.meta[-1]["first_options"].get(self._select)
                self.meta[-1].setdefault("unselected", []).append((self._select, first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The HTML parser keeps the newline browsers drop after <textarea>.
            self.forms[-1].append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def page_form(html: str, containing: str) -> dict[str, str | list[str]]:
    """What the page's form that has a field named `containing` posts unchanged, as data
    for the test client (a name posted several times maps to the list of its values)."""
    parser = Forms()
    parser.feed(html)
    for fields in parser.forms:
        if any(name == containing for name, _v in fields):
            values: dict[str, list[str]] = {}
            for name, value in fields:
                values.setdefault(name, []).append(value)
            return {k: v[0] if len(v) == 1 else v for k, v in values.items()}
    raise AssertionError(f"no form with a field {containing!r} on the page")


def own_data(event) -> dict:
    """An event's data without the snapshot of its document (title and number at the
    time) that workflows.audit.record adds to every document event."""
    return {
        k: v
        for k, v in event.data.items()
        if k not in (audit.DOCUMENT_TITLE, audit.DOCUMENT_NUMBER)
    }


# --- Messages -----------------------------------------------------------------------------

# Words that name a fix: a message must say what to do, not only what is wrong.
FIX_WORDS = {
    "en": (
        "enter", "choose", "write", "shorten", "fill in", "tick", "remove", "reload",
        "correct", "give", "say", "use", "select", "leave", "change", "swap", "check",
        "copy", "move", "lower", "import", "save", "add", "type",
    ),
    "vi": (
        "nhập", "chọn", "viết", "rút gọn", "điền", "đánh dấu", "xóa", "tải lại", "sửa",
        "ghi", "cho biết", "dùng", "để trống", "đổi", "kiểm tra", "hãy", "vui lòng",
    ),
}  # fmt: skip
# A number of four digits or more that is not grouped (5000, not 5.000); years from
# 1900 to 2100, the parts of a date and spreadsheet rows (as Excel shows them) excepted.
UNGROUPED = re.compile(r"(?<![\d.,/A-Z])\d{4,}(?![\d.,/])")
ROW = re.compile(r"^(Row|Dòng) \d+, ")


def message_flaws(vi: str, en: str) -> list[str]:
    """What is wrong with a message shown to a person, as (Vietnamese, English): not
    translated, a number not written the language's way, unfinished, or no fix named."""
    flaws = [f"not translated: {en}"] if vi == en else []
    for language, text in (("vi", vi), ("en", en)):
        body = ROW.sub("", text)
        if any(not 1900 <= int(n) <= 2100 for n in UNGROUPED.findall(body)):
            flaws.append(f"[{language}] ungrouped number: {text}")
        if "%(" in text or text.endswith(" .") or "%d" in text or "%s" in text:
            flaws.append(f"[{language}] unfinished: {text}")
        if not any(word in text.casefold() for word in FIX_WORDS[language]):
            flaws.append(f"[{language}] names no fix: {text}")
    return flaws


def tamper_sql(sql, params=()):
    """Tamper with the audit trail as an intruder with database access would: the
    append-only triggers off, raw SQL, the triggers back on."""
    from django.db import connection

    from workflows import audit_db

    audit_db.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        audit_db.install(connection)

"""Demo plans: an issued five-year IT application plan for 2026–2030 and the annual plan
for 2027 waiting for the Planning Department's review.

Everything goes through the real services, as the demo people would have done it in the
browser, so the audit trail, the frozen revisions (with a diff between the returned and
the revised draft), the guidance comments and the register number are all genuine.
Loading is idempotent: a plan whose title already exists is left alone.

The content is data, not interface text: it is written in Vietnamese, as the Committee
would write it, and is not translated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import yaml
from django.db import transaction

from organisation.models import Person
from outbox import services as outbox_services
from workflows import services as engine
from workflows.scripted import document_sign_and_issue

from .. import services
from ..models import FundingSource, Guidance, Kind, Plan
from ..services import ObjectiveRow, TaskRow, guidance_publish, guidance_save

FIVE_YEAR_TITLE = (
    "Kế hoạch ứng dụng công nghệ thông tin trong hoạt động của Ủy ban Dân tộc giai đoạn 2026 - 2030"
)
ANNUAL_TITLE = "Kế hoạch ứng dụng công nghệ thông tin năm 2027 của Ủy ban Dân tộc"

DRAFTER = "soanthao.tttt"
REVIEWER = "thamdinh.kh"
SIGNER = "botruong"


INVESTMENT = FundingSource.INVESTMENT
RECURRENT = FundingSource.RECURRENT
HERE = Path(__file__).parent


def _data(name: str) -> dict:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


# The Vietnamese content, in five_year.yaml and annual_2027.yaml beside this module.
_FIVE = _data("five_year.yaml")
_ANNUAL = _data("annual_2027.yaml")


def _money(amount: int) -> str:
    """1500000000 → '1.500.000.000' (đồng, '.' groups thousands as in Vietnamese)."""
    return f"{amount:,}".replace(",", ".")


# --- The five-year plan ---------------------------------------------------------------

_BASIS = _FIVE["basis"]
# Added in the revision, as the Planning Department asked.
_BASIS_878 = _FIVE["basis_878"]
_BASIS_END = _FIVE["basis_end"]


def _basis(revised: bool) -> str:
    items = [*_BASIS, _BASIS_878] if revised else list(_BASIS)
    return "Căn cứ:\n" + "\n".join(f"- {item}" for item in items) + "\n- " + _BASIS_END


_SITUATION = _FIVE["situation"]

_GENERAL_OBJECTIVE = _FIVE["general_objective"]

_TASKS_SOLUTIONS = _FIVE["tasks_solutions"]

_INVESTMENT = _FIVE["investment"]

_CONDITIONS = _FIVE["conditions"]

_BENEFITS = _FIVE["benefits"]

_OBJECTIVES_FIVE = _FIVE["objectives_five"]


def _five_year_objectives(revised: bool) -> list[ObjectiveRow]:
    # The first draft left every baseline empty; the reviewer asked for them.
    return [
        ObjectiveRow(
            indicator=indicator,
            baseline=baseline if revised else "",
            target_value=target,
            target_year=year,
        )
        for indicator, baseline, target, year in _OBJECTIVES_FIVE
    ]


# key, name, category, lead, coordinating, start, end, cost, source
_TASKS_FIVE = _FIVE["tasks_five"]

# What the revision changes, as the Planning Department asked: the security task is split
# into equipment (investment, keeping the row) and a monitoring service (recurrent), and the
# ranking of units' IT application required by Công văn 878/UBDT-TTTT is added.
_SECURITY_REVISED = _FIVE["security_revised"]
_TASKS_ADDED = _FIVE["tasks_added"]


def _five_year_task_specs(revised: bool) -> list[tuple]:
    if not revised:
        return list(_TASKS_FIVE)
    specs = [_SECURITY_REVISED if t[0] == "security" else t for t in _TASKS_FIVE]
    return specs + _TASKS_ADDED


def _task_row(spec: tuple, uids: dict[str, str]) -> TaskRow:
    key, name, category, lead, coordinating, start, end, cost, source = spec
    return TaskRow(
        name=name,
        category=category,
        lead_unit=lead,
        coordinating_units=coordinating,
        start_year=start,
        end_year=end,
        estimated_cost=cost,
        funding_source=source,
        uid=uids.get(key),
    )


def _funds(specs: list[tuple], *, detail: bool) -> str:
    total = sum(s[7] for s in specs)
    investment = sum(s[7] for s in specs if s[8] == INVESTMENT)
    recurrent = total - investment
    text = (
        f"Tổng kinh phí dự kiến giai đoạn 2026 - 2030: {_money(total)} đồng, trong đó:\n"
        f"- Chi đầu tư phát triển: {_money(investment)} đồng;\n"
        f"- Chi thường xuyên: {_money(recurrent)} đồng."
    )
    if detail:
        by_year = dict.fromkeys(range(2026, 2031), 0)
        for s in specs:
            years = range(s[5], s[6] + 1)
            share = s[7] // len(years) // 1_000_000 * 1_000_000  # whole millions
            for year in years:
                by_year[year] += share
            by_year[s[6]] += s[7] - share * len(years)  # the rest in the last year
        text += "\nPhân kỳ dự kiến (phân bổ đều theo thời gian thực hiện từng nhiệm vụ):\n"
        text += "\n".join(f"- Năm {y}: khoảng {_money(v)} đồng;" for y, v in by_year.items())
        text += (
            "\nKinh phí cụ thể được xác định trong kế hoạch và dự toán hằng năm, theo hướng dẫn "
            "của Vụ Kế hoạch."
        )
    return text


def _five_year_sections(revised: bool) -> dict[str, str]:
    specs = _five_year_task_specs(revised)
    return {
        "basis": _basis(revised),
        "situation": _SITUATION,
        "general_objective": _GENERAL_OBJECTIVE,
        "tasks_solutions": _TASKS_SOLUTIONS,
        "investment": _INVESTMENT,
        "funds": _funds(specs, detail=revised),
        "conditions": _CONDITIONS,
        "benefits": _BENEFITS,
    }


_SECTION_COMMENT = _FIVE["section_comment"]
_RETURN_COMMENT = _FIVE["return_comment"]
_ENDORSE_COMMENT = _FIVE["endorse_comment"]


def _create_five_year(drafter, reviewer, signer) -> Plan:
    plan = services.plan_create(
        user=drafter, kind=Kind.FIVE_YEAR, title=FIVE_YEAR_TITLE, period_start=2026
    )
    doc_id = plan.document_id

    # First draft, submitted.
    specs = _five_year_task_specs(revised=False)
    services.plan_update(
        user=drafter,
        document_id=doc_id,
        version=None,
        title=FIVE_YEAR_TITLE,
        sections=_five_year_sections(revised=False),
        objectives=_five_year_objectives(revised=False),
        tasks=[_task_row(s, {}) for s in specs],
    )
    engine.document_act(user=drafter, document_id=doc_id, action="submit")

    # The Planning Department reads revision 1, comments on the funds and returns it.
    engine.revision_mark_seen(user=reviewer, document=plan.document, revision_number=1)
    engine.comment_add(
        user=reviewer, document_id=doc_id, body=_SECTION_COMMENT, anchor="section:funds"
    )
    engine.document_act(user=reviewer, document_id=doc_id, action="return", comment=_RETURN_COMMENT)

    # The Centre revises, keeping the rows' identities so the diff shows what changed.
    keys = [s[0] for s in specs]
    task_uids = plan.tasks.values_list("uid", flat=True)
    uids = {key: str(uid) for key, uid in zip(keys, task_uids, strict=True)}
    objective_uids = [str(u) for u in plan.objectives.values_list("uid", flat=True)]
    objectives = [
        replace(row, uid=uid)
        for row, uid in zip(_five_year_objectives(revised=True), objective_uids, strict=True)
    ]
    services.plan_update(
        user=drafter,
        document_id=doc_id,
        version=None,
        title=FIVE_YEAR_TITLE,
        sections=_five_year_sections(revised=True),
        objectives=objectives,
        tasks=[_task_row(s, uids) for s in _five_year_task_specs(revised=True)],
    )
    engine.document_act(user=drafter, document_id=doc_id, action="submit")

    # Endorsed by the Planning Department, signed by the Minister, issued (numbered,
    # dated and sealed) by the Office.
    engine.revision_mark_seen(user=reviewer, document=plan.document, revision_number=2)
    engine.document_act(
        user=reviewer, document_id=doc_id, action="endorse", comment=_ENDORSE_COMMENT
    )
    engine.revision_mark_seen(user=signer, document=plan.document, revision_number=2)
    document_sign_and_issue(signer=signer, document_id=doc_id)
    return Plan.objects.select_related("document").get(pk=plan.pk)


# --- The annual plan 2027 -------------------------------------------------------------


def _annual_sections(five_year: Plan) -> dict[str, str]:
    doc = five_year.document
    if doc.number_text and doc.issued_on:
        reference = (
            f"Kế hoạch số {doc.number_text} ngày {doc.issued_on:%d/%m/%Y} của Ủy ban Dân tộc "
            "về ứng dụng công nghệ thông tin trong hoạt động của Ủy ban Dân tộc giai đoạn "
            "2026 - 2030;"
        )
    else:
        reference = f"{doc.title};"
    return {
        "basis": "Căn cứ:\n"
        "- Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ "
        "thông tin trong hoạt động của cơ quan nhà nước;\n"
        "- Công văn số 878/UBDT-TTTT ngày 08/10/2012 của Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc "
        "về tăng cường ứng dụng công nghệ thông tin trong hoạt động của Ủy ban Dân tộc;\n"
        f"- {reference}\n"
        "- Hướng dẫn của Vụ Kế hoạch về xây dựng kế hoạch, dự toán ngân sách năm 2027.\n\n"
        "Trung tâm Thông tin xây dựng Kế hoạch ứng dụng công nghệ thông tin năm 2027 của Ủy "
        "ban Dân tộc như sau:",
        "situation": "Năm 2026, Ủy ban Dân tộc đã khởi động các nhiệm vụ năm đầu của Kế hoạch "
        "giai đoạn 2026 - 2030: nâng cấp hạ tầng mạng LAN giai đoạn 1; triển khai tích hợp "
        "chữ ký số vào hệ thống quản lý văn bản và điều hành (tỷ lệ văn bản xử lý trên môi "
        "trường mạng đạt khoảng 85%); số hóa hồ sơ lưu trữ giai đoạn 2015 - 2019; tổ chức 03 "
        "lớp bồi dưỡng kỹ năng sử dụng công nghệ thông tin cho 120 lượt công chức, viên chức.\n"
        "Tồn tại: Cổng thông tin điện tử chưa cung cấp dịch vụ công trực tuyến toàn trình; "
        "chưa có giám sát an toàn thông tin tập trung; dữ liệu báo cáo công tác dân tộc còn "
        "tổng hợp thủ công.",
        "general_objective": "Triển khai đúng tiến độ các nhiệm vụ năm 2027 của Kế hoạch giai "
        "đoạn 2026 - 2030; hoàn thành chuyển đổi xử lý văn bản hoàn toàn trên môi trường mạng; "
        "bảo đảm an toàn thông tin các hệ thống đang vận hành.",
        "tasks_solutions": "Các nhiệm vụ năm 2027 được nêu tại Bảng nhiệm vụ kèm theo, trong "
        "đó ưu tiên hoàn thành nâng cấp hệ thống quản lý văn bản và điều hành, khởi động nâng "
        "cấp Cổng thông tin điện tử và thuê dịch vụ giám sát an toàn thông tin.\n"
        "Giải pháp: Trung tâm Thông tin chủ trì, phối hợp Văn phòng Ủy ban và các Vụ, đơn vị; "
        "định kỳ hằng quý báo cáo tiến độ thực hiện Lãnh đạo Ủy ban.",
        "investment": "Tiếp tục thực hiện dự án nâng cấp hệ thống quản lý văn bản và điều "
        "hành; chuẩn bị đầu tư dự án nâng cấp Cổng thông tin điện tử theo Nghị định số "
        "73/2019/NĐ-CP.",
        "funds": "",  # filled from the task rows below
        "conditions": "Kinh phí được bố trí trong dự toán ngân sách năm 2027 của Ủy ban Dân "
        "tộc; Trung tâm Thông tin lập dự toán kinh phí ứng dụng công nghệ thông tin năm 2027 "
        "kèm theo Kế hoạch này.",
        "benefits": "100% văn bản (trừ văn bản mật) được xử lý trên môi trường mạng; công "
        "chức, viên chức được bồi dưỡng kỹ năng sử dụng công nghệ thông tin; các hệ thống "
        "thông tin được giám sát an toàn thông tin thường xuyên.",
    }


# name, category, lead, coordinating, deadline, cost, source, five-year task key
_TASKS_ANNUAL = _ANNUAL["tasks_annual"]

_OBJECTIVES_ANNUAL = _ANNUAL["objectives_annual"]


# Five-year task names by demo key, to find the rows an annual task carries out.
_FIVE_YEAR_NAMES = {s[0]: s[1] for s in _five_year_task_specs(revised=True)}


def _create_annual(drafter, five_year: Plan) -> Plan:
    plan = services.plan_create(
        user=drafter,
        kind=Kind.ANNUAL,
        title=ANNUAL_TITLE,
        period_start=2027,
        parent_id=five_year.pk,
    )
    parent_uids = {name: str(uid) for name, uid in five_year.tasks.values_list("name", "uid")}
    tasks = [
        TaskRow(
            name=name,
            category=category,
            lead_unit=lead,
            coordinating_units=coordinating,
            deadline=deadline,
            estimated_cost=cost,
            funding_source=source,
            parent_task_uid=parent_uids.get(_FIVE_YEAR_NAMES.get(parent, "")),
        )
        for name, category, lead, coordinating, deadline, cost, source, parent in _TASKS_ANNUAL
    ]
    total = sum(t.estimated_cost for t in tasks)
    investment = sum(t.estimated_cost for t in tasks if t.funding_source == INVESTMENT)
    sections = _annual_sections(five_year)
    sections["funds"] = (
        f"Tổng kinh phí dự kiến năm 2027: {_money(total)} đồng, trong đó chi đầu tư phát "
        f"triển {_money(investment)} đồng, chi thường xuyên {_money(total - investment)} "
        "đồng. Chi tiết tại Dự toán kinh phí ứng dụng công nghệ thông tin năm 2027."
    )
    services.plan_update(
        user=drafter,
        document_id=plan.document_id,
        version=None,
        title=ANNUAL_TITLE,
        sections=sections,
        objectives=[
            ObjectiveRow(indicator=i, baseline=b, target_value=t, target_year=2027)
            for i, b, t in _OBJECTIVES_ANNUAL
        ],
        tasks=tasks,
    )
    engine.document_act(user=drafter, document_id=plan.document_id, action="submit")
    return Plan.objects.select_related("document").get(pk=plan.pk)


# --- Plans read from YAML (planning/demo/*.yaml) -----------------------------------

PLAN_KEYS = {"title", "year", "endorse_comment", "sections", "objectives", "tasks"}
TASK_KEYS = {"name", "category", "lead", "coordinating", "deadline", "cost", "source"}


def read(name: str) -> dict:
    """An annual plan's data file, checked against the keys the loader reads."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    if set(data) != PLAN_KEYS:
        raise ValueError(f"{name}: needs exactly {sorted(PLAN_KEYS)}")
    for task in data["tasks"]:
        if not TASK_KEYS <= set(task) <= TASK_KEYS | {"parent"}:
            raise ValueError(f"{name}: task {task.get('name')} needs {sorted(TASK_KEYS)}")
    return data


def _create_endorsed(name: str, drafter, reviewer, five_year: Plan) -> Plan:
    """An annual plan from a data file, submitted and endorsed: it waits for the signer."""
    data = read(name)
    plan = services.plan_create(
        user=drafter,
        kind=Kind.ANNUAL,
        title=data["title"],
        period_start=data["year"],
        parent_id=five_year.pk,
    )
    parent_uids = {name: str(uid) for name, uid in five_year.tasks.values_list("name", "uid")}
    services.plan_update(
        user=drafter,
        document_id=plan.document_id,
        version=None,
        title=data["title"],
        sections=data["sections"],
        objectives=[
            ObjectiveRow(
                indicator=o["indicator"],
                baseline=o["baseline"],
                target_value=o["target"],
                target_year=data["year"],
            )
            for o in data["objectives"]
        ],
        tasks=[
            TaskRow(
                name=t["name"],
                category=t["category"],
                lead_unit=t["lead"],
                coordinating_units=t["coordinating"],
                deadline=t["deadline"],
                estimated_cost=t["cost"],
                funding_source=t["source"],
                parent_task_uid=parent_uids.get(_FIVE_YEAR_NAMES.get(t.get("parent"), "")),
            )
            for t in data["tasks"]
        ],
    )
    engine.document_act(user=drafter, document_id=plan.document_id, action="submit")
    engine.revision_mark_seen(user=reviewer, document=plan.document, revision_number=1)
    engine.document_act(
        user=reviewer,
        document_id=plan.document_id,
        action="endorse",
        comment=data["endorse_comment"],
    )
    return Plan.objects.select_related("document").get(pk=plan.pk)


# --- Entry point ----------------------------------------------------------------------


def _existing(kind: str, title: str) -> Plan | None:
    return (
        Plan.objects.select_related("document")
        .filter(document__kind=kind, document__title=title)
        .order_by("pk")
        .first()
    )


def load_demo() -> str:
    people = {
        p.username: p for p in Person.objects.filter(username__in=[DRAFTER, REVIEWER, SIGNER])
    }
    missing = {DRAFTER, REVIEWER, SIGNER} - set(people)
    if missing:
        return "Demo plans skipped: missing demo account(s) " + ", ".join(sorted(missing))
    drafter, reviewer, signer = people[DRAFTER], people[REVIEWER], people[SIGNER]

    done = []
    # The demo's history is not news: its notifications go nowhere instead of mailing (or
    # printing to the console) a dozen messages about things that "happened" just now.
    with (
        outbox_services.muted(),
        transaction.atomic(),
    ):
        five_year = _existing(Kind.FIVE_YEAR, FIVE_YEAR_TITLE)
        if five_year is None:
            five_year = _create_five_year(drafter, reviewer, signer)
            done.append(
                f"created the five-year plan 2026-2030 ({five_year.document.state}, "
                f"{five_year.document.number_text or 'not numbered'})"
            )
        else:
            done.append(
                f"five-year plan 2026-2030 already existed ({five_year.document.state}"
                + (f", {five_year.document.number_text}" if five_year.document.number_text else "")
                + ")"
            )
        if not Guidance.objects.filter(year=2027).exists():
            guidance_save(
                user=reviewer,
                year=2027,
                deadline=dt.date(2026, 7, 31),
                total_ceiling=12_000_000_000,
                investment_ceiling=9_000_000_000,
                recurrent_ceiling=4_000_000_000,
                instructions=(
                    "Trung tâm Thông tin xây dựng kế hoạch ứng dụng CNTT và dự toán kinh phí năm "
                    "2027 bám sát Kế hoạch giai đoạn 2026 - 2030; ưu tiên các nhiệm vụ chuyển "
                    "tiếp, bảo đảm an toàn thông tin; tổng dự toán không vượt hạn mức."
                ),
            )
            guidance_publish(user=reviewer, year=2027)
            done.append("published the planning guidance for 2027")
        annual = _existing(Kind.ANNUAL, ANNUAL_TITLE)
        if annual is None:
            annual = _create_annual(drafter, five_year)
            done.append(f"created the annual plan 2027 ({annual.document.state})")
        else:
            done.append(f"annual plan 2027 already existed ({annual.document.state})")
        title = read("annual_2026.yaml")["title"]
        if _existing(Kind.ANNUAL, title) is None:
            endorsed = _create_endorsed("annual_2026.yaml", drafter, reviewer, five_year)
            done.append(f"created the annual plan 2026 ({endorsed.document.state})")
        else:
            done.append("annual plan 2026 already existed")
    return "Demo plans: " + "; ".join(done) + "."

"""Budget estimates as XLSX: the export in the familiar layout (draft and issued), the
import template, and the import through the edit page — all rows valid or nothing saved,
every bad row reported with its spreadsheet row and column, whole files refused with a
clear message, and the same permissions as editing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl.worksheet.formula import ArrayFormula

from budgeting import services as budgeting
from budgeting import spreadsheets
from budgeting.models import Estimate, LineItem
from budgeting.services import LineRow
from organisation.models import Person
from planning import services as planning
from planning.models import Plan
from tests.workflows import helpers as h
from tests.workflows.helpers import FORMULA_LIKE, message_flaws, own_data, read_from_xlsx
from workflows import services as engine
from workflows import xlsx_import
from workflows.models import AuditEvent, Document

pytestmark = pytest.mark.django_db

YEAR = 2027
HEADER = [
    "STT",
    "Nội dung",
    "Đơn vị tính",
    "Số lượng",
    "Đơn giá",
    "Thành tiền",
    "Nguồn vốn",
    "Ghi chú",
    "Loại chi",
    "Nhiệm vụ kế hoạch",
]
SECTIONS = {
    "basis": "Nghị định 64/2007/NĐ-CP.",
    "situation": "Đã có mạng LAN.",
    "general_objective": "Ứng dụng CNTT toàn diện.",
    "tasks_solutions": "Theo bảng nhiệm vụ.",
    "funds": "Ngân sách nhà nước.",
}
PORTAL = "Nâng cấp cổng thông tin điện tử"
SERVERS = "Mua sắm máy chủ"


def _person(username: str) -> Person:
    return Person.objects.select_related("unit").get(username=username)


@pytest.fixture
def drafter(demo_org):
    return _person("soanthao.tttt")


@pytest.fixture
def annual_plan(drafter) -> Plan:
    five = planning.plan_create(
        user=drafter, kind="five_year_plan", title="Kế hoạch 2026-2030", period_start=2026
    )
    planning.plan_update(
        user=drafter,
        document_id=five.document_id,
        version=None,
        title=five.document.title,
        sections=SECTIONS,
        objectives=[],
        tasks=[
            planning.TaskRow(
                name="Hạ tầng CNTT",
                category="infrastructure",
                lead_unit="TTTT",
                estimated_cost=5_000_000_000,
                funding_source="investment",
                start_year=2026,
                end_year=2030,
            )
        ],
    )
    annual = planning.plan_create(
        user=drafter, kind="annual_plan", title=f"Kế hoạch năm {YEAR}", period_start=YEAR
    )
    planning.plan_update(
        user=drafter,
        document_id=annual.document_id,
        version=None,
        title=annual.document.title,
        sections=SECTIONS,
        objectives=[],
        tasks=[
            planning.TaskRow(
                name=name,
                category="portal",
                lead_unit="TTTT",
                estimated_cost=cost,
                funding_source=source,
                deadline=dt.date(YEAR, 11, 30),
            )
            for name, cost, source in (
                (PORTAL, 300_000_000, "recurrent"),
                (SERVERS, 1_000_000_000, "investment"),
            )
        ],
    )
    return Plan.objects.get(pk=annual.pk)


def _lines(plan: Plan) -> list[LineRow]:
    portal, servers = plan.tasks.order_by("position", "pk")
    return [
        LineRow(
            content="Thuê dịch vụ cổng thông tin",
            expense_category="rental",
            funding_source="recurrent",
            quantity=12,
            unit="tháng",
            unit_price=25_000_000,
            plan_task_uid=str(portal.uid),
            note="Hợp đồng năm",
        ),
        LineRow(
            content="Máy chủ ứng dụng",
            expense_category="hardware",
            funding_source="investment",
            quantity=4,
            unit="bộ",
            unit_price=250_000_000,
            plan_task_uid=str(servers.uid),
        ),
    ]


@pytest.fixture
def estimate(drafter, annual_plan) -> Document:
    document = budgeting.estimate_create(user=drafter, year=YEAR).document
    budgeting.estimate_update(
        user=drafter,
        document_id=document.pk,
        version=None,
        title=document.title,
        justification="",
        lines=_lines(annual_plan),
    )
    return Document.objects.get(pk=document.pk)


def _act(document: Document, action: str, username: str) -> Document:
    engine.document_act(user=_person(username), document_id=document.pk, action=action)
    return Document.objects.get(pk=document.pk)


@pytest.fixture
def issued(estimate) -> Document:
    _act(estimate, "submit", "soanthao.tttt")
    _act(estimate, "endorse", "thamdinh.kh")
    h.sign_and_issue(estimate, "botruong")
    return Document.objects.get(pk=estimate.pk)


def _stored_lines(document: Document) -> list[tuple]:
    return list(
        LineItem.objects.filter(estimate__document=document)
        .order_by("position", "pk")
        .values_list("content", "quantity", "unit_price", "amount", "funding_source")
    )


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _find_row(ws, first_value) -> int:
    for row in ws.iter_rows():
        if row[0].value == first_value:
            return row[0].row
    raise AssertionError(f"no row starting with {first_value!r}")


def _xlsx(rows, *, sheet="DuToan", header=HEADER) -> bytes:
    """A workbook made from the product's template with `rows` under its header."""
    wb = _open(spreadsheets.template_xlsx())
    ws = wb["DuToan"]
    if header is not HEADER:
        for i, value in enumerate(header, start=1):
            ws.cell(row=1, column=i, value=value)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    ws.title = sheet
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload(data: bytes, name="du-toan.xlsx"):
    return SimpleUploadedFile(name, data, content_type=spreadsheets.CONTENT_TYPE)


def _import(client, document, data: bytes, name="du-toan.xlsx", version=None):
    return client.post(
        reverse("budgeting:import", args=[document.pk]),
        {"file": _upload(data, name), "version": version or document.version},
    )


GOOD_ROWS = [
    [1, "Thuê dịch vụ cổng thông tin", "tháng", 12, "25.000.000", None, "Chi thường xuyên",
     "", "Thuê dịch vụ CNTT", PORTAL],
    [2, "Máy tính để bàn", "bộ", 10.0, 18_500_000, None, "investment", "Thay máy cũ",
     "hardware", ""],
    [None, "  Đào tạo an toàn thông tin ", "lớp", "2", 40_000_000, None,
     "chi THƯỜNG xuyên", None, "Đào tạo", SERVERS.upper()],
]  # fmt: skip


# --- Export ---------------------------------------------------------------------------


def test_export_of_a_draft_has_the_familiar_layout(client, drafter, estimate):
    client.force_login(drafter)
    response = client.get(reverse("budgeting:export", args=[estimate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    wb = _open(response.content)
    assert wb.sheetnames == ["DuToan"]
    ws = wb["DuToan"]
    assert ws["A1"].value == "ỦY BAN DÂN TỘC"
    assert ws["A2"].value == estimate.title
    assert ws["A3"].value == f"Năm {YEAR}"
    assert not any(str(c.value).startswith("Số:") for c in ws["A"] if c.value)
    header = _find_row(ws, "STT")
    assert [c.value for c in ws[header]] == HEADER
    assert all(c.font.b for c in ws[header])
    assert ws.column_dimensions["B"].width > 20
    first = [c.value for c in ws[header + 1]]
    assert first == [
        1,
        "Thuê dịch vụ cổng thông tin",
        "tháng",
        12,
        25_000_000,
        300_000_000,
        "Chi thường xuyên",
        "Hợp đồng năm",
        "Thuê dịch vụ CNTT",
        PORTAL,
    ]
    second = [c.value for c in ws[header + 2]]
    assert second[:7] == [2, "Máy chủ ứng dụng", "bộ", 4, 250_000_000, 1_000_000_000] + [
        "Chi đầu tư phát triển"
    ]
    assert second[8:] == ["Mua sắm phần cứng", SERVERS]
    assert ws.cell(header + 1, 6).number_format == "#,##0"
    assert ws.cell(header + 1, 5).number_format == "#,##0"
    total_row = header + 3
    assert ws.cell(total_row, 2).value == "TỔNG CỘNG"
    assert ws.cell(total_row, 6).value == 1_300_000_000
    assert ws.cell(total_row, 6).data_type == "n"  # a value, not a formula
    subtotals = {
        ws.cell(r, 2).value: ws.cell(r, 6).value for r in range(total_row + 1, ws.max_row + 1)
    }
    assert subtotals["- Chi đầu tư phát triển"] == 1_000_000_000
    assert subtotals["- Chi thường xuyên"] == 300_000_000


def test_export_of_an_issued_estimate_carries_number_and_date(client, issued):
    assert issued.number_text == "01/QĐ-UBDT"
    client.force_login(_person("botruong"))
    response = client.get(reverse("budgeting:export", args=[issued.pk]))
    assert response.status_code == 200
    assert "du-toan-2027-01-qd-ubdt.xlsx" in response["Content-Disposition"]
    ws = _open(response.content)["DuToan"]
    column_a = [c.value for c in ws["A"] if c.value is not None]
    today = timezone.localdate()
    assert "Số: 01/QĐ-UBDT" in column_a
    assert f"Ngày ban hành: {today:%d/%m/%Y}" in column_a
    header = _find_row(ws, "STT")
    assert [c.value for c in ws[header]] == HEADER
    assert ws.cell(header + 3, 2).value == "TỔNG CỘNG"
    assert ws.cell(header + 3, 6).value == 1_300_000_000


def test_export_of_an_issued_estimate_shows_the_signed_revision(issued):
    """The export reads the content it is given: for an issued estimate, the view gives
    the signed revision's (which is what the Minister signed)."""
    content = issued.signed_revision.content
    content["tables"]["lines"] = content["tables"]["lines"][:1]
    ws = _open(spreadsheets.export_estimate(issued, content))["DuToan"]
    header = _find_row(ws, "STT")
    assert ws.cell(header + 2, 2).value == "TỔNG CỘNG"
    assert ws.cell(header + 2, 6).value == 300_000_000


def test_export_needs_sight_of_the_document(client, estimate, demo_org):
    url = reverse("budgeting:export", args=[estimate.pk])
    client.force_login(_person("thamdinh.kh"))  # a draft is not yet sent to the reviewer
    assert client.get(url).status_code == 404
    client.force_login(_person("soanthao.tccb"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("budgeting:export", args=[999999])).status_code == 404


def test_export_links_on_the_document_and_edit_pages(client, drafter, estimate):
    client.force_login(drafter)
    url = reverse("budgeting:export", args=[estimate.pk])
    for page in (
        reverse("workflows:document", args=[estimate.pk]),
        reverse("budgeting:edit", args=[estimate.pk]),
    ):
        html = client.get(page).content.decode()
        assert 'data-testid="export-xlsx"' in html and url in html
    html = client.get(reverse("budgeting:edit", args=[estimate.pk])).content.decode()
    assert 'data-testid="import-file"' in html and 'accept=".xlsx"' in html
    assert '<label for="import-file">' in html
    assert reverse("budgeting:template") in html


# --- Template and a good import -------------------------------------------------------


def test_template_has_the_header_and_the_allowed_values(client, drafter):
    client.force_login(drafter)
    response = client.get(reverse("budgeting:template"))
    assert response.status_code == 200
    wb = _open(response.content)
    assert wb.sheetnames == ["DuToan", "HuongDan"]
    ws = wb["DuToan"]
    assert [c.value for c in ws[1]] == HEADER
    assert ws.max_row == 1
    guide = [c.value for c in wb["HuongDan"]["A"] if c.value]
    for label in ("Chi đầu tư phát triển", "Chi thường xuyên", "Mua sắm phần cứng", "Đào tạo"):
        assert label in guide
    assert any("Thành tiền" in text and "tính" in text for text in guide)


def test_template_round_trip_replaces_every_line(client, drafter, estimate, annual_plan):
    client.force_login(drafter)
    before = estimate.version
    response = _import(client, estimate, _xlsx(GOOD_ROWS))
    assert response.status_code == 302
    assert response["Location"] == reverse("budgeting:edit", args=[estimate.pk])
    page = client.get(response["Location"]).content.decode()
    assert "3" in page and ("imported" in page or "nhập" in page)
    assert _stored_lines(estimate) == [
        ("Thuê dịch vụ cổng thông tin", 12, 25_000_000, 300_000_000, "recurrent"),
        ("Máy tính để bàn", 10, 18_500_000, 185_000_000, "investment"),
        ("Đào tạo an toàn thông tin", 2, 40_000_000, 80_000_000, "recurrent"),
    ]
    portal, servers = annual_plan.tasks.order_by("position", "pk")
    lines = list(LineItem.objects.filter(estimate__document=estimate).order_by("position"))
    assert [line.plan_task_id for line in lines] == [portal.pk, None, servers.pk]
    assert [line.expense_category for line in lines] == ["rental", "hardware", "training"]
    assert lines[1].note == "Thay máy cũ"
    document = Document.objects.get(pk=estimate.pk)
    assert document.version == before + 1
    event = AuditEvent.objects.filter(document=document).order_by("-pk").first()
    assert own_data(event) == {"what": "import"}


def test_decomposed_cells_and_labels_are_imported_composed(client, drafter, estimate, annual_plan):
    nfd = functools.partial(unicodedata.normalize, "NFD")
    rows = [[nfd(v) if isinstance(v, str) else v for v in row] for row in GOOD_ROWS]
    client.force_login(drafter)
    assert _import(client, estimate, _xlsx(rows)).status_code == 302
    lines = list(LineItem.objects.filter(estimate__document=estimate).order_by("position"))
    assert lines[2].content == "Đào tạo an toàn thông tin"
    assert (lines[1].unit, lines[1].note) == ("bộ", "Thay máy cũ")
    assert [line.expense_category for line in lines] == ["rental", "hardware", "training"]


def test_an_export_can_be_imported_back(client, drafter, estimate):
    client.force_login(drafter)
    before = _stored_lines(estimate)
    exported = client.get(reverse("budgeting:export", args=[estimate.pk])).content
    response = _import(client, estimate, exported)
    assert response.status_code == 302
    assert _stored_lines(estimate) == before


def test_parse_lines_skips_empty_rows_and_numbers_rows_as_the_sheet(annual_plan):
    tasks = {t.name: str(t.uid) for t in annual_plan.tasks.all()}
    rows = [GOOD_ROWS[0], [None] * 10, ["", "  ", None], GOOD_ROWS[1] + [None, ""]]
    lines, problems = spreadsheets.parse_lines(io.BytesIO(_xlsx(rows)), tasks=tasks)
    assert problems == []
    assert [line.content for line in lines] == [GOOD_ROWS[0][1], GOOD_ROWS[1][1]]
    bad = [GOOD_ROWS[0], [None] * 10, [3, "Dòng sai", "bộ", -1, 1, None, "recurrent", "", "other"]]
    _lines, problems = spreadsheets.parse_lines(io.BytesIO(_xlsx(bad)), tasks=tasks)
    assert [(p.row, p.column[0]) for p in problems] == [(4, "D")]


# --- Refusals -------------------------------------------------------------------------


def _refused(response) -> str:
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="import-report"' in html
    return html


def _refusal_message(data: bytes, name="du-toan.xlsx") -> str:
    upload = _upload(data, name)
    with pytest.raises(spreadsheets.SpreadsheetRefused) as refused:
        spreadsheets.parse_lines(upload, tasks={})
    return refused.value.message


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("text-renamed", "not an XLSX"),
        ("xlsx-named-txt", "not an XLSX"),
        ("zip-not-xlsx", "not an XLSX"),
        ("too-large", "at most 5 MB"),
        ("formula", "formula"),
        ("array-formula", "formula"),
        ("wrong-sheet", "no sheet named “DuToan”"),
        ("wrong-header", "header row"),
        ("no-lines", "no lines"),
    ],
)
def test_whole_files_are_refused_with_a_clear_message(client, drafter, estimate, case, expected):
    name = "du-toan.xlsx"
    good = [GOOD_ROWS[1]]
    if case == "text-renamed":
        data = "STT;Nội dung\n1;Máy tính\n".encode()
    elif case == "xlsx-named-txt":
        data, name = _xlsx(good), "du-toan.txt"
    elif case == "zip-not-xlsx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        data = buffer.getvalue()
    elif case == "too-large":
        data = _xlsx(good) + b"\0" * (5 * 1024 * 1024)
    elif case == "formula":
        data = _xlsx([[1, "Máy tính", "bộ", 2, 1000, "=D2*E2", "recurrent", "", "hardware"]])
    elif case == "array-formula":
        wb = _open(_xlsx(good))
        wb["DuToan"]["F2"] = ArrayFormula("F2:F2", "=D2*E2")
        buffer = io.BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
    elif case == "wrong-sheet":
        data = _xlsx(good, sheet="Sheet1")
    elif case == "wrong-header":
        data = _xlsx(good, header=["STT", "Nội dung", "Số lượng", "Đơn vị tính"] + HEADER[4:])
    else:
        data = _xlsx([])
    before = _stored_lines(estimate)
    client.force_login(drafter)
    client.cookies["ubdt_language"] = "en"
    html = _refused(_import(client, estimate, data, name))
    assert expected in html
    assert _stored_lines(estimate) == before
    assert Document.objects.get(pk=estimate.pk).version == estimate.version


def test_formula_refusal_names_the_cells():
    rows = [[1, "Máy tính", "bộ", 2, 1000, "=D2*E2", "recurrent", "", "hardware"]] * 3
    message = _refusal_message(_xlsx(rows))
    assert "F2" in message and "3" in message


def test_too_large_is_refused_before_parsing(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("parsed a file that is too large")

    monkeypatch.setattr(xlsx_import, "load_workbook", fail)
    message = _refusal_message(b"PK" + b"\0" * (5 * 1024 * 1024))
    assert "5" in message and "MB" in message


def test_more_than_20000_lines_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_LINES", 3)
    message = _refusal_message(_xlsx([GOOD_ROWS[1]] * 4))
    assert "3" in message
    lines, problems = spreadsheets.parse_lines(io.BytesIO(_xlsx([GOOD_ROWS[1]] * 3)), tasks={})
    assert len(lines) == 3 and problems == []


def test_an_upload_without_a_file_is_refused(client, drafter, estimate):
    client.force_login(drafter)
    response = client.post(
        reverse("budgeting:import", args=[estimate.pk]), {"version": estimate.version}
    )
    _refused(response)


# --- Bad rows -------------------------------------------------------------------------


BAD_ROWS = [
    GOOD_ROWS[0],  # row 2: fine
    [2, "Máy in", "cái", -3, 5_000_000, None, "investment", "", "hardware", ""],  # 3
    [3, "Máy quét", "cái", 1.5, 5_000_000, None, "investment", "", "hardware", ""],  # 4
    [4, "Bản quyền", "gói", 1, "1,5", None, "recurrent", "", "software", ""],  # 5
    [5, "Tư vấn", "gói", "một trăm", 1_000_000, None, "recurrent", "", "consulting", ""],  # 6
    [6, "Trung tâm dữ liệu", "gói", 1, 10**16, None, "investment", "", "hardware", ""],  # 7
    [7, "Bảo trì", "năm", 1, 90_000_000, None, "Vốn ODA", "", "maintenance", ""],  # 8
    [8, "Đào tạo", "lớp", 2, 30_000_000, None, "recurrent", "", "training", "Không có"],  # 9
    [9, "", "", 1, 1, None, "recurrent", "", "Chi khác lạ", ""],  # 10
    [10, "Phần mềm", "gói", 2, 1.5, None, "recurrent", "", "software", ""],  # 11
    [11, "Hệ thống lớn", "bộ", 1000, 10**13, None, "investment", "", "hardware", ""],  # 12
]


def test_bad_rows_are_all_reported_and_nothing_is_saved(client, drafter, estimate):
    before = _stored_lines(estimate)
    client.force_login(drafter)
    client.cookies["ubdt_language"] = "en"
    response = _import(client, estimate, _xlsx(BAD_ROWS))
    html = _refused(response)
    problems = response.context["import_problems"]
    found = {(p.row, p.column.split(" ")[0]) for p in problems}
    assert found == {
        (3, "D"),  # negative quantity
        (4, "D"),  # fractional quantity 1.5
        (5, "E"),  # "1,5"
        (6, "D"),  # text
        (7, "E"),  # enormous: 10^16 đồng
        (8, "G"),  # unknown source
        (9, "J"),  # unknown task
        (10, "B"),  # content missing
        (10, "C"),  # unit missing
        (10, "I"),  # unknown category
        (11, "E"),  # fractional unit price
        (12, "F"),  # quantity × unit price over 10^15 đồng
    }
    by_cell = {(p.row, p.column.split(" ")[0]): p for p in problems}
    assert by_cell[(3, "D")].column == "D (Số lượng)"
    assert "Vốn ODA" in by_cell[(8, "G")].reason
    assert "Không có" in by_cell[(9, "J")].reason
    assert len([p for p in problems if (p.row, p.column[0]) == (8, "G")]) == 1
    assert [p.row for p in problems] == sorted(p.row for p in problems)
    assert "12 problems" in html
    for p in problems:
        assert f"<td>{p.column}</td>" in html
    assert _stored_lines(estimate) == before
    assert Document.objects.get(pk=estimate.pk).version == estimate.version
    assert 'data-testid="lines-table"' in html  # the edit page, ready for another try


def test_problems_are_reported_in_vietnamese_by_default(client, drafter, estimate):
    client.force_login(drafter)
    html = _refused(_import(client, estimate, _xlsx(BAD_ROWS)))
    assert "Vốn ODA" in html and "D (Số lượng)" in html


# --- Who may import -------------------------------------------------------------------


def test_reviewer_may_not_import(client, estimate):
    submitted = _act(estimate, "submit", "soanthao.tttt")
    before = _stored_lines(submitted)
    client.force_login(_person("thamdinh.kh"))
    response = _import(client, submitted, _xlsx(GOOD_ROWS))
    assert response.status_code == 403
    assert _stored_lines(submitted) == before


def test_out_of_scope_is_404(client, estimate):
    before = _stored_lines(estimate)
    for username in ("thamdinh.kh", "soanthao.tccb"):  # draft not sent / another unit
        client.force_login(_person(username))
        assert _import(client, estimate, _xlsx(GOOD_ROWS)).status_code == 404
    assert _import(client, Document(pk=999999, version=1), b"").status_code == 404
    assert _stored_lines(estimate) == before


def test_an_issued_estimate_is_not_editable(client, drafter, issued):
    before = _stored_lines(issued)
    client.force_login(drafter)
    response = _import(client, issued, _xlsx(GOOD_ROWS))
    assert response.status_code == 302
    assert response["Location"] == reverse("workflows:document", args=[issued.pk])
    assert _stored_lines(issued) == before
    assert Document.objects.get(pk=issued.pk).state == "issued"


def test_a_stale_page_is_refused(client, drafter, estimate):
    client.force_login(drafter)
    before = _stored_lines(estimate)
    response = _import(client, estimate, _xlsx(GOOD_ROWS), version=estimate.version + 5)
    assert response.status_code == 409
    assert 'data-testid="import-report"' in response.content.decode()
    assert _stored_lines(estimate) == before


def test_import_only_accepts_post(client, drafter, estimate):
    client.force_login(drafter)
    assert client.get(reverse("budgeting:import", args=[estimate.pk])).status_code == 405
    assert Estimate.objects.filter(document=estimate).exists()


# --- Typed text never becomes a formula (workflows/exports.py) ------------------------


@pytest.mark.parametrize("typed", FORMULA_LIKE)
def test_estimate_export_keeps_typed_text_as_text_not_formulas(estimate, typed):
    content = estimate.kind_config.snapshot(estimate)
    content["title"] = typed
    line = content["tables"]["lines"][0]
    line["content"] = line["unit"] = line["note"] = line["plan_task"] = typed
    content["tables"]["lines"][1]["note"] = ""
    ws = _open(spreadsheets.export_estimate(estimate, content))["DuToan"]
    assert ws["A2"].value == read_from_xlsx(typed) and ws["A2"].data_type == "s"
    header = _find_row(ws, "STT")
    first = ws[header + 1]
    for index in (1, 2, 7, 9):  # Nội dung, Đơn vị tính, Ghi chú, Nhiệm vụ kế hoạch
        assert first[index].value == read_from_xlsx(typed)
        assert first[index].data_type == "s"  # a string cell, never "f"
    assert [c.value for c in first[3:6]] == [12, 25_000_000, 300_000_000]
    assert all(c.data_type == "n" for c in first[3:6])
    assert ws.cell(header + 2, 8).value is None  # an empty note stays empty


def test_estimate_export_through_the_view_writes_a_hyperlink_line_as_text(
    client, drafter, estimate, annual_plan
):
    lines = _lines(annual_plan)
    lines[0] = dataclasses.replace(lines[0], content='=HYPERLINK("http://x.example","Bấm")')
    budgeting.estimate_update(
        user=drafter,
        document_id=estimate.pk,
        version=estimate.version,
        title=estimate.title,
        justification="",
        lines=lines,
    )
    client.force_login(drafter)
    ws = _open(client.get(reverse("budgeting:export", args=[estimate.pk])).content)["DuToan"]
    cell = ws.cell(_find_row(ws, "STT") + 1, 2)
    assert cell.value == '=HYPERLINK("http://x.example","Bấm")' and cell.data_type == "s"


# --- Every message of the import -------------------------------------------------------

MESSAGE_ROWS = BAD_ROWS + [
    [12, "Ứ" * 501, "cái" * 20, 1, 1, None, "", "x" * 501, "", "", "lạc cột"],  # 13
    [13, "Máy", "cái", None, None, None, "recurrent", "", "hardware", ""],  # 14
]


def _in_both_languages(make) -> list[tuple[str, str]]:
    """(Vietnamese, English) for each message `make` gives in each language."""
    answers = []
    for language in ("vi", "en"):
        with translation.override(language):
            answers.append([str(m) for m in make()])
    assert len(answers[0]) == len(answers[1])
    return list(zip(*answers, strict=True))


def test_every_row_message_names_row_and_column_quotes_the_value_and_says_what_to_do():
    def problems():
        return spreadsheets.parse_lines(io.BytesIO(_xlsx(MESSAGE_ROWS)), tasks={})[1]

    messages = _in_both_languages(problems)
    assert len(messages) >= 18
    flaws = [flaw for vi, en in messages for flaw in message_flaws(vi, en)]
    assert not flaws, "\n".join(flaws)
    for vi, en in messages:
        assert re.match(r"Dòng \d+, cột [A-K]( \(.+\))?: ", vi), vi
        assert re.match(r"Row \d+, [A-K]( \(.+\))?: ", en), en
    english = "\n".join(en for _vi, en in messages)
    for typed in ("“-3”", "“1,5”", "“một trăm”", "“Vốn ODA”", "“Chi khác lạ”", "“lạc cột”"):
        assert typed in english  # the value refused is quoted, numbers the reader's way
    assert "10.000.000.000.000.000" in english and "10000000000000000" not in english
    assert "Row 13, B (Nội dung): has 501 characters: shorten it to at most 500." in english


def _refused_by(call) -> str:
    with pytest.raises(spreadsheets.SpreadsheetRefused) as refused:
        call()
    return refused.value.message


def _parse(data: bytes, name="du-toan.xlsx"):
    return lambda: spreadsheets.parse_lines(_upload(data, name), tasks={})


def test_every_refusal_of_a_whole_file_says_what_to_do_in_both_languages(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_LINES", 1000)
    good = [GOOD_ROWS[1]]
    formula = [1, "Máy tính", "bộ", 2, 1000, "=D2*E2", "recurrent", "", "hardware"]
    cases = {
        "not xlsx": _parse(b"STT;Noi dung\n", "du-toan.csv"),
        "too large": lambda: spreadsheets.check_size(int(5.5 * 1024 * 1024)),
        "formulas": _parse(_xlsx([formula] * 1200)),
        "wrong sheet": _parse(_xlsx(good, sheet="Sheet1")),
        "wrong header": _parse(_xlsx(good, header=["STT", "Tên"] + HEADER[2:])),
        "no lines": _parse(_xlsx([])),
        "too many lines": _parse(_xlsx(good * 1001)),
    }
    shown = {}
    for case, call in cases.items():
        ((vi, en),) = _in_both_languages(lambda call=call: [_refused_by(call)])
        assert not message_flaws(vi, en), (case, vi, en)
        shown[case] = vi
    assert "1.200 ô chứa công thức" in shown["formulas"]
    assert "hơn 1.000 dòng" in shown["too many lines"]
    assert "5,5 MB" in shown["too large"] and "tối đa 5 MB" in shown["too large"]

"""Budget estimates as XLSX: the export in the familiar layout, the import template, and
the import itself.

The sheet is Vietnamese whatever the interface language (its header row is what the
import recognises); messages to the person — refusals and row problems — are in their
language. The import never saves anything: it returns the rows and every problem found,
and the caller saves through `services.estimate_update` only when there is none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planning.models import FundingSource
from workflows import exports, xlsx_import

from .models import ExpenseCategory
from .services import COLUMN_LABELS, MAX_LINES, LineRow, RowProblem, shown_value, validate_lines

SHEET = "DuToan"
GUIDE_SHEET = "HuongDan"
AGENCY = "ỦY BAN DÂN TỘC"  # as on the printed documents (templates/workflows/print.html)
TOTAL_LABEL = "TỔNG CỘNG"
CONTENT_TYPE = exports.XLSX_CONTENT_TYPE

MAX_BYTES = xlsx_import.MAX_BYTES
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class _Column:
    header: str
    field: str  # LineRow attribute, or a COLUMN_LABELS key for problems
    width: int


COLUMNS = (
    _Column("STT", "", 6),
    _Column("Nội dung", "content", 48),
    _Column("Đơn vị tính", "unit", 14),
    _Column("Số lượng", "quantity", 12),
    _Column("Đơn giá", "unit_price", 18),
    _Column("Thành tiền", "amount", 20),
    _Column("Nguồn vốn", "funding_source", 24),
    _Column("Ghi chú", "note", 30),
    _Column("Loại chi", "expense_category", 36),
    _Column("Nhiệm vụ kế hoạch", "plan_task", 40),
)
HEADERS = tuple(c.header for c in COLUMNS)
_INDEX = {c.field: i for i, c in enumerate(COLUMNS) if c.field}
_MONEY_COLUMNS = ("quantity", "unit_price", "amount")


# --- Export ---------------------------------------------------------------------------

_BOLD = Font(bold=True)
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:  # a code no longer known: show it as stored
        return code or ""


def _set_widths(ws) -> None:
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width


def _write_header(ws, row: int) -> None:
    for i, header in enumerate(HEADERS, start=1):
        cell = exports.xlsx_put(ws, row=row, column=i, value=header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def export_estimate(document, content: dict[str, Any]) -> bytes:
    """The estimate of `content` (a snapshot: the signed revision's for an issued
    estimate) as one sheet "DuToan": title block, lines, total, subtotals by source."""
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET
        _set_widths(ws)
        exports.xlsx_append(ws, [AGENCY])
        ws["A1"].font = _BOLD
        exports.xlsx_append(ws, [content.get("title") or document.title])
        ws["A2"].font = Font(bold=True, size=14)
        year = content.get("fields", {}).get("year") or document.year
        exports.xlsx_append(ws, [f"Năm {year}"])
        if document.number_text:
            exports.xlsx_append(ws, [f"Số: {document.number_text}"])
            if document.issued_on:
                exports.xlsx_append(ws, [f"Ngày ban hành: {document.issued_on:%d/%m/%Y}"])
        else:
            exports.xlsx_append(ws, [f"Trạng thái: {document.get_state_display()} (chưa ban hành)"])
        ws.append([])
        header_row = ws.max_row + 1
        _write_header(ws, header_row)
        ws.freeze_panes = f"A{header_row + 1}"

        rows = content.get("tables", {}).get("lines", [])
        by_source: dict[str, int] = defaultdict(int)
        total = 0
        for n, line in enumerate(rows, start=1):
            amount = int(line["amount"])
            total += amount
            by_source[line["funding_source"]] += amount
            exports.xlsx_append(
                ws,
                [
                    n,
                    line["content"],
                    line["unit"],
                    int(line["quantity"]),
                    int(line["unit_price"]),
                    amount,
                    _label(FundingSource, line["funding_source"]),
                    line.get("note", ""),
                    _label(ExpenseCategory, line["expense_category"]),
                    line.get("plan_task", ""),
                ],
            )
        last = ws.max_row
        for column in _MONEY_COLUMNS:
            index = _INDEX[column] + 1
            for (cell,) in ws.iter_rows(
                min_row=header_row + 1, max_row=last, min_col=index, max_col=index
            ):
                cell.number_format = MONEY_FORMAT
        exports.xlsx_put(ws, row=last + 1, column=2, value=TOTAL_LABEL).font = _BOLD
        total_cell = exports.xlsx_put(ws, row=last + 1, column=_INDEX["amount"] + 1, value=total)
        total_cell.font = _BOLD
        total_cell.number_format = MONEY_FORMAT
        exports.xlsx_put(ws, row=last + 2, column=2, value="Trong đó:")
        for offset, (code, label) in enumerate(FundingSource.choices, start=3):
            exports.xlsx_put(ws, row=last + offset, column=2, value=f"- {label}")
            cell = exports.xlsx_put(
                ws, row=last + offset, column=_INDEX["amount"] + 1, value=by_source[code]
            )
            cell.number_format = MONEY_FORMAT
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{header_row}:{header_row}"
        return exports.xlsx_bytes(wb)


GUIDE = (
    "Hướng dẫn nhập các dòng dự toán từ tệp XLSX",
    "",
    "1. Ghi mỗi dòng dự toán vào một hàng của trang “DuToan”, ngay dưới hàng tiêu đề; "
    "không đổi tên trang, không sửa, thêm hay bớt cột của hàng tiêu đề.",
    "2. Nhập giá trị, không dùng công thức: tệp có ô chứa công thức sẽ bị từ chối "
    "(sao chép rồi dán dạng giá trị nếu cần).",
    "3. Số lượng và Đơn giá là số nguyên (đồng), không âm, không có phần thập phân; "
    "có thể viết 1500000 hoặc 1.500.000. Số lượng từ 1 trở lên.",
    "4. Thành tiền do hệ thống tính = Số lượng × Đơn giá; giá trị ghi ở cột này không được "
    "dùng. Mỗi dòng và tổng dự toán tối đa 10^15 đồng.",
    "5. Nguồn vốn và Loại chi: ghi một trong các giá trị dưới đây (hoặc mã của nó).",
    "6. Nhiệm vụ kế hoạch: tên đúng như trong kế hoạch năm của dự toán; có thể để trống.",
    "7. STT không bắt buộc. Hàng trống được bỏ qua. Hàng “TỔNG CỘNG” và các hàng dưới nó "
    "không được nhập (để có thể nhập lại tệp đã xuất).",
    f"8. Tối đa {MAX_LINES:,} dòng, tệp tối đa {MAX_BYTES // (1024 * 1024)} MB.".replace(",", "."),
    "9. Các dòng trong tệp thay thế toàn bộ các dòng hiện có của dự toán. Nếu có dòng sai, "
    "không dòng nào được lưu và hệ thống liệt kê từng lỗi (hàng, cột, lý do).",
)


def template_xlsx() -> bytes:
    """The import template: "DuToan" with the header row only, and "HuongDan" with the
    allowed values of Nguồn vốn and Loại chi."""
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET
        _set_widths(ws)
        _write_header(ws, 1)
        ws.freeze_panes = "A2"

        guide = wb.create_sheet(GUIDE_SHEET)
        guide.column_dimensions["A"].width = 48
        guide.column_dimensions["B"].width = 16
        for text in GUIDE:
            exports.xlsx_append(guide, [text])
        guide["A1"].font = Font(bold=True, size=13)
        lists = {}
        for title, choices in (
            ("Nguồn vốn", FundingSource.choices),
            ("Loại chi", ExpenseCategory.choices),
        ):
            guide.append([])
            guide.append([title, "Mã"])
            guide.cell(row=guide.max_row, column=1).font = _BOLD
            guide.cell(row=guide.max_row, column=2).font = _BOLD
            start = guide.max_row + 1
            for code, label in choices:
                exports.xlsx_append(guide, [label, code])
            lists[title] = f"'{GUIDE_SHEET}'!$A${start}:$A${guide.max_row}"
        # Drop-down lists; other entries (e.g. the codes) only draw a warning.
        for title, column in (("Nguồn vốn", "funding_source"), ("Loại chi", "expense_category")):
            letter = get_column_letter(_INDEX[column] + 1)
            validation = DataValidation(
                type="list", formula1=f"={lists[title]}", allow_blank=True, errorStyle="warning"
            )
            validation.add(f"{letter}2:{letter}{MAX_LINES + 1}")
            ws.add_data_validation(validation)
        return exports.xlsx_bytes(wb)


# --- Import ---------------------------------------------------------------------------


# The file-level checks and the reading of rows are every import's (workflows.xlsx_import).
def _layout() -> xlsx_import.Layout:
    # Built when an import runs, so a test may lower MAX_LINES.
    return xlsx_import.Layout(
        sheet=SHEET, headers=HEADERS, max_rows=MAX_LINES, total_label=TOTAL_LABEL
    )


SpreadsheetRefused = xlsx_import.SpreadsheetRefused
check_size = xlsx_import.check_size
_key = xlsx_import.key
_text = xlsx_import.text
_number = xlsx_import.number


def _column_name(index: int) -> str:
    return xlsx_import.column_name(_layout(), index)


def _choices_lookup(choices_class) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in choices_class.choices:
        lookup[_key(code)] = code
        for language in ("en", "vi"):
            with translation.override(language):
                lookup[_key(str(label))] = code
    return lookup


def parse_lines(file, *, tasks: dict[str, str]) -> tuple[list[LineRow], list[RowProblem]]:
    """The lines of an XLSX file made from the template, and every problem of every row
    (row numbers as in the spreadsheet). `tasks` maps the annual plan's task names to
    their uids. Raises SpreadsheetRefused when the file as a whole cannot be read."""
    layout = _layout()
    data = xlsx_import.read_rows(file, layout)

    sources = _choices_lookup(FundingSource)
    categories = _choices_lookup(ExpenseCategory)
    task_uids = {_key(name): str(uid) for name, uid in tasks.items()}
    rows: list[LineRow] = []
    problems: list[RowProblem] = []
    reported: set[tuple[int, str]] = set()

    def bad(number: int, field: str, reason: str) -> None:
        problems.append(RowProblem(number, _column_name(_INDEX[field]), reason))
        reported.add((number, field))

    for number, values in data:

        def cell(field: str, values=values) -> Any:
            return values[_INDEX[field]]

        source_text = _text(cell("funding_source"))
        source = sources.get(_key(source_text), source_text)
        if source_text and _key(source_text) not in sources:
            bad(
                number,
                "funding_source",
                _("“%(value)s” is not a funding source: write one of %(allowed)s.")
                % {"value": source_text, "allowed": _allowed(FundingSource)},
            )
        category_text = _text(cell("expense_category"))
        category = categories.get(_key(category_text), category_text)
        if category_text and _key(category_text) not in categories:
            bad(
                number,
                "expense_category",
                _("“%(value)s” is not an expense category: write one of %(allowed)s.")
                % {"value": category_text, "allowed": _allowed(ExpenseCategory)},
            )
        task_name = _text(cell("plan_task"))
        task_uid = task_uids.get(_key(task_name)) if task_name else None
        if task_name and task_uid is None:
            bad(
                number,
                "plan_task",
                _(
                    "the annual plan has no task named “%(value)s”: write the name exactly as "
                    "in the plan, or leave the cell empty."
                )
                % {"value": task_name},
            )
        problems += xlsx_import.outside_columns(layout, number, values, shown_value)
        rows.append(
            LineRow(
                content=_text(cell("content")),
                expense_category=category,
                funding_source=source,
                quantity=_number(cell("quantity")),
                unit=_text(cell("unit")),
                unit_price=_number(cell("unit_price")),
                plan_task_uid=task_uid,
                note=_text(cell("note")),
            )
        )

    # The field rules are the edit form's: validate_lines numbers rows from first_row on;
    # empty rows were skipped, so number them by position and map back to sheet rows.
    fields = {str(label): field for field, label in COLUMN_LABELS.items()}
    for problem in validate_lines(rows, task_uids=set(task_uids.values()), first_row=0):
        number = data[problem.row][0]
        field = fields.get(problem.column, "")
        if (number, field) in reported:
            continue
        column = _column_name(_INDEX[field]) if field in _INDEX else problem.column
        problems.append(RowProblem(number, column, problem.reason))
    problems.sort(key=lambda p: (p.row, p.column))
    return rows, problems


def _allowed(choices_class) -> str:
    with translation.override("vi"):
        return ", ".join(f"“{label}”" for label in choices_class.labels)

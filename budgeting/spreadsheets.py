"""Budget estimates as XLSX: the export in the familiar layout, the import template, and
the import itself.

The sheet is Vietnamese whatever the interface language (its header row is what the
import recognises); messages to the person — refusals and row problems — are in their
language. The import never saves anything: it returns the rows and every problem found,
and the caller saves through `services.estimate_update` only when there is none.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from organisation.text import nfc
from planning.models import FundingSource
from workflows import exports, imports
from workflows.formatting import grouped

from .models import ExpenseCategory
from .services import COLUMN_LABELS, MAX_LINES, LineRow, validate_lines

RowProblem, shown_value = imports.RowProblem, imports.shown_value

SHEET = "DuToan"
GUIDE_SHEET = "HuongDan"
AGENCY = "ỦY BAN DÂN TỘC"  # as on the printed documents (templates/workflows/print.html)
TOTAL_LABEL = "TỔNG CỘNG"
CONTENT_TYPE = exports.XLSX_CONTENT_TYPE

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB zip can unpack to gigabytes; a real 20,000-line sheet unpacks to about 10 MB.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# The header row is looked for in the first rows, so an exported estimate (title block
# above its header) can be imported back as well as the template (header in row 1).
HEADER_SEARCH_ROWS = 20
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


# The whole file is refused: its message says why (shared with every import).
SpreadsheetRefused = imports.ImportRefused


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


def _key(text: str) -> str:
    """For comparing labels: NFC, case-folded, single spaces."""
    return " ".join(nfc(text).casefold().split())


def _choices_lookup(choices_class) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in choices_class.choices:
        lookup[_key(code)] = code
        for language in ("en", "vi"):
            with translation.override(language):
                lookup[_key(str(label))] = code
    return lookup


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+")


def _number(value: Any) -> Any:
    """Whole numbers as they come from a cell: ints, integral floats, and text such as
    '1500000' or '1.500.000' (dots between thousands). Anything else is returned as it
    is, for validate_lines to refuse (1.5, '1,5', 'một trăm', dates…)."""
    if isinstance(value, str):
        text = value.strip()
        if _GROUPED.fullmatch(text):
            return int(text.replace(".", ""))
        return text
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_name(index: int) -> str:
    """'D (Số lượng)': the letter the person sees in Excel and the header above it."""
    letter = get_column_letter(index + 1)
    return f"{letter} ({COLUMNS[index].header})" if index < len(COLUMNS) else letter


def _refuse_not_xlsx() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "This file is not an XLSX workbook. Save the spreadsheet as “Excel Workbook "
            "(.xlsx)” — not .xls, .csv or .ods — and import it again."
        )
    )


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise SpreadsheetRefused(
            _(
                "The file is %(size)s MB; at most %(max)s MB can be imported: remove pictures "
                "and other sheets from it, or copy the lines into the template."
            )
            % {
                "size": number_format(size / (1024 * 1024), 1, force_grouping=True),
                "max": grouped(MAX_BYTES // (1024 * 1024)),
            }
        )


def _open_workbook(file):
    name = getattr(file, "name", "") or ""
    if name and not str(name).lower().endswith(".xlsx"):
        raise _refuse_not_xlsx()
    check_size(imports.file_size(file))
    file.seek(0)
    if not zipfile.is_zipfile(file):
        raise _refuse_not_xlsx()
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            unpacked = sum(e.file_size for e in entries)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse_not_xlsx() from None
    if "xl/workbook.xml" not in names:
        raise _refuse_not_xlsx()
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetRefused(
            _(
                "The file unpacks to more than %(max)s MB: it cannot be a budget estimate. "
                "Copy the lines into the template and import that file."
            )
            % {"max": grouped(MAX_UNPACKED_BYTES // (1024 * 1024))}
        )
    file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise _refuse_not_xlsx() from None


def _find_sheet(workbook):
    for name in workbook.sheetnames:
        if _key(name) == _key(SHEET) and hasattr(workbook[name], "iter_rows"):
            return workbook[name]  # (a chart sheet of that name has no cells)
    raise SpreadsheetRefused(
        _(
            "The workbook has no sheet named “%(sheet)s” (it has: %(sheets)s). Use the "
            "template, or rename the sheet that holds the lines to “%(sheet)s”."
        )
        % {"sheet": SHEET, "sheets": ", ".join(workbook.sheetnames)}
    )


def _refuse_header() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The sheet “%(sheet)s” has no header row matching the template. Its header "
            "row must read, from column A: %(header)s. Download the template and copy the "
            "lines into it."
        )
        % {"sheet": SHEET, "header": " | ".join(HEADERS)}
    )


_HEADER_KEYS = tuple(_key(h) for h in HEADERS)


def _is_header(values: list[Any]) -> bool:
    keys = [_key(_text(v)) for v in values]
    keys += [""] * (len(HEADERS) - len(keys))
    return tuple(keys[: len(HEADERS)]) == _HEADER_KEYS and not any(keys[len(HEADERS) :])


def _refuse_formulas(cells: list[str], count: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        ngettext(
            "%(count)s cell holds a formula (%(cells)s). Only values can be imported: copy "
            "the cells and paste them as values, then import the file again.",
            "%(count)s cells hold formulas (first: %(cells)s). Only values can be "
            "imported: copy the cells and paste them as values, then import the file again.",
            count,
        )
        % {"count": grouped(count), "cells": ", ".join(cells)}
    )


def _read_rows(sheet) -> tuple[int, list[tuple[int, list[Any]]]]:
    """(header row number, [(row number, values)]) of the non-empty rows under the
    header, down to the TỔNG CỘNG row; refuses formulas anywhere in the sheet."""
    sheet.reset_dimensions()  # some writers record a wrong sheet size: read every row
    header_row = 0
    data: list[tuple[int, list[Any]]] = []
    formulas: list[str] = []
    formula_count = 0
    ended = False
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = []
        for index, cell in enumerate(cells):
            if cell.data_type == "f":
                formula_count += 1
                if len(formulas) < 5:
                    formulas.append(f"{get_column_letter(index + 1)}{number}")
            values.append(cell.value)
        if formula_count or ended:
            continue  # only formulas matter from here on
        if not header_row:
            if _is_header(values):
                header_row = number
            elif number >= HEADER_SEARCH_ROWS:
                raise _refuse_header()
            continue
        if all(_blank(v) for v in values):
            continue
        if _key(_text(values[1] if len(values) > 1 else None)) == _key(TOTAL_LABEL) and _blank(
            values[0]
        ):
            ended = True
            continue
        data.append((number, values))
        if len(data) > MAX_LINES:
            raise SpreadsheetRefused(
                _(
                    "The sheet has more than %(max)s lines; at most %(max)s can be imported: "
                    "remove or merge lines."
                )
                % {"max": grouped(MAX_LINES)}
            )
    if formula_count:
        raise _refuse_formulas(formulas, formula_count)
    if not header_row:
        raise _refuse_header()
    if not data:
        raise SpreadsheetRefused(
            _(
                "The sheet “%(sheet)s” has no lines under its header row: nothing to import. "
                "Write the lines in the rows under the header, then import the file again."
            )
            % {"sheet": SHEET}
        )
    return header_row, data


def parse_lines(file, *, tasks: dict[str, str]) -> tuple[list[LineRow], list[RowProblem]]:
    """The lines of an XLSX file made from the template, and every problem of every row
    (row numbers as in the spreadsheet). `tasks` maps the annual plan's task names to
    their uids. Raises SpreadsheetRefused when the file as a whole cannot be read."""
    workbook = _open_workbook(file)
    try:
        _header_row, data = _read_rows(_find_sheet(workbook))
    finally:
        workbook.close()

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
        values = values + [None] * (len(COLUMNS) - len(values))

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
        for index in range(len(COLUMNS), len(values)):
            if not _blank(values[index]):
                problems.append(
                    RowProblem(
                        number,
                        _column_name(index),
                        _(
                            "“%(value)s” is outside the template's columns: move the value "
                            "into its column or remove it."
                        )
                        % {"value": shown_value(values[index])},
                    )
                )
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

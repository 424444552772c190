"""Digitisation batches as XLSX: the import template, the import itself (the file
checks and the reading of rows are workflows.xlsx_import's, the same as the estimate
import's), and the progress export.

The sheet is Vietnamese whatever the interface language; messages are in the person's.
Nothing is saved here: the caller registers the rows through
`services.batches_register` only when no row has a problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from organisation.models import Unit
from planning.models import PlanTask
from workflows import exports, xlsx_import
from workflows.formatting import grouped
from workflows.xlsx_import import RowProblem, SpreadsheetRefused, key, text

from . import selectors
from .services import MAX_BATCHES, BatchRow, clean_row, validate_batch

SHEET = "SoHoa"
GUIDE_SHEET = "HuongDan"
CONTENT_TYPE = exports.XLSX_CONTENT_TYPE
MAX_BYTES = xlsx_import.MAX_BYTES

# (header, BatchRow field / validate_batch field, width)
COLUMNS = (
    ("STT", "", 6),
    ("Phông lưu trữ, loạt tài liệu", "fonds", 44),
    ("Đơn vị", "unit", 24),
    ("Từ ngày", "period_from", 12),
    ("Đến ngày", "period_to", 12),
    ("Số văn bản", "documents", 12),
    ("Số trang", "pages", 12),
    ("Người thực hiện", "performed_by", 28),
    ("Nhiệm vụ kế hoạch", "plan_task", 48),
)
HEADERS = tuple(c[0] for c in COLUMNS)
_INDEX = {field: i for i, (_h, field, _w) in enumerate(COLUMNS) if field}
TASK_CODE = "NV{pk}"

__all__ = ["SpreadsheetRefused", "check_size", "parse_batches", "template_xlsx"]
check_size = xlsx_import.check_size


def layout() -> xlsx_import.Layout:
    return xlsx_import.Layout(sheet=SHEET, headers=HEADERS, max_rows=MAX_BATCHES)


# --- Template -------------------------------------------------------------------------

GUIDE = (
    "Hướng dẫn nhập các lô số hóa từ tệp XLSX",
    "",
    "1. Ghi mỗi lô vào một hàng của trang “SoHoa”, ngay dưới hàng tiêu đề; không đổi tên "
    "trang, không sửa, thêm hay bớt cột của hàng tiêu đề.",
    "2. Nhập giá trị, không dùng công thức: tệp có ô chứa công thức sẽ bị từ chối.",
    "3. Đơn vị: mã hoặc tên đơn vị như trong danh sách dưới đây.",
    "4. Từ ngày, Đến ngày: thời gian của tài liệu trong lô, dạng dd/mm/yyyy; Từ ngày không "
    "sau Đến ngày.",
    "5. Số văn bản và Số trang là số nguyên không âm; số trang không ít hơn số văn bản.",
    "6. Nhiệm vụ kế hoạch: mã (NV…) hoặc tên đúng như trong danh sách dưới đây (nhiệm vụ số "
    "hóa của kế hoạch đã ban hành).",
    f"7. Tối đa {grouped(MAX_BATCHES)} lô, tệp tối đa {MAX_BYTES // (1024 * 1024)} MB. Hàng "
    "trống được bỏ qua.",
    "8. Nếu có hàng sai, không lô nào được lưu và hệ thống liệt kê từng lỗi (hàng, cột, lý do).",
)


def _header(ws) -> None:
    for i, (header, _field, width) in enumerate(COLUMNS, start=1):
        exports.xlsx_put(ws, row=1, column=i, value=header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def template_xlsx(*, units: Iterable[Unit], tasks: Iterable[PlanTask]) -> bytes:
    """ "SoHoa" with the header row only, and "HuongDan" with the rules, the units and the
    tasks a batch may deliver (with their codes)."""
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET
        _header(ws)
        guide = wb.create_sheet(GUIDE_SHEET)
        guide.column_dimensions["A"].width = 70
        guide.column_dimensions["B"].width = 16
        for line in GUIDE:
            exports.xlsx_append(guide, [line])
        guide["A1"].font = Font(bold=True, size=13)
        guide.append([])
        exports.xlsx_append(guide, ["Đơn vị", "Mã"])
        for unit in units:
            exports.xlsx_append(guide, [unit.name_vi, unit.code])
        guide.append([])
        exports.xlsx_append(guide, ["Nhiệm vụ kế hoạch", "Mã"])
        for task in tasks:
            exports.xlsx_append(guide, [selectors.task_label(task), TASK_CODE.format(pk=task.pk)])
        return exports.xlsx_bytes(wb)


# --- Import ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookups:
    """What the cells may name: units by code or name, tasks by code or (unique) name."""

    units: dict[str, int]
    tasks: dict[str, int]
    ambiguous_tasks: frozenset[str]
    unit_ids: frozenset[int]
    task_ids: frozenset[int]


def lookups(units: Iterable[Unit], tasks: Iterable[PlanTask]) -> Lookups:
    unit_map: dict[str, int] = {}
    unit_ids = set()
    for unit in units:
        unit_ids.add(unit.pk)
        for name in (unit.code, unit.name_vi, unit.name_en):
            unit_map[key(name)] = unit.pk
    task_map: dict[str, int] = {}
    by_name: dict[str, set[int]] = {}
    task_ids = set()
    for task in tasks:
        task_ids.add(task.pk)
        task_map[key(TASK_CODE.format(pk=task.pk))] = task.pk
        by_name.setdefault(key(task.name), set()).add(task.pk)
    ambiguous = frozenset(name for name, pks in by_name.items() if len(pks) > 1)
    for name, pks in by_name.items():
        if len(pks) == 1:
            task_map.setdefault(name, next(iter(pks)))
    return Lookups(unit_map, task_map, ambiguous, frozenset(unit_ids), frozenset(task_ids))


def _date(value: Any) -> dt.date | None:
    """A cell's date: a date cell, or text dd/mm/yyyy (d/m/yyyy too). None otherwise."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return None
        value = value.date()
    if isinstance(value, dt.date):
        return value if 1900 <= value.year <= 2100 else None
    if isinstance(value, str):
        parts = value.strip().split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            try:
                day = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
            return day if 1900 <= day.year <= 2100 else None
    return None


def shown(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return text(value)[:60]


def parse_row(number: int, values: list[Any], found: Lookups) -> tuple[BatchRow, list[RowProblem]]:
    """One row of the sheet (padded to the template's width): the batch it describes and
    each of its problems, with the row and the column named as Excel shows them."""
    grid = layout()
    problems: list[RowProblem] = []
    reported: set[str] = set()

    def bad(field: str, reason: str) -> None:
        problems.append(RowProblem(number, xlsx_import.column_name(grid, _INDEX[field]), reason))
        reported.add(field)

    def cell(field: str) -> Any:
        return values[_INDEX[field]]

    unit_text = text(cell("unit"))
    unit_id = found.units.get(key(unit_text))
    if unit_text and unit_id is None:
        bad(
            "unit",
            _("“%(value)s” is not a unit: write its code or name as in the sheet “%(sheet)s”.")
            % {"value": unit_text[:60], "sheet": GUIDE_SHEET},
        )
    dates = {}
    for field in ("period_from", "period_to"):
        raw = cell(field)
        dates[field] = _date(raw)
        if not xlsx_import.blank(raw) and dates[field] is None:
            bad(
                field,
                _("“%(value)s” is not a date: write it as dd/mm/yyyy, for example 15/03/2026.")
                % {"value": shown(raw)},
            )
    task_text = text(cell("plan_task"))
    task_id = found.tasks.get(key(task_text))
    if task_text and key(task_text) in found.ambiguous_tasks:
        bad(
            "plan_task",
            _(
                "Several plans have a task named “%(value)s”: write its code (NV…) from the "
                "sheet “%(sheet)s”."
            )
            % {"value": task_text[:60], "sheet": GUIDE_SHEET},
        )
    elif task_text and task_id is None:
        bad(
            "plan_task",
            _(
                "“%(value)s” is not a digitisation task of an issued plan: write its code or "
                "name as in the sheet “%(sheet)s”."
            )
            % {"value": task_text[:60], "sheet": GUIDE_SHEET},
        )
    row = clean_row(
        BatchRow(
            fonds=text(cell("fonds")),
            unit_id=unit_id,
            period_from=dates["period_from"],
            period_to=dates["period_to"],
            documents=xlsx_import.number(cell("documents")),
            pages=xlsx_import.number(cell("pages")),
            performed_by=text(cell("performed_by")),
            plan_task_id=task_id,
        )
    )
    for field, reason in validate_batch(
        row, unit_ids=set(found.unit_ids), task_ids=set(found.task_ids)
    ):
        if field not in reported:
            bad(field, reason)
    problems += xlsx_import.outside_columns(grid, number, values, shown)
    problems.sort(key=lambda p: p.column)
    return row, problems


def parse_batches(file, *, found: Lookups) -> tuple[list[BatchRow], list[RowProblem]]:
    """The batches of an XLSX file made from the template and every problem of every row
    (rows numbered as in the spreadsheet). Raises SpreadsheetRefused when the file as a
    whole cannot be read."""
    rows: list[BatchRow] = []
    problems: list[RowProblem] = []
    for number, values in xlsx_import.read_rows(file, layout()):
        row, row_problems = parse_row(number, values, found)
        rows.append(row)
        problems += row_problems
    return rows, problems


# --- Progress export ------------------------------------------------------------------


def progress_xlsx(*, by_unit: list[dict], by_task: list[dict], period: str) -> bytes:
    """The progress page's two tables, as they are on the page."""
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        ws.title = "TheoDonVi"
        exports.xlsx_append(ws, ["Tiến độ số hóa theo đơn vị", period])
        exports.xlsx_append(ws, PROGRESS_HEADERS)
        for row in by_unit:
            exports.xlsx_append(ws, [row["label"], *(row["figures"][f] for f in PROGRESS_FIGURES)])
        tasks = wb.create_sheet("TheoNhiemVu")
        exports.xlsx_append(tasks, ["Tiến độ số hóa theo nhiệm vụ kế hoạch", period])
        exports.xlsx_append(tasks, ["Nhiệm vụ kế hoạch", *PROGRESS_HEADERS[1:]])
        for row in by_task:
            exports.xlsx_append(
                tasks, [row["label"], *(row["figures"][f] for f in PROGRESS_FIGURES)]
            )
        for sheet in (ws, tasks):
            sheet.column_dimensions["A"].width = 48
        return exports.xlsx_bytes(wb)


PROGRESS_FIGURES = (
    "documents",
    "target_documents",
    "pages",
    "target_pages",
    "batches_accepted",
    "batches_rejected",
    "documents_rejected",
    "pages_rejected",
)
PROGRESS_HEADERS = (
    "Đơn vị",
    "Số văn bản đã số hóa",
    "Chỉ tiêu văn bản",
    "Số trang đã số hóa",
    "Chỉ tiêu trang",
    "Số lô được chấp nhận",
    "Số lô bị trả lại",
    "Số văn bản bị trả lại",
    "Số trang bị trả lại",
)

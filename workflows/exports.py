"""Every CSV and XLSX the application hands out is written through this module, so that
what a person typed can never run as a formula in the reader's spreadsheet program.

Spreadsheet programs treat a cell that starts with = + - @ (and, after a tab or a carriage
return, the same) as a formula: a document title such as `=HYPERLINK("http://…")`
would become a live link, or worse, in the Excel of whoever opens the export (OWASP "CSV
injection"). The rules, for all exports:

- text is always text. In XLSX it is stored as a string cell (never a formula) with the
  quote prefix set, so Excel shows it exactly as typed and does not turn it into a formula
  when the cell is edited. CSV has no cell types, so text that starts like a formula is
  written with a leading apostrophe, as OWASP recommends (Excel hides it on display);
- numbers and dates stay numbers and dates: XLSX cells are numeric or date cells (dates
  shown dd/mm/yyyy); CSV writes decimals the Vietnamese way (100,0, no thousands dots)
  and dates dd/mm/yyyy, which is how Excel reads them on the Committee's computers;
- empty stays empty: None and "" are empty cells, never an apostrophe.

Use `csv_response` / `xlsx_response` for the file, `csv_value` / `xlsx_cell` /
`xlsx_append` / `xlsx_put` for the cells. Both work for openpyxl's write-only workbooks
(large exports) and for ordinary ones (laid-out sheets such as the estimate).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import formats, numberformat, timezone
from django.utils.encoding import force_str
from django.utils.http import content_disposition_header
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

# What makes a spreadsheet program read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
SHEET_TITLE_MAX = 31  # Excel refuses longer sheet names


def looks_like_formula(value: Any) -> bool:
    """Whether `value` is text that a spreadsheet program would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _local(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the Committee's time zone, without tzinfo: Excel has no time
    zones, and the reader expects the time on the office clock."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _plain(value: Any) -> Any:
    """None for an empty value, the value itself for a number or date, text otherwise
    (lazy translations, choices labels and other objects become their text)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    return force_str(value)


# --- CSV ---------------------------------------------------------------------------------


def csv_value(value: Any) -> str | int:
    """`value` as a CSV field that a spreadsheet program reads as it was meant."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        # The decimal comma, and no thousands dots: Excel reads 1500000,5 as a number.
        return numberformat.format(value, formats.get_format("DECIMAL_SEPARATOR"), grouping=0)
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return "'" + value if looks_like_formula(value) else value


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def csv_rows(headers: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterable[str]:
    """The lines of a CSV file, starting with a BOM: Excel then reads the file as UTF-8
    and shows Vietnamese."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([csv_value(v) for v in headers])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Mark `response` as a file to save, named `filename` (non-ASCII names allowed)."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_response(
    filename: str, headers: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download: rows are written as they are produced, so an export of a
    million audit events never sits in memory."""
    response = StreamingHttpResponse(csv_rows(headers, rows), content_type=CSV_CONTENT_TYPE)
    return attachment(response, filename)


# --- XLSX --------------------------------------------------------------------------------


def _assign(cell: Cell, value: Any) -> Cell:
    value = _plain(value)
    formula_like = looks_like_formula(value)
    if isinstance(value, str):
        # openpyxl refuses control characters with an exception: drop them, so a stray
        # character pasted into a comment cannot break an export. XML keeps no bare
        # carriage return: store the line break it stands for, as the reader would see.
        value = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
        value = value or None
    if isinstance(value, dt.datetime):
        value = _local(value)
    cell.value = value
    if formula_like:
        cell.data_type = "s"  # openpyxl would otherwise store text starting with = as a formula
        cell.quotePrefix = True  # and Excel would make one of it when the cell is edited
    elif isinstance(value, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def xlsx_cell(sheet, value: Any) -> Cell:
    """A cell holding `value` by the rules above, to append to `sheet` (write-only or
    not); style it further before appending if needed."""
    return _assign(Cell(sheet, row=1, column=1), value)


def _as_appended(sheet, value: Any) -> Any:
    """What to give `sheet.append` for `value`: plain numbers and harmless text as they
    are (openpyxl makes the cell, the fast path for a million-row export), a prepared
    cell for everything else."""
    kind = type(value)
    if kind is int or kind is float or kind is Decimal or value is None:
        return value
    if kind is str and not (
        value.startswith(FORMULA_TRIGGERS) or "\r" in value or ILLEGAL_CHARACTERS_RE.search(value)
    ):
        return value or None
    return xlsx_cell(sheet, value)


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """Append one row of values to `sheet` (write-only or not)."""
    sheet.append([_as_appended(sheet, v) for v in values])


def xlsx_put(sheet, *, row: int, column: int, value: Any) -> Cell:
    """Write `value` at (row, column) of an ordinary (not write-only) sheet."""
    return _assign(sheet.cell(row=row, column=column), value)


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, workbook) -> HttpResponse:
    """The workbook as an XLSX download."""
    return attachment(HttpResponse(xlsx_bytes(workbook), content_type=XLSX_CONTENT_TYPE), filename)


def xlsx_table(
    filename: str, sheet_title: str, headers: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A one-sheet XLSX download of a table (header row, then rows), built in write-only
    mode so large tables stay cheap."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(force_str(sheet_title)[:SHEET_TITLE_MAX])
    xlsx_append(sheet, headers)
    for row in rows:
        xlsx_append(sheet, row)
    return xlsx_response(filename, workbook)

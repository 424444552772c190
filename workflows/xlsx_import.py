"""Reading an XLSX file made from one of the product's import templates: the checks on
the file as a whole and the reading of its rows, shared by every import (budget
estimate lines, digitisation batches) so that each refuses a bad file in the same words.

An import never saves anything here: it gets the rows under the header (with their row
numbers as the spreadsheet shows them) or a SpreadsheetRefused saying why the whole file
cannot be read; checking each row, and saving only when no row has a problem, is the
importing app's part. A `Layout` says what the template looks like.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from organisation.text import nfc

from . import imports
from .formatting import grouped

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB zip can unpack to gigabytes; a real 20,000-line sheet unpacks to about 10 MB.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# The header row is looked for in the first rows, so an exported sheet (title block
# above its header) can be imported back as well as the template (header in row 1).
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Layout:
    sheet: str  # the sheet's name (compared case-insensitively)
    headers: tuple[str, ...]  # the header row, from column A
    max_rows: int
    # A row whose second cell reads this (and first is empty) ends the data: the total
    # row of an export, so that an export can be imported back.
    total_label: str = ""


# The problem of one cell, and the refusal of a whole file, as every import has them.
RowProblem = imports.RowProblem
SpreadsheetRefused = imports.ImportRefused


# --- Cell values ----------------------------------------------------------------------


def key(text: str) -> str:
    """For comparing labels: NFC, case-folded, single spaces."""
    return " ".join(nfc(text).casefold().split())


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+")


def number(value: Any) -> Any:
    """Whole numbers as they come from a cell: ints, integral floats, and text such as
    '1500000' or '1.500.000' (dots between thousands). Anything else is returned as it
    is, for the importing app's validation to refuse (1.5, '1,5', 'một trăm', dates…)."""
    if isinstance(value, str):
        stripped = value.strip()
        if _GROUPED.fullmatch(stripped):
            return int(stripped.replace(".", ""))
        return stripped
    return value


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_name(layout: Layout, index: int) -> str:
    """'D (Số lượng)': the letter the person sees in Excel and the header above it."""
    letter = get_column_letter(index + 1)
    return f"{letter} ({layout.headers[index]})" if index < len(layout.headers) else letter


def outside_columns(layout: Layout, number_: int, values: list[Any], shown) -> list[RowProblem]:
    """A problem for each value written right of the template's columns."""
    return [
        RowProblem(
            number_,
            column_name(layout, index),
            _(
                "“%(value)s” is outside the template's columns: move the value into its "
                "column or remove it."
            )
            % {"value": shown(values[index])},
        )
        for index in range(len(layout.headers), len(values))
        if not blank(values[index])
    ]


# --- The file -------------------------------------------------------------------------


_size = imports.file_size


def _refuse_not_xlsx() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "This file is not an XLSX workbook. Save the spreadsheet as “Excel Workbook "
            "(.xlsx)” — not .xls, .csv or .ods — and import it again."
        )
    )


def check_size(size: int) -> None:
    """Called by the views before reading a byte of an upload, and again on opening."""
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
    check_size(_size(file))
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
                "The file unpacks to more than %(max)s MB: it cannot be a sheet made from the "
                "template. Copy the lines into the template and import that file."
            )
            % {"max": grouped(MAX_UNPACKED_BYTES // (1024 * 1024))}
        )
    file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise _refuse_not_xlsx() from None


def _find_sheet(workbook, layout: Layout):
    for name in workbook.sheetnames:
        if key(name) == key(layout.sheet) and hasattr(workbook[name], "iter_rows"):
            return workbook[name]  # (a chart sheet of that name has no cells)
    raise SpreadsheetRefused(
        _(
            "The workbook has no sheet named “%(sheet)s” (it has: %(sheets)s). Use the "
            "template, or rename the sheet that holds the lines to “%(sheet)s”."
        )
        % {"sheet": layout.sheet, "sheets": ", ".join(workbook.sheetnames)}
    )


def _refuse_header(layout: Layout) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "The sheet “%(sheet)s” has no header row matching the template. Its header "
            "row must read, from column A: %(header)s. Download the template and copy the "
            "lines into it."
        )
        % {"sheet": layout.sheet, "header": " | ".join(layout.headers)}
    )


def _is_header(values: list[Any], layout: Layout) -> bool:
    width = len(layout.headers)
    keys = [key(text(v)) for v in values]
    keys += [""] * (width - len(keys))
    return tuple(keys[:width]) == tuple(key(h) for h in layout.headers) and not any(keys[width:])


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


def _ends_data(values: list[Any], layout: Layout) -> bool:
    if not layout.total_label or not blank(values[0] if values else None):
        return False
    return key(text(values[1] if len(values) > 1 else None)) == key(layout.total_label)


def _read_rows(sheet, layout: Layout) -> list[tuple[int, list[Any]]]:
    """[(row number, values)] of the non-empty rows under the header, down to the total
    row if the layout has one; refuses formulas anywhere in the sheet."""
    sheet.reset_dimensions()  # some writers record a wrong sheet size: read every row
    header_row = 0
    data: list[tuple[int, list[Any]]] = []
    formulas: list[str] = []
    formula_count = 0
    ended = False
    for number_, cells in enumerate(sheet.iter_rows(), start=1):
        values = []
        for index, cell in enumerate(cells):
            if cell.data_type == "f":
                formula_count += 1
                if len(formulas) < 5:
                    formulas.append(f"{get_column_letter(index + 1)}{number_}")
            values.append(cell.value)
        if formula_count or ended:
            continue  # only formulas matter from here on
        if not header_row:
            if _is_header(values, layout):
                header_row = number_
            elif number_ >= HEADER_SEARCH_ROWS:
                raise _refuse_header(layout)
            continue
        if all(blank(v) for v in values):
            continue
        if _ends_data(values, layout):
            ended = True
            continue
        data.append((number_, values))
        if len(data) > layout.max_rows:
            raise SpreadsheetRefused(
                _(
                    "The sheet has more than %(max)s lines; at most %(max)s can be imported: "
                    "remove or merge lines."
                )
                % {"max": grouped(layout.max_rows)}
            )
    if formula_count:
        raise _refuse_formulas(formulas, formula_count)
    if not header_row:
        raise _refuse_header(layout)
    if not data:
        raise SpreadsheetRefused(
            _(
                "The sheet “%(sheet)s” has no lines under its header row: nothing to import. "
                "Write the lines in the rows under the header, then import the file again."
            )
            % {"sheet": layout.sheet}
        )
    return data


def read_rows(file, layout: Layout) -> list[tuple[int, list[Any]]]:
    """The rows of data of an uploaded file made from the layout's template, each padded
    to the template's width: [(row number as in the spreadsheet, values)]. Raises
    SpreadsheetRefused when the file as a whole cannot be read."""
    workbook = _open_workbook(file)
    try:
        data = _read_rows(_find_sheet(workbook, layout), layout)
    finally:
        workbook.close()
    width = len(layout.headers)
    return [(n, values + [None] * (width - len(values))) for n, values in data]

"""The export writers every CSV and XLSX goes through: typed text is never a formula,
numbers and dates keep their kind, blanks stay blank — checked by reading the files back
as a spreadsheet program would."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from tests.workflows.helpers import FORMULA_LIKE, read_from_xlsx
from workflows import exports

WHEN = dt.datetime(2026, 3, 15, 1, 2, 3, tzinfo=dt.UTC)  # 08:02:03 in Hà Nội
VALUES = [7, Decimal("1500000"), 12.5, dt.date(2026, 3, 15), WHEN, None, "", "Văn bản"]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _csv(headers, rows) -> list[list[str]]:
    response = exports.csv_response("tep.csv", headers, rows)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel then reads UTF-8
    return list(csv.reader(io.StringIO(body[1:], newline="")))


def _reread(response):
    return load_workbook(io.BytesIO(response.content))["T"]


@pytest.mark.parametrize("typed", FORMULA_LIKE)
def test_csv_value_prefixes_formula_like_text_with_a_quote(typed):
    assert exports.looks_like_formula(typed)
    assert exports.csv_value(typed) == "'" + typed
    assert _csv(["A"], [[typed]])[1] == ["'" + typed]


def test_csv_keeps_numbers_dates_and_blanks():
    assert _csv(["#"], [VALUES])[1] == [
        "7",
        "1500000",
        "12,5",  # the Vietnamese decimal comma, as Excel reads it on the Committee's PCs
        "15/03/2026",
        "15/03/2026 08:02:03",
        "",
        "",  # never "'"
        "Văn bản",
    ]


def test_csv_negative_numbers_stay_numbers():
    assert exports.csv_value(-5) == -5
    assert exports.csv_value(Decimal("-2.5")) == "-2,5"
    assert exports.csv_value(Decimal("1500000.50")) == "1500000,50"  # no thousands dots


@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "ordinary"])
@pytest.mark.parametrize("typed", FORMULA_LIKE)
def test_xlsx_cell_stores_formula_like_text_as_a_string(typed, write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("T")
    exports.xlsx_append(sheet, [typed, f"{typed} again"])
    cell, second = next(_reread(exports.xlsx_response("t.xlsx", workbook)).iter_rows())
    assert cell.value == read_from_xlsx(typed)
    assert cell.data_type == "s"  # never "f"
    assert cell.quotePrefix  # Excel keeps it text when the cell is edited
    assert second.data_type == "s"


@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "ordinary"])
def test_xlsx_keeps_numbers_dates_and_blanks(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("T")
    exports.xlsx_append(sheet, VALUES)
    row = next(_reread(exports.xlsx_response("t.xlsx", workbook)).iter_rows())
    assert [c.value for c in row[:3]] == [7, 1_500_000, 12.5]
    assert all(c.data_type == "n" for c in row[:3])
    assert row[3].is_date and row[3].value == dt.datetime(2026, 3, 15)
    assert row[3].number_format == "dd/mm/yyyy"
    assert row[4].is_date and row[4].value == dt.datetime(2026, 3, 15, 8, 2, 3)
    assert row[4].number_format == "dd/mm/yyyy hh:mm:ss"
    assert [c.value for c in row[5:]] == [None, None, "Văn bản"]  # never "'"
    assert not row[7].quotePrefix


def test_xlsx_put_writes_into_an_ordinary_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "T"
    exports.xlsx_put(sheet, row=2, column=3, value="=1+1")
    exports.xlsx_put(sheet, row=3, column=3, value=-5)
    sheet = _reread(exports.xlsx_response("t.xlsx", workbook))
    assert sheet["C2"].value == "=1+1" and sheet["C2"].data_type == "s"
    assert sheet["C3"].value == -5 and sheet["C3"].data_type == "n"


def test_xlsx_drops_characters_excel_cannot_hold_instead_of_failing():
    response = exports.xlsx_table("t.xlsx", "T", ["A", "B", "C"], [["a\x00b\x1fc", "\x07", 1]])
    assert [c.value for c in next(_reread(response).iter_rows(min_row=2))] == ["abc", None, 1]


def test_xlsx_table_is_a_named_attachment_with_a_header_row():
    response = exports.xlsx_table(
        "nhật-ký.xlsx", "A sheet title longer than Excel's 31 characters", ["H"], [[1]]
    )
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''nh%E1%BA%ADt-k%C3%BD.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["A sheet title longer than Excel"]
    assert [[c.value for c in r] for r in workbook.active.iter_rows()] == [["H"], [1]]


def test_csv_datetimes_are_on_the_office_clock():
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
    assert exports.csv_value(WHEN) == "15/03/2026 08:02:03"

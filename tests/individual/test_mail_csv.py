"""The mail-statistics CSV parser: what a whole file is refused for, every cell problem
with its row and column, formulas, and a fuzz that it never raises anything but a refusal."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from individual import mail_csv
from workflows.imports import ImportRefused

HEADER = "Tài khoản,Đăng nhập lần cuối,Số thư đã gửi\n"
ACCOUNTS = {"an@ubdt.gov.vn": 1, "binh": 2, "chi@ubdt.gov.vn": 3}


def upload(text: str | bytes, name: str = "thong-ke.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def parse(text, **kwargs):
    return mail_csv.parse(
        upload(text, **kwargs), accounts=ACCOUNTS, period_end=dt.date(2026, 12, 31)
    )


def problems_of(text) -> list[tuple[int, str]]:
    return [(p.row, p.column.split(" ")[0]) for p in parse(text)[1]]


def test_a_valid_file_gives_every_row_with_its_person():
    rows, problems = parse(
        HEADER + "an@ubdt.gov.vn,05/03/2026,120\nBINH,2026-11-30,1.250\nchi@ubdt.gov.vn,,0\n"
    )
    assert problems == []
    assert [(r.row, r.person_id, r.last_sign_in, r.messages_sent) for r in rows] == [
        (2, 1, dt.date(2026, 3, 5), 120),
        (3, 2, dt.date(2026, 11, 30), 1250),
        (4, 3, None, 0),
    ]


def test_a_byte_order_mark_semicolons_and_english_headers_are_read():
    text = "\ufeffaccount;last sign-in;messages sent\r\nan@ubdt.gov.vn;2026-01-02T08:30:00;3\r\n"
    rows, problems = parse(text)
    assert problems == [] and rows[0].last_sign_in == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"", "a.csv", "empty"),
        (b"   \n\n", "a.csv", "empty"),
        (b"PK\x03\x04\x00\x00binary", "a.csv", "not a CSV"),
        ("Tài khoản".encode("utf-16"), "a.csv", "not a CSV"),
        (b"\xff\xfe\xfa bad utf-8", "a.csv", "not a CSV"),
        (HEADER.encode(), "a.xlsx", "not a CSV"),
        (b"user,when,count\nan,01/01/2026,1\n", "a.csv", "not the header"),
        (b"Tai khoan,Dang nhap\n", "a.csv", "not the header"),
        (HEADER.encode(), "a.csv", "no rows"),
        (HEADER.encode() + b'"unterminated\n' + b"x" * 200_000, "a.csv", ""),
    ],
)
def test_files_that_cannot_be_statistics_are_refused_whole(data, name, says):
    with pytest.raises(ImportRefused) as refused:
        mail_csv.parse(upload(data, name), accounts=ACCOUNTS)
    assert says in refused.value.message


def test_a_file_too_large_is_refused_before_it_is_read():
    big = HEADER + "an@ubdt.gov.vn,01/01/2026,1\n" * (mail_csv.MAX_BYTES // 20)
    with pytest.raises(ImportRefused, match="larger than 2 MB"):
        parse(big)


def test_every_bad_cell_is_reported_with_its_row_and_column():
    text = HEADER + (
        "an@ubdt.gov.vn,31/02/2026,12\n"  # no such date
        "ai.do@ubdt.gov.vn,01/01/2026,1\n"  # unknown account
        "binh,01/13/2026,mười\n"  # month 13; not a number
        "AN@ubdt.gov.vn,01/01/2026,1\n"  # duplicate (case ignored)
        ",01/01/2026,1.5\n"  # empty account, fraction
        "chi@ubdt.gov.vn,01/01/2027,1,extra\n"  # after the period; extra cell
    )
    assert problems_of(text) == [
        (2, "B"),
        (3, "A"),
        (4, "B"),
        (4, "C"),
        (5, "A"),
        (6, "A"),
        (6, "C"),
        (7, "column"),
        (7, "B"),
    ]
    messages = [str(p) for p in parse(text)[1]]
    assert any("already on row 2" in m for m in messages)
    assert any("not the e-mail address or user name" in m for m in messages)


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", '=HYPERLINK("x")', " =1"])
def test_a_cell_that_starts_like_a_formula_is_refused(cell):
    rows, problems = parse(HEADER + f'an@ubdt.gov.vn,01/01/2026,"{cell}"\n')
    assert rows == []
    assert [(p.row, p.column.split(" ")[0]) for p in problems] == [(2, "C")]
    assert "formula" in problems[0].reason


def test_text_written_as_the_exports_write_formulas_is_read_as_text():
    # workflows/exports.py writes "=x" as "'=x": read back, it is the account "=x".
    rows, problems = mail_csv.parse(upload(HEADER + "'=binh,01/01/2026,1\n"), accounts={"=binh": 7})
    assert problems == [] and rows[0].person_id == 7


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_file():
    assert problems_of(HEADER + "\n,,\nan@ubdt.gov.vn,xx,1\n") == [(4, "B")]


def test_the_template_is_the_header_the_import_reads():
    rows, problems = parse(mail_csv.template_csv().decode("utf-8") + "binh,01/01/2026,0\n")
    assert problems == [] and rows[0].person_id == 2


CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["an@ubdt.gov.vn", "binh", "01/01/2026", "2026-13-01", "=1", "1.000", ""]),
    st.integers(-(10**12), 10**12).map(str),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, max_size=5), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
    header=st.booleans(),
)
def test_any_csv_is_read_or_refused_never_an_error(rows, delimiter, bom, header):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header:
        writer.writerow(mail_csv.TEMPLATE_HEADER)
    writer.writerows(rows)
    text = ("\ufeff" if bom else "") + out.getvalue()
    try:
        parsed, problems = mail_csv.parse(upload(text), accounts=ACCOUNTS)
    except ImportRefused as refused:
        assert refused.message
        return
    # Every row is either read or reported, never both, never dropped silently.
    reported = {p.row for p in problems}
    assert all(r.row not in reported for r in parsed)
    assert all(p.row >= 2 and p.column and p.reason for p in problems)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_never_an_error(data):
    with contextlib.suppress(ImportRefused):
        mail_csv.parse(upload(HEADER.encode() + data), accounts=ACCOUNTS)

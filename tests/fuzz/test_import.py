"""The estimate's XLSX import, fuzzed: sheets made from the real template whose rows hold
any cell values (text in any script, formulas, numbers as text, huge and negative numbers,
dates, empty cells, extra and missing columns), plus files that are not spreadsheets.
Properties: never a 500, and all lines replaced or none (tests/fuzz/harness.py)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from budgeting import spreadsheets
from budgeting.models import Estimate
from tests.budgeting import helpers as bh
from tests.fuzz.harness import HOSTILE, assert_safe_post
from tests.workflows import helpers as h

CELL = st.one_of(
    st.none(),
    # XLSX cannot hold most control characters: no spreadsheet program writes them.
    HOSTILE.map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.integers(-(10**18), 10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31)),
    st.sampled_from(["Đầu tư phát triển", "Chi thường xuyên", "Phần cứng", "Đào tạo", "bộ"]),
)
ROW = st.lists(CELL, min_size=0, max_size=len(spreadsheets.HEADERS) + 2)


def _workbook(rows, plan_task_names) -> bytes:
    wb = load_workbook(io.BytesIO(spreadsheets.template_xlsx()))
    ws = wb[spreadsheets.SHEET]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def estimate(demo_org):
    document = bh.make_estimate("draft")
    client = Client()
    client.force_login(h.person(h.DRAFTER))
    plan = Estimate.objects.get(document=document).annual_plan
    return client, document, [t.name for t in plan.tasks.all()]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(ROW, max_size=8), data=st.data())
def test_hostile_sheets_never_error_and_replace_all_lines_or_none(estimate, rows, data):
    client, document, task_names = estimate
    # Real task names in some rows, so valid rows (and whole valid files) occur too.
    rows = [
        row + [None] * (len(spreadsheets.HEADERS) - len(row)) if len(row) < 10 else row
        for row in rows
    ]
    for row in rows:
        if data.draw(st.booleans(), label="use a real task"):
            row[9] = data.draw(st.sampled_from(task_names))
    document.refresh_from_db()
    upload = SimpleUploadedFile("du-toan.xlsx", _workbook(rows, task_names))
    assert_safe_post(
        client,
        f"/estimates/{document.pk}/import/",
        {"version": str(document.version)},
        files={"file": upload},
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.xls", "a", "ả.XLSX"]))
def test_files_that_are_not_spreadsheets_are_refused_cleanly(estimate, blob, name):
    client, document, _ = estimate
    document.refresh_from_db()
    assert_safe_post(
        client,
        f"/estimates/{document.pk}/import/",
        {"version": str(document.version)},
        files={"file": SimpleUploadedFile(name, blob)},
    )

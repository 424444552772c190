"""The digitisation import's row parser, fuzzed: rows of any cell values (text in any
script, numbers as text, huge and negative numbers, floats, dates and datetimes, empty
cells, extra columns). Properties: it never raises; every problem names the row and a
column of the sheet; and a row it passes is one the service's validation passes too, with
counts that are whole, non-negative numbers and an ordered period."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from digitisation import services, spreadsheets
from organisation.models import Unit
from planning.models import PlanTask
from tests.fuzz.harness import HOSTILE

UNITS = [Unit(pk=1, code="VP", name_vi="Văn phòng Ủy ban", name_en="Office")]
TASKS = [PlanTask(pk=7, name="Số hóa hồ sơ"), PlanTask(pk=8, name="Số hóa hồ sơ"),
         PlanTask(pk=9, name="Số hóa tài liệu")]  # fmt: skip
FOUND = spreadsheets.lookups(UNITS, TASKS)

CELL = st.one_of(
    st.none(),
    HOSTILE,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1800, 1, 1), dt.datetime(2200, 1, 1)),
    st.sampled_from(["VP", "Office", "NV7", "NV9", "Số hóa hồ sơ", "Số hóa tài liệu",
                     "01/02/2015", "31/12/2015", "29/02/2015", "1.200", "-5", "0"]),
)  # fmt: skip
WIDTH = len(spreadsheets.HEADERS)
ROW = st.lists(CELL, min_size=WIDTH, max_size=WIDTH + 2)


@given(number=st.integers(2, 10**6), values=ROW)
def test_the_row_parser_never_raises_and_passes_only_valid_batches(number, values):
    row, problems = spreadsheets.parse_row(number, list(values), FOUND)

    letters = {chr(ord("A") + i) for i in range(len(values))}
    for problem in problems:
        assert problem.row == number
        assert problem.column.split(" ")[0] in letters
        assert problem.reason
    if not problems:
        assert (
            services.validate_batch(
                services.clean_row(row), unit_ids=set(FOUND.unit_ids), task_ids=set(FOUND.task_ids)
            )
            == []
        )
        documents = services.count_value(row.documents)
        pages = services.count_value(row.pages)
        assert 0 <= documents <= pages
        assert row.period_from <= row.period_to
        assert row.unit_id == 1 and row.plan_task_id in {7, 8, 9}
        assert len(values) == WIDTH or all(v is None or v == "" for v in values[WIDTH:])

"""The XLSX import of digitisation batches: the template, a good file, and every kind of
bad file and bad row, each reported (row and column) with nothing saved. The file-level
checks are the estimate import's own (workflows.xlsx_import)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from digitisation import spreadsheets
from digitisation.models import Batch
from organisation.models import Unit
from tests.digitisation import helpers as d
from tests.workflows.helpers import message_flaws
from workflows.models import AuditEvent
from workflows.xlsx_import import SpreadsheetRefused

HEADER = list(spreadsheets.HEADERS)


def _good(task, n=1):
    return [
        n,
        f"Phông Văn phòng, hồ sơ năm {2014 + n}",
        "VP",
        dt.datetime(2014 + n, 1, 1),
        f"31/12/{2014 + n}",
        100 + n,
        "1.200",
        "Tổ số hóa",
        f"NV{task.pk}",
    ]


def _xlsx(rows, *, sheet="SoHoa", header=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header if header is not None else HEADER)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _post(client, data: bytes, name="lo-so-hoa.xlsx"):
    upload = SimpleUploadedFile(name, data, content_type=spreadsheets.CONTENT_TYPE)
    return client.post(reverse("digitisation:import"), {"file": upload})


def _report(response) -> tuple[str, list[tuple[int, str, str]]]:
    assert response.status_code == 400
    refusal = str(response.context["import_refusal"])
    return refusal, [(p.row, p.column, p.reason) for p in response.context["import_problems"]]


def test_the_template_lists_units_and_tasks_and_imports_back(as_user, task):
    client = as_user(d.OFFICE)
    response = client.get(reverse("digitisation:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.CONTENT_TYPE
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["SoHoa"][1]] == HEADER
    guide = [row[:2] for row in wb["HuongDan"].iter_rows(values_only=True)]
    assert ("Văn phòng Ủy ban", "VP") in guide
    assert any(code == f"NV{task.pk}" for _label, code in guide)
    ws = wb["SoHoa"]
    ws.append(_good(task))
    buffer = io.BytesIO()
    wb.save(buffer)
    assert _post(client, buffer.getvalue()).status_code == 302
    assert Batch.objects.count() == 1


def test_a_good_file_registers_every_batch(as_user, task):
    client = as_user(d.OFFICE)
    rows = [_good(task, 1), _good(task, 2)]
    rows[1][8] = task.name  # a task may be named instead of coded, when the name is unique
    rows[1][2] = "Office of the Committee"  # and a unit by its English name
    response = _post(client, _xlsx(rows))
    assert response.status_code == 302, response.context and response.context["import_problems"]
    batches = list(Batch.objects.order_by("pk"))
    assert [(b.fonds, b.documents, b.pages, b.period_from, b.period_to) for b in batches] == [
        ("Phông Văn phòng, hồ sơ năm 2015", 101, 1200, dt.date(2015, 1, 1), dt.date(2015, 12, 31)),
        ("Phông Văn phòng, hồ sơ năm 2016", 102, 1200, dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
    ]
    assert {b.unit.code for b in batches} == {"VP"} and {b.plan_task for b in batches} == {task}
    events = AuditEvent.objects.filter(action="digitisation.batch.registered")
    assert events.count() == 2 and {e.data["via"] for e in events} == {"import"}


def test_bad_rows_are_each_reported_with_row_and_column_and_nothing_is_saved(as_user, task):
    rows = [_good(task, n) for n in range(1, 8)]
    rows[0][2] = "Vụ Không Có"  # unknown unit
    rows[1][3] = "31/02/2015"  # not a date
    rows[2][5] = -3  # negative count
    rows[3][8] = "Nhiệm vụ không có"  # unknown plan task
    rows[4][3], rows[4][4] = "01/01/2016", "01/01/2015"  # from after to
    rows[5][6] = 1.5  # not a whole number
    rows[6].append("thừa")  # outside the template's columns
    refusal, problems = _report(_post(d_client := as_user(d.OFFICE), _xlsx(rows)))
    assert "7" in refusal
    assert [(row, column.split(" ")[0]) for row, column, _reason in problems] == [
        (2, "C"),
        (3, "D"),
        (4, "F"),
        (5, "I"),
        (6, "E"),
        (7, "G"),
        (8, "J"),
    ]
    assert problems[0][1] == "C (Đơn vị)"
    assert "Vụ Không Có" in problems[0][2] and "31/02/2015" in problems[1][2]
    assert not Batch.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="digitisation.").exists()
    page = d_client.get(reverse("digitisation:import"))
    assert page.status_code == 200


def test_an_ambiguous_task_name_asks_for_the_code(as_user, task):
    d.issued_task(year=2027)  # another issued plan, a task of the same name
    row = _good(task)
    row[8] = task.name
    _refusal, problems = _report(_post(as_user(d.OFFICE), _xlsx([row])))
    assert [(r, c.split(" ")[0]) for r, c, _ in problems] == [(2, "I")]
    assert "NV" in problems[0][2]


def _formula_file(task) -> bytes:
    row = _good(task)
    row[6] = "=F2*10"
    return _xlsx([row])


@pytest.mark.parametrize(
    ("case", "name", "make", "says"),
    [
        ("not xlsx", "lo.csv", lambda t: b"STT;Phong\n1;x\n", "XLSX"),
        ("garbage", "lo.xlsx", lambda t: b"PK\x03\x04 not really a zip", "XLSX"),
        ("empty file", "lo.xlsx", lambda t: b"", "XLSX"),
        ("wrong sheet", "lo.xlsx", lambda t: _xlsx([_good(t)], sheet="Sheet1"), "SoHoa"),
        ("wrong header", "lo.xlsx", lambda t: _xlsx([_good(t)], header=["STT", "Tên"]), "STT"),
        ("no rows", "lo.xlsx", lambda t: _xlsx([]), "SoHoa"),
        ("formulas", "lo.xlsx", _formula_file, "G2"),
    ],
)
def test_bad_files_are_refused_whole(as_user, task, case, name, make, says):
    refusal, problems = _report(_post(as_user(d.OFFICE), make(task), name=name))
    assert says in refusal, (case, refusal)
    assert problems == []
    assert not Batch.objects.exists()


def test_a_file_too_large_is_refused_before_it_is_read(as_user, task, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("read a file that is too large")

    monkeypatch.setattr(spreadsheets.xlsx_import, "load_workbook", fail)
    refusal, _ = _report(_post(as_user(d.OFFICE), b"PK" + b"\0" * (5 * 1024 * 1024)))
    assert "MB" in refusal


def test_no_file_is_refused(as_user, task):
    response = as_user(d.OFFICE).post(reverse("digitisation:import"), {})
    assert response.status_code == 400 and response.context["import_refusal"]


@pytest.mark.parametrize(
    ("username", "status"),
    [(d.CENTRE, 403), ("botruong", 403), ("thanhtra", 403), ("thamdinh.kh", 403)],
)
def test_only_the_office_imports(as_user, task, username, status):
    client = as_user(username)
    assert client.get(reverse("digitisation:template")).status_code == status
    assert client.get(reverse("digitisation:import")).status_code == status
    assert _post(client, _xlsx([_good(task)])).status_code == status
    assert not Batch.objects.exists()


def _in_both_languages(make) -> list[tuple[str, str]]:
    answers = []
    for language in ("vi", "en"):
        with translation.override(language):
            answers.append([str(m) for m in make()])
    return list(zip(*answers, strict=True))


def test_every_row_message_names_row_and_column_and_says_what_to_do(task):
    found = spreadsheets.lookups(Unit.objects.all(), [task, d.issued_task(year=2027)])
    bad = [
        [1, "", "Không có", "31/02/2015", "hôm qua", -1, "nhiều", "", "Không có"],
        [2, "x" * 400, "VP", "01/01/2016", "01/01/2015", 10, 9, "y" * 300, d.TASK_NAME],
        [3, "Phông", "VP", dt.datetime(2015, 1, 1, 9, 30), None, 10**12, 1.5, "Tổ", "", "thừa"],
    ]

    def problems():
        return [str(p) for n, row in enumerate(bad, start=2) for p in _row(n, row, found)]

    messages = _in_both_languages(problems)
    assert len(messages) >= 15
    flaws = [flaw for vi, en in messages for flaw in message_flaws(vi, en)]
    assert flaws == []
    assert all(vi.startswith("Dòng ") and en.startswith("Row ") for vi, en in messages)


def _row(number, values, found):
    values = values + [None] * (len(HEADER) - len(values))
    return spreadsheets.parse_row(number, values, found)[1]


def test_a_bad_file_is_refused_in_the_estimate_imports_words(task):
    from budgeting import spreadsheets as estimates

    def refusal(parse):
        with pytest.raises(SpreadsheetRefused) as refused:
            parse(SimpleUploadedFile("x.csv", b"a;b\n"))
        return refused.value.message

    found = spreadsheets.lookups(Unit.objects.all(), [task])
    assert refusal(lambda f: spreadsheets.parse_batches(f, found=found)) == refusal(
        lambda f: estimates.parse_lines(f, tasks={})
    )

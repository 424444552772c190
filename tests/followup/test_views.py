"""The follow-up page and its export: what each unit holds, how late, oldest first; the
same number of queries at any amount of data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organisation import navigation
from organisation.models import Unit
from tests.followup import helpers as f
from tests.workflows import helpers as h
from tests.workflows.test_queries import Builder, queries_for
from workflows.models import Document
from worktime.calendar import DueStatus
from worktime.models import DaySwap

pytestmark = pytest.mark.usefixtures("demo_org")

PAGE = reverse("followup:page")
EXPORT = reverse("followup:export")


@pytest.fixture
def clerk(client):
    client.force_login(h.person(f.CLERK))
    return client


def frozen_get(client, url):
    """GET `url` as the clerk on Thursday 10/12/2026 (signed in then: a session opened
    days earlier would have expired)."""
    with f.frozen():
        client.force_login(h.person(f.CLERK))
        return client.get(url)


@pytest.fixture
def three_held():
    """KH reviews one plan (overdue), TTTT revises another (due in 2 working days), the
    leadership signs a third (no due date); a draft never submitted and an issued plan
    are held by nobody the Office follows."""
    with f.frozen(f.NOW - dt.timedelta(days=9)):
        review = f.held_plan("submitted", due_on=dt.date(2026, 12, 7), title="Chờ thẩm định")
    with f.frozen(f.NOW - dt.timedelta(days=5)):
        revise = f.held_plan("returned", due_on=dt.date(2026, 12, 14), title="Chờ sửa")
    with f.frozen(f.NOW - dt.timedelta(days=2)):
        sign = f.held_plan("endorsed", title="Chờ ký")
        f.held_plan("draft", due_on=dt.date(2026, 12, 1), title="Bản nháp")
        f.held_plan("issued", title="Đã ban hành")
    return review, revise, sign


def test_the_page_shows_what_each_unit_holds_how_late_oldest_first(clerk, three_held):
    review, revise, sign = three_held
    kh, tttt = Unit.objects.get(code="KH"), Unit.objects.get(code="TTTT")

    response = frozen_get(clerk, PAGE)

    assert response.status_code == 200
    follow_up = response.context["follow_up"]
    assert follow_up.on == f.TODAY
    summary = [(u.key, u.held, u.overdue, u.longest_overdue) for u in follow_up.units]
    # The unit whose document has waited longest comes first.
    assert summary == [
        (f"unit-{kh.pk}", 1, 1, 3),  # due Monday 07/12, Thursday 10/12: 3 working days late
        (f"unit-{tttt.pk}", 1, 0, 0),
        ("leadership", 1, 0, 0),
    ]
    rows = [
        (r.document.pk, r.step, r.due_on, r.status) for u in follow_up.units for r in u.documents
    ]
    assert rows == [
        (review.pk, "review", dt.date(2026, 12, 7), DueStatus("overdue", 3, dt.date(2026, 12, 7))),
        (revise.pk, "draft", dt.date(2026, 12, 14), DueStatus("left", 2, dt.date(2026, 12, 14))),
        (sign.pk, "sign", None, None),
    ]
    assert kh not in follow_up.idle and tttt not in follow_up.idle
    assert Unit.objects.get(code="TCCB") in follow_up.idle
    html = response.content.decode()
    for document in three_held:
        assert document.title in html
        assert reverse("followup:remind_document", args=[document.pk]) in html
    assert "Bản nháp" not in html and "Đã ban hành" not in html
    assert "07/12/2026" in html and "14/12/2026" in html
    assert reverse("followup:remind_unit", args=[kh.pk]) in html


def test_overdue_days_are_working_days_with_the_governments_swaps(clerk):
    with f.frozen(f.NOW - dt.timedelta(days=9)):
        f.held_plan("submitted", due_on=dt.date(2026, 12, 4))  # a Friday
    # Tuesday 08/12 given off: Mon 07 and Wed 09, Thu 10 are the working days late.
    DaySwap.objects.create(date=dt.date(2026, 12, 8), kind="off")

    follow_up = frozen_get(clerk, PAGE).context["follow_up"]

    assert [u.longest_overdue for u in follow_up.units] == [3]


def test_the_clerk_has_the_page_in_the_menu_and_nobody_else_does():
    for username in h.USER_FOR_ROLE.values():
        keys = [i["key"] for i in navigation.items_for(h.person(username))]
        assert ("followup" in keys) is (username == f.CLERK), username


def test_the_export_has_one_row_per_unit_and_per_document_with_real_dates(clerk, three_held):
    review, _revise, _sign = three_held
    Document.objects.filter(pk=review.pk).update(title='=HYPERLINK("http://x.example","Bấm")')

    response = frozen_get(clerk, EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "theo-doi-don-doc-2026-12-10.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    units, documents = workbook.worksheets
    unit_rows = list(units.iter_rows(min_row=2, values_only=True))
    assert [r[1:4] for r in unit_rows[:3]] == [(1, 1, 3), (1, 0, 0), (1, 0, 0)]
    assert isinstance(unit_rows[0][4], dt.datetime)
    assert len(unit_rows) == 3 + Unit.objects.count() - 2  # idle units listed with zeros
    first = next(documents.iter_rows(min_row=2))
    title, number, due, overdue = first[1], first[2], first[6], first[8]
    # Text is text, never a formula; the due date is a date cell shown dd/mm/yyyy.
    assert title.data_type == "s" and title.value == '=HYPERLINK("http://x.example","Bấm")'
    assert number.value is None
    assert due.value == dt.datetime(2026, 12, 7) and due.number_format == "dd/mm/yyyy"
    assert isinstance(first[5].value, dt.datetime)
    assert overdue.value == 3
    assert documents.max_row == 4


@pytest.mark.parametrize("username", [u for u in h.USER_FOR_ROLE.values() if u != f.CLERK])
def test_page_and_export_are_403_without_the_offices_permission(client, username):
    client.force_login(h.person(username))
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_page_and_export_run_the_same_queries_at_10_and_at_200_documents(clerk):
    builder = Builder()
    builder.add(10)
    small = (queries_for(clerk, PAGE), queries_for(clerk, EXPORT))

    builder.add(190)
    large = (queries_for(clerk, PAGE), queries_for(clerk, EXPORT))

    assert large == small
    follow_up = clerk.get(PAGE).context["follow_up"]
    assert follow_up.held == 120  # submitted, endorsed and returned: 3 of every 5


def test_row_ids_are_not_grouped_like_numbers_in_vietnamese():
    """With thousands separators on, `{{ pk }}` printed document 14971 as "14.971", so the
    row's data-document attribute no longer named it (found when a PostgreSQL run's
    sequences passed 1,000). Ids are printed unlocalized."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    row = SimpleNamespace(document=SimpleNamespace(pk=14971, title="T"))
    with translation.override("vi"):
        html = render_to_string("followup/includes/held_table.html", {"rows": [row]})
    assert 'data-document="14971"' in html

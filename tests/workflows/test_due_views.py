"""Due dates where people see them: My work, the unit queue and every document list show
the date and its status in words and colour (one include), sorted by urgency and
filterable; the header counts overdue tasks apart; the Minister's office's form and the
sender's optional date never answer 500."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.workflows import helpers as h
from workflows.models import Document
from worktime.calendar import VIETNAM, WorkingCalendar

pytestmark = pytest.mark.usefixtures("demo_org")

# Wednesday 13/01/2027, 10:00 in Vietnam.
TODAY = dt.date(2027, 1, 13)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2027, 1, 13, 10, tzinfo=VIETNAM), tick=False):
        yield


def plan_due(title: str, due_on: dt.date | None, state: str = "submitted") -> Document:
    document = h.make_plan(state, title=title)
    Document.objects.filter(pk=document.pk).update(due_on=due_on)
    return document


@pytest.fixture
def four(frozen):
    """Four plans awaiting review: overdue by 2, due today, due in 3 working days, undated."""
    return {
        "later": plan_due("Còn hạn", dt.date(2027, 1, 18)),
        "none": plan_due("Không có hạn", None),
        "today": plan_due("Hôm nay", TODAY),
        "overdue": plan_due("Quá hạn", dt.date(2027, 1, 11)),
    }


def statuses(html: str) -> list[str]:
    return re.findall(r'<span class="due due-(\w+)" data-testid="due" data-due="\w+">', html)


def words(html: str) -> list[str]:
    found = re.findall(
        r'data-testid="due" data-due="\w+"><span class="due-date">([^<]+)</span> ([^<]+)</span>',
        html,
    )
    return [f"{day} {text}" for day, text in found]


def get(client, username, url, lang="vi"):
    client.force_login(h.person(username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "vi",
            [
                "11/01/2027 Quá hạn 2 ngày làm việc",
                "13/01/2027 Đến hạn hôm nay",
                "18/01/2027 Còn 3 ngày làm việc",
            ],
        ),
        (
            "en",
            [
                "11/01/2027 Overdue by 2 working days",
                "13/01/2027 Due today",
                "18/01/2027 3 working days left",
            ],
        ),
    ],
)
def test_my_work_shows_each_tasks_due_date_in_words_most_urgent_first(client, four, lang, expected):
    response = get(client, h.REVIEWER, reverse("workflows:my_work"), lang)
    html = response.content.decode()
    assert words(html) == expected
    assert statuses(html) == ["overdue", "today", "left"]
    titles = [t.process.document.title for t in response.context["mine"]]
    assert titles == ["Quá hạn", "Hôm nay", "Còn hạn", "Không có hạn"]  # undated last


def test_singular_forms(client, frozen):
    plan_due("Một ngày", dt.date(2027, 1, 14))
    plan_due("Trễ một ngày", dt.date(2027, 1, 12))
    html = get(client, h.REVIEWER, reverse("workflows:my_work"), "en").content.decode()
    assert words(html) == ["12/01/2027 Overdue by 1 working day", "14/01/2027 1 working day left"]
    assert statuses(html) == ["overdue", "soon"]


@pytest.mark.parametrize("page", ["workflows:documents", "planning:list"])
def test_document_lists_sort_by_urgency_and_filter(client, four, page):
    response = get(client, h.REVIEWER, reverse(page))
    assert [d.title for d in response.context["page"]] == [
        "Quá hạn",
        "Hôm nay",
        "Còn hạn",
        "Không có hạn",
    ]
    overdue = get(client, h.REVIEWER, reverse(page) + "?due=overdue")
    assert [d.title for d in overdue.context["page"]] == ["Quá hạn"]
    # This week: Wednesday 13/01 to Sunday 17/01 (18/01 is next week).
    week = get(client, h.REVIEWER, reverse(page) + "?due=week")
    assert [d.title for d in week.context["page"]] == ["Hôm nay"]


def test_my_work_filters_by_overdue_and_this_week(client, four):
    overdue = get(client, h.REVIEWER, reverse("workflows:my_work") + "?due=overdue")
    assert [t.process.document.title for t in overdue.context["mine"]] == ["Quá hạn"]
    assert overdue.context["mine_total"] == 1
    week = get(client, h.REVIEWER, reverse("workflows:my_work") + "?due=week")
    assert [t.process.document.title for t in week.context["mine"]] == ["Hôm nay"]


@pytest.mark.parametrize("page", ["workflows:my_work", "workflows:documents"])
def test_an_unknown_filter_is_a_400_not_a_500(client, four, page):
    response = get(client, h.REVIEWER, reverse(page) + "?due=%00bogus")
    assert response.status_code == 400


def test_the_header_counts_overdue_tasks_apart(client, four):
    html = get(client, h.REVIEWER, reverse("home"), "en").content.decode()
    badge = re.search(r'data-testid="inbox-count".*?<span class="badge">(\d+)</span>', html, re.S)
    overdue = re.search(
        r'data-testid="inbox-overdue">\s*<span class="badge badge-overdue">(\d+)</span> overdue',
        html,
    )
    assert (badge.group(1), overdue.group(1)) == ("4", "1")
    # Nothing overdue for the drafter: no second badge.
    html = get(client, h.DRAFTER, reverse("home")).content.decode()
    assert 'data-testid="inbox-overdue"' not in html


def test_the_status_is_a_class_and_words_never_an_inline_style(client, four):
    html = get(client, h.REVIEWER, reverse("workflows:documents")).content.decode()
    for span in re.findall(r'<span class="due [^>]*>', html):
        assert "style" not in span
    css = (settings.BASE_DIR / "static/css/app.css").read_text()
    for kind in ("left", "soon", "today", "overdue"):
        assert f".due-{kind} {{" in css


def test_the_document_page_shows_the_due_date_and_the_form_to_those_allowed(client, four):
    document = four["overdue"]
    url = reverse("workflows:document", args=[document.pk])
    html = get(client, h.REVIEWER, url).content.decode()
    assert 'data-testid="due-on"' in html and "Quá hạn 2 ngày làm việc" in html
    assert 'data-testid="due-date-form"' not in html
    assert 'data-testid="due-date-form"' in get(client, h.MINISTER, url).content.decode()


# --- Posting due dates -----------------------------------------------------------------


def post_due(client, username, document, **data):
    client.force_login(h.person(username))
    document = Document.objects.get(pk=document.pk)
    return client.post(
        reverse("workflows:due_date", args=[document.pk]),
        {"version": document.version, **data},
    )


@pytest.mark.parametrize(
    "due_on", ["31/02/2027", "abc", "01/01/0001", "31/12/9999", "", "\x00", "1" * 5000]
)
def test_a_malformed_due_date_is_refused_with_a_400(client, four, due_on):
    response = post_due(client, h.MINISTER, four["later"], due_on=due_on, reason="x")
    assert response.status_code == 400
    assert Document.objects.get(pk=four["later"].pk).due_on == dt.date(2027, 1, 18)


@pytest.mark.parametrize(
    ("username", "status"), [(h.MINISTER, 302), (h.REVIEWER, 403), ("hoidong.tdkt", 404)]
)
def test_the_due_date_form_over_http(client, four, username, status):
    response = post_due(client, username, four["later"], due_on="29/01/2027", reason="Chờ số liệu")
    assert response.status_code == status
    expected = dt.date(2027, 1, 29) if status == 302 else dt.date(2027, 1, 18)
    assert Document.objects.get(pk=four["later"].pk).due_on == expected


def test_lengthening_without_a_reason_is_a_400_with_the_reason(client, four):
    response = post_due(client, h.MINISTER, four["later"], due_on="29/01/2027")
    assert response.status_code == 400
    assert "Nêu lý do gia hạn." in response.content.decode()


@pytest.mark.parametrize("due_on", ["31/02/2027", "abc", "01/01/0001", "12/01/2027", "01/06/2027"])
def test_the_senders_date_is_checked_over_http(client, frozen, due_on):
    document = h.make_plan("draft")
    client.force_login(h.person(h.DRAFTER))
    task = h.open_task(document)
    response = client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"action": "submit", "version": document.version, "due_on": due_on},
    )
    assert response.status_code == 400
    assert Document.objects.get(pk=document.pk).state == "draft"


def test_the_senders_earlier_date_is_kept_over_http(client, frozen):
    document = h.make_plan("draft")
    page = get(client, h.DRAFTER, reverse("workflows:document", args=[document.pk]))
    data = h.page_form(page.content.decode(), "due_on")
    data["due_on"] = "15/01/2027"
    response = client.post(
        reverse("workflows:act", args=[document.pk, h.open_task(document).pk]), data
    )
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).due_on == dt.date(2027, 1, 15)


def test_drafters_see_the_guidance_deadline_from_the_day_it_is_published(client, frozen):
    from planning.models import Kind
    from tests.budgeting import helpers as b

    h.make_plan("issued", year=2026, title="Kế hoạch 5 năm")
    annual = h.create_plan(kind=Kind.ANNUAL, year=2028)
    url = reverse("workflows:document", args=[annual.pk])
    assert 'data-testid="due-on"' not in get(client, h.DRAFTER, url).content.decode()
    b.guidance(2028, total=10**9, investment=10**9, recurrent=10**9)  # deadline 31/08/2027
    left = WorkingCalendar.load().working_days_between(TODAY, dt.date(2027, 8, 31))
    expected = f"31/08/2027 {left} working days left"
    assert words(get(client, h.DRAFTER, url, "en").content.decode()) == [expected]
    assert expected in words(
        get(client, h.DRAFTER, reverse("planning:list"), "en").content.decode()
    )


def test_the_unit_queue_shows_due_dates_too(client, frozen):
    # The Planning Department's guidance publisher without the reviewer's right to act
    # still sees its unit's queue.
    from tests.factories import PersonFactory

    plan_due("Chờ Vụ Kế hoạch", dt.date(2027, 1, 11))
    colleague = PersonFactory(username="vanthu.kh", unit=h.person(h.REVIEWER).unit)
    colleague.user_permissions.add(Permission.objects.get(codename="give_technical_opinion"))
    client.force_login(colleague)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("workflows:my_work"))
    assert [t.process.document.title for t in response.context["queue"]] == ["Chờ Vụ Kế hoạch"]
    assert "11/01/2027 Overdue by 2 working days" in words(response.content.decode())

"""Budget estimates through the browser's door: malformed or tampered edits get a 4xx
and save nothing, a stale form gets 409, amounts can be shown in đồng or triệu đồng (the
choice persists), and an estimate over the guidance ceiling carries a warning on the
document page, the review page and the sign page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from budgeting.models import Estimate, LineItem
from tests.budgeting import helpers as b
from tests.workflows import helpers as h
from workflows.models import Document

pytestmark = pytest.mark.usefixtures("demo_org")


@pytest.fixture
def plan():
    return b.annual_plan()


@pytest.fixture
def estimate(plan):
    """A draft estimate with the two default lines (1.300.000.000 đồng in all)."""
    return b.make_estimate("draft", plan=plan)


def edit_url(document):
    return reverse("budgeting:edit", args=[document.pk])


def form_data(document, **overrides):
    """What the edit page posts for the estimate as saved; `overrides` replace fields, e.g.
    lines_1_quantity="-1" for the second line's quantity."""
    document = b.fresh(document)
    estimate = Estimate.objects.get(document=document)
    lines = list(estimate.lines.select_related("plan_task").order_by("position", "pk"))
    data = {
        "version": str(document.version),
        "title": document.title,
        "justification": estimate.justification,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "20000",
        "save": "1",
    }
    for i, line in enumerate(lines):
        data.update(
            {
                f"lines-{i}-uid": str(line.uid),
                f"lines-{i}-content": line.content,
                f"lines-{i}-unit": line.unit,
                f"lines-{i}-quantity": str(line.quantity),
                f"lines-{i}-unit_price": str(line.unit_price),
                f"lines-{i}-funding_source": line.funding_source,
                f"lines-{i}-expense_category": line.expense_category,
                f"lines-{i}-plan_task_uid": str(line.plan_task.uid) if line.plan_task_id else "",
                f"lines-{i}-note": line.note,
            }
        )
    for key, value in overrides.items():
        data[
            key.replace("lines_", "lines-").replace("_", "-", 1)
            if key.startswith("lines_")
            else key
        ] = value
    return data


def state_of(document):
    """Everything an edit could change."""
    return (
        Document.objects.values("version", "title", "state").get(pk=document.pk),
        Estimate.objects.values_list("justification", flat=True).get(document=document),
        list(
            LineItem.objects.filter(estimate__document=document)
            .order_by("position", "pk")
            .values_list("uid", "content", "quantity", "unit_price", "amount", "plan_task")
        ),
    )


# --- Saving -------------------------------------------------------------------------------------


def test_a_valid_edit_is_saved_with_amounts_computed_by_the_server(as_user, estimate):
    data = form_data(
        estimate,
        **{
            "lines-1-quantity": "3",
            "lines-1-unit_price": "1.500.000",  # typed with the thousands separator
            "lines-1-amount": "1",  # no such field: ignored
            "justification": "Thay thế máy chủ cũ.",
        },
    )

    response = as_user(h.DRAFTER).post(edit_url(estimate), data)

    assert response.status_code == 302
    line = LineItem.objects.filter(estimate__document=estimate).order_by("position")[1]
    assert (line.quantity, line.unit_price, line.amount) == (3, 1_500_000, 4_500_000)
    assert Estimate.objects.get(document=estimate).justification == "Thay thế máy chủ cũ."
    assert b.fresh(estimate).version == estimate.version + 1


def test_the_edit_page_shows_the_lines(as_user, estimate):
    response = as_user(h.DRAFTER).get(edit_url(estimate))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Máy chủ ứng dụng" in body and "Thuê dịch vụ cổng thông tin" in body
    assert 'name="lines-TOTAL_FORMS"' in body


# --- Bad input ----------------------------------------------------------------------------------

BAD = [
    pytest.param("-1", id="negative"),
    pytest.param("-1.000", id="negative-grouped"),
    pytest.param("1,5", id="fraction-comma"),
    pytest.param("1.5", id="fraction-dot"),
    pytest.param("0,5", id="half"),
    pytest.param("mười", id="words"),
    pytest.param("1e3", id="exponent"),
    pytest.param("10000000000000000", id="10^16"),
    pytest.param("1.000.000.000.000.001", id="10^15+1-grouped"),
    pytest.param("99999999999999999999999999999", id="beyond-bigint"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("field", ["quantity", "unit_price"])
@pytest.mark.parametrize("value", BAD)
def test_bad_numbers_give_400_and_save_nothing(as_user, estimate, field, value):
    before = state_of(estimate)

    response = as_user(h.DRAFTER).post(
        edit_url(estimate), form_data(estimate, **{f"lines-1-{field}": value})
    )

    assert response.status_code == 400
    assert response.context["lines"].forms[1].errors[field]
    assert b'data-testid="form-errors"' in response.content
    assert state_of(estimate) == before


def test_an_amount_over_10_to_the_15_gives_400_and_saves_nothing(as_user, estimate):
    before = state_of(estimate)

    response = as_user(h.DRAFTER).post(
        edit_url(estimate),
        form_data(
            estimate,
            **{"lines-1-quantity": "2", "lines-1-unit_price": "500.000.000.000.001"},
        ),
    )

    assert response.status_code == 400
    # The limit in the language's separators, with its unit (not "1000000000000000 .").
    assert "vượt quá 1.000.000.000.000.000 đồng" in response.content.decode()
    assert state_of(estimate) == before


def test_a_task_of_another_plan_gives_400_and_saves_nothing(as_user, estimate):
    other = b.annual_plan(b.YEAR + 1)
    before = state_of(estimate)

    response = as_user(h.DRAFTER).post(
        edit_url(estimate),
        form_data(estimate, **{"lines-1-plan_task_uid": str(b.task(other, 0).uid)}),
    )

    assert response.status_code == 400
    assert state_of(estimate) == before


@pytest.fixture
def small_cap(monkeypatch):
    """The formset's cap (20.000 lines, 20.001 forms at most) lowered to 5 / 6, so that a
    post over the cap can be tried without building twenty thousand forms."""
    from budgeting.views import LineFormSet

    monkeypatch.setattr(LineFormSet, "max_num", 5)
    monkeypatch.setattr(LineFormSet, "absolute_max", 6)


@pytest.mark.parametrize(
    "tampered",
    [
        pytest.param({"lines-TOTAL_FORMS": None}, id="no-total"),
        pytest.param({"lines-INITIAL_FORMS": None}, id="no-initial"),
        pytest.param({"lines-TOTAL_FORMS": "abc"}, id="total-text"),
        pytest.param({"lines-TOTAL_FORMS": "-1"}, id="total-negative"),
        pytest.param({"lines-INITIAL_FORMS": "-1"}, id="initial-negative"),
        pytest.param({"lines-INITIAL_FORMS": "3"}, id="initial-over-total"),
        pytest.param({"lines-TOTAL_FORMS": "99999999999999999999"}, id="total-huge"),
        pytest.param({"version": None}, id="no-version"),
        pytest.param({"version": "abc"}, id="version-text"),
        pytest.param({"lines-0-funding_source": "gift"}, id="unknown-source"),
        pytest.param({"lines-0-expense_category": "food"}, id="unknown-category"),
        pytest.param({"lines-0-plan_task_uid": "not-a-task"}, id="unknown-task"),
    ],
)
def test_a_tampered_form_gives_400_and_saves_nothing(as_user, estimate, small_cap, tampered):
    data = form_data(estimate, title="Tiêu đề mới")
    for key, value in tampered.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    before = state_of(estimate)

    response = as_user(h.DRAFTER).post(edit_url(estimate), data)

    assert response.status_code == 400
    assert state_of(estimate) == before


@pytest.mark.parametrize("total", ["6", "7", "30000"])
def test_more_rows_than_allowed_give_400_and_save_nothing(as_user, estimate, small_cap, total):
    data = form_data(estimate, title="Tiêu đề mới", **{"lines-TOTAL_FORMS": total})
    before = state_of(estimate)

    response = as_user(h.DRAFTER).post(edit_url(estimate), data)

    assert response.status_code == 400
    assert state_of(estimate) == before


def test_a_post_claiming_too_many_rows_does_not_build_them(as_user, estimate, small_cap):
    data = form_data(estimate, **{"lines-TOTAL_FORMS": "30000"})

    response = as_user(h.DRAFTER).post(edit_url(estimate), data)

    assert response.status_code == 400
    assert len(response.context["lines"].forms) <= 2


def test_a_large_estimate_keeps_its_lines_when_title_and_justification_are_saved(as_user, plan):
    """Beyond a page of lines the edit page shows no line form (the lines change through
    the XLSX import); saving the title and justification leaves the lines alone."""
    document = b.create_estimate()
    b.bulk_lines(document, 150)
    lines_before = state_of(document)[2]
    client = as_user(h.DRAFTER)

    page = client.get(edit_url(document))
    assert page.status_code == 200
    assert b'data-testid="lines-by-import"' in page.content
    assert b'name="lines-TOTAL_FORMS"' not in page.content

    response = client.post(
        edit_url(document),
        {
            "version": str(b.fresh(document).version),
            "title": "Dự toán 150 dòng",
            "justification": "Giải trình.",
            "save": "1",
        },
    )

    assert response.status_code == 302
    assert b.fresh(document).title == "Dự toán 150 dòng"
    assert state_of(document)[2] == lines_before


def test_a_stale_form_gives_409_and_saves_nothing(as_user, estimate):
    client = as_user(h.DRAFTER)
    stale = form_data(estimate, title="Bản của người thứ nhất")
    # Someone else saves first.
    assert (
        client.post(edit_url(estimate), form_data(estimate, title="Bản mới hơn")).status_code == 302
    )
    before = state_of(estimate)

    response = client.post(edit_url(estimate), stale)

    assert response.status_code == 409
    assert b'data-testid="form-errors"' in response.content
    assert state_of(estimate) == before
    assert b.fresh(estimate).title == "Bản mới hơn"


def test_add_line_saves_nothing_and_shows_one_more_row(as_user, estimate):
    before = state_of(estimate)
    data = form_data(estimate, title="Chưa lưu")
    data.pop("save")
    data["add_line"] = "1"

    response = as_user(h.DRAFTER).post(edit_url(estimate), data)

    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 3
    assert state_of(estimate) == before


# --- Đồng or triệu đồng ---------------------------------------------------------------------------


def _total(response) -> str:
    match = re.search(r'data-testid="estimate-total">([^<]*)<', response.content.decode())
    assert match, "no total on the page"
    return match.group(1)


def test_amounts_in_million_dong_and_the_choice_persists(as_user, plan):
    document = b.make_estimate(
        "submitted", lines=[b.line("Hệ thống quản lý văn bản", 1, 1_500_000_000)]
    )
    client = as_user(h.REVIEWER)
    url = reverse("workflows:document", args=[document.pk])

    response = client.get(url)
    assert _total(response) == "1.500.000.000 đồng"
    assert "1.500.000.000" in response.content.decode()

    response = client.get(url + "?money=million")
    assert response.status_code == 200
    assert _total(response) == "1.500 triệu đồng"
    assert "1.500.000.000" not in response.content.decode()
    assert client.session["money_unit"] == "million"

    # The choice persists: the next page, without the parameter, is still in millions.
    response = client.get(url)
    assert _total(response) == "1.500 triệu đồng"
    compare = client.get(reverse("workflows:compare", args=[document.pk]) + "?from=0&to=1")
    assert "1.500.000.000" not in compare.content.decode()
    assert ">1.500<" in compare.content.decode()

    response = client.get(url + "?money=dong")
    assert _total(response) == "1.500.000.000 đồng"
    assert client.session["money_unit"] == "dong"
    assert _total(client.get(url)) == "1.500.000.000 đồng"


def test_an_unknown_money_unit_changes_nothing(as_user, estimate):
    client = as_user(h.DRAFTER)
    url = reverse("workflows:document", args=[estimate.pk])

    response = client.get(url + "?money=billion")

    assert response.status_code == 200
    assert _total(response) == "1.300.000.000 đồng"
    assert "money_unit" not in client.session


def test_the_printed_decision_is_always_in_dong(as_user, plan):
    document = b.make_estimate("issued", lines=[b.line("Hệ thống", 1, 1_500_000_000)])
    client = as_user(h.DRAFTER)
    client.get(reverse("workflows:document", args=[document.pk]) + "?money=million")

    response = client.get(reverse("workflows:print", args=[document.pk]))

    assert response.status_code == 200
    assert "1.500.000.000" in response.content.decode()


# --- The over-ceiling warning where people act --------------------------------------------------


def _warnings(response) -> str:
    match = re.search(
        r'<div[^>]*data-testid="warnings"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    return match.group(1) if match else ""


@pytest.fixture
def over_ceiling(plan):
    """Ceilings 1.000.000.000 in all and 800.000.000 for investment; the estimate asks
    1.300.000.000 (1.000.000.000 of it investment), with a justification."""
    b.guidance(total=1_000_000_000, investment=800_000_000, recurrent=300_000_000)
    return b.make_estimate("draft", plan=plan, justification="Máy chủ hiện có đã hết khấu hao.")


def _assert_over_warning(response):
    assert response.status_code == 200
    warning = _warnings(response)
    assert "1.300.000.000" in warning and "1.000.000.000" in warning
    assert "800.000.000" in warning


def test_the_warning_is_on_the_document_page_in_every_state(as_user, over_ceiling):
    document = over_ceiling
    url = reverse("workflows:document", args=[document.pk])
    _assert_over_warning(as_user(h.DRAFTER).get(url))

    h.act(document, "submit", h.DRAFTER)
    _assert_over_warning(as_user(h.REVIEWER).get(url))
    _assert_over_warning(as_user("thanhtra").get(url))

    h.act(document, "endorse", h.REVIEWER)
    _assert_over_warning(as_user(h.MINISTER).get(url))


def test_the_warning_is_on_the_review_page(as_user, over_ceiling):
    document = b.fresh(h.act(over_ceiling, "submit", h.DRAFTER))
    task = h.open_task(document)

    response = as_user(h.REVIEWER).get(reverse("workflows:review", args=[document.pk, task.pk]))

    _assert_over_warning(response)


def test_the_warning_is_on_the_sign_page(as_user, over_ceiling):
    h.act(over_ceiling, "submit", h.DRAFTER)
    document = b.fresh(h.act(over_ceiling, "endorse", h.REVIEWER))
    task = h.open_task(document)

    for signer in (h.MINISTER, h.VICE_MINISTER):
        response = as_user(signer).get(reverse("workflows:sign", args=[document.pk, task.pk]))
        _assert_over_warning(response)


def test_no_warning_within_the_ceiling(as_user, plan):
    b.guidance(total=1_300_000_000, investment=1_000_000_000, recurrent=300_000_000)
    document = b.make_estimate("endorsed", plan=plan)
    task = h.open_task(document)
    client = as_user(h.MINISTER)

    for url in (
        reverse("workflows:document", args=[document.pk]),
        reverse("workflows:sign", args=[document.pk, task.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b'data-testid="warnings"' not in response.content


def test_submitting_over_the_ceiling_without_justification_is_refused_with_400(as_user, plan):
    b.guidance(total=1_000_000_000, investment=800_000_000, recurrent=300_000_000)
    document = b.make_estimate("draft", plan=plan)
    task = h.open_task(document)

    response = as_user(h.DRAFTER).post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"action": "submit", "comment": "", "version": document.version},
    )

    assert response.status_code == 400
    assert b.fresh(document).state == "draft"
    assert "1.300.000.000" in response.content.decode()

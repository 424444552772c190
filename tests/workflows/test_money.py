"""Money is shown in the unit the person chose, and names it: the one helper
(workflows/money.py) formats 1.500.000 đồng / 1,5 triệu đồng in Vietnamese and
1.500.000 đồng / 1.5 million đồng in English, and every header, total and warning of every
page that shows amounts says which unit its figures are in, with the switch on the page.
The print view of an issued document uses the unit it was issued in."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from organisation.demo import DEMO_PASSWORD
from tests.budgeting import helpers as b
from tests.workflows import helpers as h
from workflows import money
from workflows.models import AuditEvent, Document

# --- The helper ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "unit", "value", "expected"),
    [
        ("vi", "dong", 1_500_000, "1.500.000"),
        ("en", "dong", 1_500_000, "1.500.000"),
        ("vi", "million", 1_500_000, "1,5"),
        ("en", "million", 1_500_000, "1.5"),
        ("vi", "million", 2_000_000, "2"),
        ("en", "million", 1_234_500_000, "1,234.5"),
        ("vi", "million", 1_234_500_000, "1.234,5"),
        ("vi", "million", 1_234_567, "1,234567"),  # exact: never rounded to a wrong figure
        ("en", "million", 400, "0.0004"),  # a small amount never shows as 0
        ("vi", "million", -250_000, "-0,25"),
        ("vi", "million", 0, "0"),
        ("en", "dong", 0, "0"),
    ],
)
def test_amount_in_each_unit_and_language(language, unit, value, expected):
    with translation.override(language):
        assert money.amount(value, unit) == expected
        with money.money_unit(unit):
            assert money.amount(value) == expected


@pytest.mark.parametrize(
    ("language", "unit", "expected"),
    [
        ("vi", "dong", "1.500.000 đồng"),
        ("vi", "million", "1,5 triệu đồng"),
        ("en", "dong", "1.500.000 đồng"),
        ("en", "million", "1.5 million đồng"),
    ],
)
def test_amount_with_its_unit(language, unit, expected):
    with translation.override(language), money.money_unit(unit):
        assert money.with_unit(1_500_000) == expected


@pytest.mark.parametrize(
    ("language", "unit", "expected"),
    [
        ("vi", "dong", "Thành tiền (đồng)"),
        ("vi", "million", "Thành tiền (triệu đồng)"),
        ("en", "dong", "Amount (đồng)"),
        ("en", "million", "Amount (million đồng)"),
    ],
)
def test_a_header_names_the_unit_in_effect(language, unit, expected):
    with translation.override(language), money.money_unit(unit):
        assert money.header(translation.gettext("Amount")) == expected


def test_an_unknown_unit_falls_back_to_dong():
    assert money.clean_unit("billion") is None
    assert money.clean_unit(["million"]) is None
    with money.money_unit("billion"):
        assert money.active_unit() == "dong"
    assert money.active_unit() == "dong"


def test_without_an_active_language_millions_still_format():
    """get_format answers with the format's name for a name no locale defines; the helper
    falls back to Django's separators instead of printing that name."""
    with translation.override(None):
        assert money.amount(1_500_000, "million") in ("1.5", "1,5")


def test_the_template_tags_use_the_helper():
    template = Template(
        "{% load money %}{{ v|money }}|{{ v|money_with_unit }}|{{ _('Amount')|money_header }}"
        "|{% money_unit_label %}|{{ none|money }}"
    )
    with translation.override("vi"), money.money_unit("million"):
        rendered = template.render(Context({"v": 1_500_000, "none": None}))
    assert rendered == "1,5|1,5 triệu đồng|Thành tiền (triệu đồng)|triệu đồng|"


def test_the_switch_keeps_the_page_parameters():
    request = RequestFactory().get("/documents/1/compare/?from=1&to=2&money=dong")
    template = Template("{% load money %}{% money_switch %}")
    with translation.override("en"), money.money_unit("dong"):
        html = template.render(Context({"request": request}))
    links = dict(re.findall(r'href="\?([^"]*)" data-unit="(\w+)"', html))
    assert links == {
        "from=1&amp;to=2&amp;money=dong": "dong",
        "from=1&amp;to=2&amp;money=million": "million",
    }
    assert re.search(r'data-unit="dong" aria-current="true"', html)


# --- Every page that shows money ----------------------------------------------------------

# How each language names each unit, in a header and after a figure.
HEADER = {
    ("vi", "dong"): "(đồng)",
    ("vi", "million"): "(triệu đồng)",
    ("en", "dong"): "(đồng)",
    ("en", "million"): "(million đồng)",
}
# 1.301.500.000 đồng, the estimate's total below, as each page must show it.
TOTAL = {
    ("vi", "dong"): "1.301.500.000 đồng",
    ("vi", "million"): "1.301,5 triệu đồng",
    ("en", "dong"): "1.301.500.000 đồng",
    ("en", "million"): "1,301.5 million đồng",
}
# Labels that must carry the unit: (Vietnamese, English).
AMOUNT = ("Thành tiền", "Amount")
UNIT_PRICE = ("Đơn giá", "Unit price")
ESTIMATED_COST = ("Kinh phí dự kiến", "Estimated cost")
TOTAL_CEILING = ("Tổng hạn mức", "Total ceiling")
PLANNED_COST = ("Kinh phí kế hoạch", "Planned cost")

WHOLE_DONG = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")  # 1.000.000 and up, in đồng
FIGURE_THEN_DONG = re.compile(r"\d (?:đồng|VND)")  # "1.000 đồng" (not "1.000 triệu đồng")
FIGURE_THEN_MILLION = re.compile(r"\d (?:triệu|million) đồng")

LANGUAGES_AND_UNITS = pytest.mark.parametrize(
    ("language", "unit"), [("vi", "dong"), ("vi", "million"), ("en", "dong"), ("en", "million")]
)


def labelled(label: tuple[str, str], language: str, unit: str) -> str:
    return f"{label[0] if language == 'vi' else label[1]} {HEADER[language, unit]}"


def assert_in_unit(html: str, language: str, unit: str, *labels) -> None:
    """Every figure and every label of `html` is in `unit`, the switch is there with
    `unit` chosen, and each of `labels` names the unit."""
    if unit == "million":
        assert "(đồng)" not in html
        assert not WHOLE_DONG.search(html), WHOLE_DONG.search(html).group()
        assert not FIGURE_THEN_DONG.search(html)
    else:
        assert "(triệu đồng)" not in html and "(million đồng)" not in html
        assert not FIGURE_THEN_MILLION.search(html)
    for label in labels:
        assert labelled(label, language, unit) in html, label
    assert 'data-testid="money-switch"' in html
    assert re.search(rf'href="\?[^"]*money={unit}"[^>]*aria-current="true"', html)


def section(html: str, testid: str) -> str:
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>.*?</\1>', html, re.S)
    assert match, testid
    return match.group(0)


@pytest.fixture
def pages(demo_org):
    """An estimate over the year's ceilings, returned once and submitted again (so review,
    sign and compare have a change to show), 1.301.500.000 đồng in all."""
    plan = b.annual_plan()
    b.guidance(total=1_000_000_000, investment=800_000_000, recurrent=300_000_000)
    document = b.make_estimate("returned", plan=plan, justification="Máy chủ đã hết khấu hao.")
    lines = [*b.default_lines(plan), b.line("Tập huấn", 1, 1_500_000, source="recurrent")]
    b.update(document, lines, justification="Máy chủ đã hết khấu hao.")
    return plan, document


def browse(client, language: str, unit: str, url: str):
    client.cookies["ubdt_language"] = language
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}money={unit}")
    assert response.status_code == 200, url
    return response.content.decode()


@LANGUAGES_AND_UNITS
def test_the_estimate_page_names_the_unit_everywhere(client, pages, language, unit):
    _plan, document = pages
    client.force_login(h.person(h.DRAFTER))

    html = browse(client, language, unit, reverse("workflows:document", args=[document.pk]))

    assert_in_unit(html, language, unit, AMOUNT, UNIT_PRICE, TOTAL_CEILING, PLANNED_COST)
    assert TOTAL[language, unit] in section(html, "estimate-total")
    warnings = section(html, "warnings")
    assert TOTAL[language, unit] in warnings  # "… is 1,301.5 million đồng, over …"


@LANGUAGES_AND_UNITS
def test_the_review_sign_and_compare_pages_name_the_unit(client, pages, language, unit):
    _plan, document = pages
    h.act(document, "submit", h.DRAFTER)
    task = h.open_task(document)
    client.force_login(h.person(h.REVIEWER))

    review = browse(
        client, language, unit, reverse("workflows:review", args=[document.pk, task.pk])
    )
    compare = browse(
        client, language, unit, reverse("workflows:compare", args=[document.pk]) + "?from=1&to=2"
    )
    h.act(document, "endorse", h.REVIEWER)
    task = h.open_task(document)
    client.force_login(h.person(h.MINISTER))
    sign = browse(client, language, unit, reverse("workflows:sign", args=[document.pk, task.pk]))

    for html in (review, sign):
        assert_in_unit(html, language, unit, AMOUNT, UNIT_PRICE, TOTAL_CEILING)
        assert TOTAL[language, unit] in section(html, "warnings")
        assert 'data-testid="diff"' in html
    assert_in_unit(compare, language, unit, AMOUNT)
    # The diff's total line: 1.300.000.000 → 1.301.500.000.
    diff = section(compare, "diff")
    assert TOTAL[language, unit].rsplit(" ", 2 if unit == "million" else 1)[0] in diff
    assert 'data-unit="million"' in compare and "from=1&amp;to=2&amp;money=" in compare


@LANGUAGES_AND_UNITS
def test_the_estimate_edit_page_shows_the_ceilings_in_the_unit(client, pages, language, unit):
    """The inputs take whole đồng (and say so); the ceilings shown beside them follow the
    switch."""
    _plan, document = pages
    client.force_login(h.person(h.DRAFTER))

    html = browse(client, language, unit, reverse("budgeting:edit", args=[document.pk]))

    assert_in_unit(section(html, "guidance-panel") + section(html, "money-switch"), language, unit)
    assert labelled(TOTAL_CEILING, language, unit) in section(html, "guidance-panel")


@LANGUAGES_AND_UNITS
def test_the_plan_and_guidance_pages_name_the_unit(client, pages, language, unit):
    plan, _document = pages
    client.force_login(h.person(h.DRAFTER))

    plan_page = browse(
        client, language, unit, reverse("workflows:document", args=[plan.document_id])
    )
    guidance_list = browse(client, language, unit, reverse("planning:guidance_list"))
    guidance = browse(client, language, unit, reverse("planning:guidance", args=[b.YEAR]))

    assert_in_unit(plan_page, language, unit, ESTIMATED_COST, TOTAL_CEILING)
    # The plan's tasks cost 1.600.000.000 đồng in all.
    expected = {"dong": "1.600.000.000", "million": "1.600" if language == "vi" else "1,600"}
    assert f">{expected[unit]}<" in section(plan_page, "total-estimated_cost")
    assert_in_unit(guidance_list, language, unit, TOTAL_CEILING)
    assert_in_unit(guidance, language, unit, TOTAL_CEILING)
    ceiling = {"dong": "1.000.000.000", "million": "1.000" if language == "vi" else "1,000"}
    assert f">{ceiling[unit]}<" in section(guidance, "ceiling-total")


@LANGUAGES_AND_UNITS
def test_a_refused_submission_states_the_unit(client, demo_org, language, unit):
    plan = b.annual_plan()
    b.guidance(total=1_000_000_000, investment=800_000_000, recurrent=300_000_000)
    document = b.make_estimate("draft", plan=plan)
    task = h.open_task(document)
    client.force_login(h.person(h.DRAFTER))
    client.cookies["ubdt_language"] = language
    client.get(reverse("workflows:document", args=[document.pk]) + f"?money={unit}")

    response = client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {"action": "submit", "comment": "", "version": document.version},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert_in_unit(html, language, unit, AMOUNT)
    total = {
        ("vi", "dong"): "1.300.000.000 đồng",
        ("vi", "million"): "1.300 triệu đồng",
        ("en", "dong"): "1.300.000.000 đồng",
        ("en", "million"): "1,300 million đồng",
    }[language, unit]
    errors = re.findall(r'data-testid="message-error">([^<]*)<', html)
    assert any(total in e for e in errors), errors


def test_a_document_without_amounts_has_no_switch(client, demo_org):
    from tests.standards import helpers as s

    s.groups()
    document = s.make_standard("draft")
    client.force_login(h.person("soanthao.tccb"))
    html = client.get(reverse("workflows:document", args=[document.pk])).content.decode()
    assert 'data-testid="money-switch"' not in html


# --- The print view of an issued document -------------------------------------------------


def _sign_through_the_page(client, document, unit: str) -> Document:
    task = h.open_task(document)
    client.force_login(h.person(h.MINISTER))
    client.get(reverse("workflows:sign", args=[document.pk, task.pk]) + f"?money={unit}")
    response = client.post(
        reverse("workflows:act", args=[document.pk, task.pk]),
        {
            "action": "sign",
            "comment": "",
            "version": b.fresh(document).version,
            "password": DEMO_PASSWORD,
        },
    )
    assert response.status_code == 302
    h.act(document, "issue", h.CLERK)
    return b.fresh(document)


@pytest.mark.parametrize(("issued_in", "reader_chose"), [("million", "dong"), ("dong", "million")])
def test_the_print_view_uses_the_unit_of_issue(client, pages, issued_in, reader_chose):
    _plan, document = pages
    h.act(document, "submit", h.DRAFTER)
    h.act(document, "endorse", h.REVIEWER)

    document = _sign_through_the_page(client, document, issued_in)

    assert document.state == "issued" and document.money_unit == issued_in
    issued = AuditEvent.objects.get(document=document, action__endswith=".issued")
    assert issued.data["money_unit"] == issued_in
    # A reader who prefers the other unit, in English, still gets the document as issued.
    client.force_login(h.person(h.DRAFTER))
    client.cookies["ubdt_language"] = "en"
    client.get(reverse("workflows:document", args=[document.pk]) + f"?money={reader_chose}")
    response = client.get(reverse("workflows:print", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    header = HEADER["vi", issued_in]
    assert f"Thành tiền {header}" in html and f"Đơn giá {header}" in html
    total = {"million": ">1.301,5<", "dong": ">1.301.500.000<"}[issued_in]
    assert total in html
    if issued_in == "million":
        assert "(đồng)" not in html and not WHOLE_DONG.search(html)
    else:
        assert "(triệu đồng)" not in html


def test_a_document_issued_before_units_were_recorded_prints_in_dong(client, pages):
    """Documents issued earlier carry the default: đồng, as the print view always used."""
    _plan, document = pages
    document = h.drive(document, "issued")  # through the service, no unit given
    assert document.money_unit == "dong"
    client.force_login(h.person(h.DRAFTER))
    client.get(reverse("workflows:document", args=[document.pk]) + "?money=million")
    html = client.get(reverse("workflows:print", args=[document.pk])).content.decode()
    assert "Thành tiền (đồng)" in html and ">1.301.500.000<" in html

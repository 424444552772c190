"""Budget estimates through their services: amounts, totals and reconciliation, ceilings
and the justification rule, the cross-document rules (an estimate belongs to the annual
plan of its year and funds only its tasks), bad input, the flow to issue with a number
from the shared decisions register, and the diff between revisions."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from budgeting import kinds as estimate_kind
from budgeting import services as budgeting
from budgeting.models import MAX_AMOUNT, Estimate, ExpenseCategory, LineItem
from planning.models import FundingSource, Kind, Plan
from tests.budgeting import helpers as b
from tests.workflows import helpers as h
from workflows import content as engine_content
from workflows import kinds as engine_kinds
from workflows import money, numbering
from workflows.exceptions import InvalidInput, NotEditable
from workflows.formatting import grouped
from workflows.models import AuditEvent, RegisterCounter

pytestmark = pytest.mark.usefixtures("demo_org")

CATEGORY = dict(ExpenseCategory.choices)
SOURCE = dict(FundingSource.choices)


def translation_en():
    return translation.override("en")


@pytest.fixture(autouse=True)
def english():
    """Messages and labels are compared in English (the interface default is Vietnamese)."""
    with translation_en():
        yield


def figures_of(document):
    """The figures every screen shows, from the document's live content."""
    document = b.fresh(document)
    return estimate_kind.figures(document, estimate_kind.snapshot(document))


def saved_lines(document):
    return list(
        LineItem.objects.filter(estimate__document=document)
        .order_by("position", "pk")
        .values_list("content", "quantity", "unit_price", "amount")
    )


@pytest.fixture
def plan():
    return b.annual_plan()


@pytest.fixture
def estimate(plan):
    """A draft estimate of the plan's year, with no lines yet."""
    return b.create_estimate()


# --- Amounts ------------------------------------------------------------------------------


def test_the_amount_is_quantity_times_unit_price_computed_by_the_server(plan, estimate):
    row = b.line("Máy trạm", 3, 17_500_000)
    row.amount = 1  # whatever a caller might send along is ignored
    b.update(estimate, [row, b.line("Bản quyền phần mềm", "4", "2500000", category="software")])

    assert saved_lines(estimate) == [
        ("Máy trạm", 3, 17_500_000, 52_500_000),
        ("Bản quyền phần mềm", 4, 2_500_000, 10_000_000),
    ]


def test_the_database_refuses_an_amount_that_is_not_quantity_times_price(plan, estimate):
    b.update(estimate, [b.line("Máy trạm", 3, 1_000)])
    with pytest.raises(IntegrityError), transaction.atomic():
        LineItem.objects.filter(estimate__document=estimate).update(amount=2_999)


@pytest.mark.parametrize(
    ("quantity", "unit_price"),
    [(1, MAX_AMOUNT), (2, MAX_AMOUNT // 2), (MAX_AMOUNT, 1), (MAX_AMOUNT, 0)],
    ids=["price-10^15", "amount-10^15", "quantity-10^15", "quantity-10^15-free"],
)
def test_an_amount_of_exactly_10_to_the_15_is_allowed(plan, estimate, quantity, unit_price):
    b.update(estimate, [b.line("Hệ thống lớn", quantity, unit_price)])

    assert saved_lines(estimate) == [("Hệ thống lớn", quantity, unit_price, quantity * unit_price)]


@pytest.mark.parametrize(
    ("quantity", "unit_price", "column"),
    [
        (1, MAX_AMOUNT + 1, "unit price (đồng)"),
        (2, MAX_AMOUNT // 2 + 1, "amount (đồng)"),
        (MAX_AMOUNT + 1, 0, "quantity"),
        (10**8, 10**8, "amount (đồng)"),
    ],
    ids=["price", "amount", "quantity", "product"],
)
def test_an_amount_above_10_to_the_15_is_refused(plan, estimate, quantity, unit_price, column):
    version = b.fresh(estimate).version

    with pytest.raises(InvalidInput) as refused, translation_en():
        b.update(estimate, [b.line("Hệ thống lớn", quantity, unit_price)])

    assert any(f"Row 1, {column}:" in p for p in refused.value.problems), refused.value.problems
    assert saved_lines(estimate) == []
    assert b.fresh(estimate).version == version


# --- Totals and reconciliation -------------------------------------------------------------


def test_totals_by_category_source_and_task_and_reconciliation_with_the_plan(plan, estimate):
    portal, servers, training = (b.task(plan, i) for i in range(3))
    b.update(
        estimate,
        [
            b.line(
                "Thuê cổng", 12, 20_000_000, source="recurrent", category="rental", plan_task=portal
            ),
            b.line("Máy chủ", 4, 250_000_000, plan_task=servers),
            b.line("Tường lửa", 1, 400_000_000, category="security", plan_task=servers),
            b.line("Văn phòng phẩm", 10, 500_000, source="recurrent", category="other"),
        ],
    )

    f = figures_of(estimate)

    assert f["total"] == 240_000_000 + 1_000_000_000 + 400_000_000 + 5_000_000
    assert [(label, amount) for label, amount in f["by_category"]] == [
        (CATEGORY["hardware"], 1_000_000_000),
        (CATEGORY["rental"], 240_000_000),
        (CATEGORY["security"], 400_000_000),
        (CATEGORY["other"], 5_000_000),
    ]
    assert [(label, amount) for label, amount in f["by_source"]] == [
        (SOURCE["investment"], 1_400_000_000),
        (SOURCE["recurrent"], 245_000_000),
    ]
    # Planned (annual plan) against funded (lines) per task, with the difference.
    assert f["reconciliation"] == [
        {
            "task": portal.name,
            "planned": 300_000_000,
            "funded": 240_000_000,
            "difference": -60_000_000,
            "unfunded": False,
        },
        {
            "task": servers.name,
            "planned": 1_200_000_000,
            "funded": 1_400_000_000,
            "difference": 200_000_000,
            "unfunded": False,
        },
        {
            "task": training.name,
            "planned": 100_000_000,
            "funded": 0,
            "difference": -100_000_000,
            "unfunded": True,
        },
    ]
    assert f["planned_total"] == 1_600_000_000
    assert f["unlinked_lines"] == ["Văn phòng phẩm"]


def test_an_estimate_without_lines_leaves_every_task_unfunded(plan, estimate):
    f = figures_of(estimate)

    assert f["total"] == 0
    assert f["by_category"] == f["by_source"] == f["unlinked_lines"] == []
    assert [r["unfunded"] for r in f["reconciliation"]] == [True, True, True]
    assert f["guidance"] is None and f["over"] == []


def test_the_figures_follow_the_revision_shown_not_the_live_lines(plan):
    document = b.make_estimate("returned")
    revision = document.revisions.get(number=1)
    b.update(document, [b.line("Chỉ một dòng", 1, 1_000)])

    assert estimate_kind.figures(document, revision.content)["total"] == 1_300_000_000
    assert figures_of(document)["total"] == 1_000


# --- Ceilings ---------------------------------------------------------------------------------

# The default lines: 300.000.000 recurrent + 1.000.000.000 investment = 1.300.000.000.


def _over(document):
    return figures_of(document)["over"]


def test_a_total_over_the_ceiling_is_flagged(plan, estimate):
    b.guidance(total=1_299_999_999, investment=1_000_000_000, recurrent=300_000_000)
    b.update(estimate, b.default_lines(plan))

    assert _over(estimate) == [("total", 1_300_000_000, 1_299_999_999)]
    warnings = estimate_kind.warnings(b.fresh(estimate), estimate_kind.snapshot(estimate))
    assert len(warnings) == 1
    assert "1.300.000.000" in warnings[0] and "1.299.999.999" in warnings[0]


def test_a_single_source_over_its_ceiling_is_flagged_even_under_the_total(plan, estimate):
    b.guidance(total=2_000_000_000, investment=999_999_999, recurrent=1_500_000_000)
    b.update(estimate, b.default_lines(plan))

    assert _over(estimate) == [("investment", 1_000_000_000, 999_999_999)]


def test_total_and_both_sources_over(plan, estimate):
    b.guidance(total=100, investment=50, recurrent=50)
    b.update(estimate, b.default_lines(plan))

    assert _over(estimate) == [
        ("total", 1_300_000_000, 100),
        ("investment", 1_000_000_000, 50),
        ("recurrent", 300_000_000, 50),
    ]


def test_exactly_at_the_ceilings_is_not_over(plan, estimate):
    b.guidance(total=1_300_000_000, investment=1_000_000_000, recurrent=300_000_000)
    b.update(estimate, b.default_lines(plan))

    assert figures_of(estimate)["guidance"].total_ceiling == 1_300_000_000
    assert _over(estimate) == []
    assert estimate_kind.warnings(b.fresh(estimate), estimate_kind.snapshot(estimate)) == []


def test_without_published_guidance_there_is_no_ceiling(plan, estimate):
    b.update(estimate, b.default_lines(plan))

    assert figures_of(estimate)["guidance"] is None
    assert _over(estimate) == []


def test_unpublished_guidance_is_ignored(plan, estimate):
    b.guidance(total=1, investment=1, recurrent=1, publish=False)
    b.update(estimate, b.default_lines(plan))

    assert figures_of(estimate)["guidance"] is None
    assert _over(estimate) == []
    # ... so nothing stands in the way of submitting without a justification.
    h.act(estimate, "submit", h.DRAFTER)
    assert b.fresh(estimate).state == "submitted"


def test_guidance_of_another_year_is_ignored(plan, estimate):
    b.guidance(year=b.YEAR + 1, total=1, investment=1, recurrent=1)
    b.update(estimate, b.default_lines(plan))

    assert _over(estimate) == []


# --- The justification rule -------------------------------------------------------------------


def test_over_the_ceiling_without_a_justification_cannot_be_submitted(plan, estimate):
    b.guidance(total=1_000_000_000, investment=800_000_000, recurrent=300_000_000)
    b.update(estimate, b.default_lines(plan), justification="   ")
    before = b.fresh(estimate)

    with pytest.raises(InvalidInput) as refused, translation_en():
        h.act(estimate, "submit", h.DRAFTER)

    problems = refused.value.problems
    assert any("justification" in p for p in problems), problems
    # ... and it lists what is over, with the amounts.
    assert any("1.300.000.000" in p and "1.000.000.000" in p for p in problems), problems
    assert any("1.000.000.000" in p and "800.000.000" in p for p in problems), problems
    after = b.fresh(estimate)
    assert (after.state, after.version, after.revision_count) == (
        "draft",
        before.version,
        0,
    )
    assert not AuditEvent.objects.filter(
        document=estimate, action="budgeting.estimate.submitted"
    ).exists()


def test_over_the_ceiling_with_a_justification_is_submitted_and_reviewers_see_the_warning(
    plan, estimate
):
    b.guidance(total=1_000_000_000, investment=800_000_000, recurrent=300_000_000)
    b.update(
        estimate,
        b.default_lines(plan),
        justification="Máy chủ hiện có đã hết khấu hao, cần thay thế ngay.",
    )

    h.act(estimate, "submit", h.DRAFTER)

    document = b.fresh(estimate)
    assert document.state == "submitted"
    revision = document.revisions.get(number=1)
    assert revision.content["sections"]["justification"].startswith("Máy chủ hiện có")
    # The warnings the review and sign pages show, from the revision being reviewed.
    with translation_en():
        warnings = estimate_kind.warnings(document, revision.content)
    assert len(warnings) == 2
    assert "The total" in warnings[0] and "1.300.000.000" in warnings[0]
    assert "Development investment" in warnings[1] and "800.000.000" in warnings[1]


def test_an_estimate_needs_a_line_to_be_submitted(plan, estimate):
    with pytest.raises(InvalidInput) as refused, translation_en():
        h.act(estimate, "submit", h.DRAFTER)

    assert refused.value.problems == ["An estimate needs at least one line."]
    assert b.fresh(estimate).state == "draft"


# --- Belonging to the annual plan -----------------------------------------------------------


def test_an_estimate_belongs_to_the_annual_plan_of_its_year(plan):
    b.annual_plan(b.YEAR + 1)

    with translation_en():
        document = b.create_estimate()

    estimate = Estimate.objects.get(document=document)
    assert estimate.annual_plan == plan
    assert document.year == plan.period_start == b.YEAR
    assert document.kind == "budget_estimate"
    assert (document.drafting_unit.code, document.reviewing_unit.code) == ("TTTT", "KH")
    assert document.title == f"Budget estimate for IT application in {b.YEAR}"


def test_without_an_annual_plan_of_the_year_no_estimate(plan):
    # The five-year plan covers the year, but there is no annual plan of it.
    with pytest.raises(InvalidInput) as refused, translation_en():
        b.create_estimate(b.YEAR + 1)

    assert refused.value.problems == [
        f"There is no annual plan for {b.YEAR + 1} yet: draft it first."
    ]
    assert not Estimate.objects.exists()


def test_a_five_year_plan_is_not_an_annual_plan(demo_org):
    h.create_plan(kind=Kind.FIVE_YEAR, year=b.YEAR)

    with pytest.raises(InvalidInput):
        b.create_estimate(b.YEAR)
    assert not Estimate.objects.exists()


def test_a_second_estimate_for_the_same_plan_is_refused(plan, estimate):
    with pytest.raises(InvalidInput) as refused, translation_en():
        b.create_estimate(title="Dự toán thứ hai")

    assert refused.value.problems == [f"The annual plan of {b.YEAR} already has a budget estimate."]
    assert Estimate.objects.count() == 1


@pytest.mark.parametrize("year", [1999, 2101, "2027", None])
def test_the_year_must_be_a_year(plan, year):
    with pytest.raises(InvalidInput):
        budgeting.estimate_create(user=h.person(h.DRAFTER), year=year)
    assert not Estimate.objects.exists()


def test_a_line_may_not_fund_a_task_of_another_plan(plan, estimate):
    other_year = b.annual_plan(b.YEAR + 1)
    five_year_plan = Plan.objects.get(document__kind=Kind.FIVE_YEAR)
    five_year = h.fill(five_year_plan.document).tasks.get()  # the five-year plan's own task
    b.update(estimate, b.default_lines(plan))
    version = b.fresh(estimate).version

    for foreign in (b.task(other_year, 0), five_year, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(InvalidInput) as refused, translation_en():
            b.update(estimate, [*b.default_lines(plan), b.line("Lạc kế hoạch", plan_task=foreign)])
        assert refused.value.problems == [
            "Row 3, plan task funded: is not a task of this estimate's annual plan: choose "
            "one of its tasks or leave it empty."
        ]

    assert LineItem.objects.filter(estimate__document=estimate).count() == 2
    assert not LineItem.objects.filter(plan_task__plan=other_year).exists()
    assert b.fresh(estimate).version == version


def test_a_line_funds_a_task_of_its_own_plan(plan, estimate):
    b.update(estimate, [b.line("Máy chủ", plan_task=b.task(plan, 1))])

    assert LineItem.objects.get(estimate__document=estimate).plan_task == b.task(plan, 1)


# --- Bad input --------------------------------------------------------------------------------

BAD_NUMBERS = [
    pytest.param(-1, id="negative"),
    pytest.param("-5", id="negative-text"),
    pytest.param(1.5, id="fraction"),
    pytest.param("1.5", id="fraction-dot"),
    pytest.param("1,5", id="fraction-comma"),
    pytest.param(10**16, id="overflow"),
    pytest.param("10000000000000000", id="overflow-text"),
    pytest.param("mười", id="words"),
    pytest.param("1e3", id="exponent"),
    pytest.param(True, id="boolean"),
    pytest.param(None, id="missing"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("field", ["quantity", "unit_price"])
@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_bad_numbers_are_refused_and_nothing_is_saved(plan, estimate, field, value):
    b.update(estimate, b.default_lines(plan), justification="Ban đầu")
    before = b.fresh(estimate)
    lines_before = saved_lines(estimate)
    rows = b.default_lines(plan)
    setattr(rows[1], field, value)

    with pytest.raises(InvalidInput) as refused, translation_en():
        b.update(estimate, [b.line("Dòng mới", 1, 1)] + rows, justification="Đã đổi")

    column = {"quantity": "quantity", "unit_price": "unit price (đồng)"}[field]
    (problem,) = [p for p in refused.value.problems if p.startswith("Row 3")]
    assert problem.startswith(f"Row 3, {column}: ")
    assert problem.endswith("for example 12." if field == "quantity" else "for example 1.500.000.")
    if value not in (None, ""):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        shown = grouped(value) if number else str(value)
        assert f"“{shown}”" in problem  # the value refused is quoted
    after = b.fresh(estimate)
    assert after.version == before.version
    assert after.title == before.title
    assert Estimate.objects.get(document=estimate).justification == "Ban đầu"
    assert saved_lines(estimate) == lines_before


def test_a_quantity_of_zero_is_refused_but_a_free_line_is_not(plan, estimate):
    with pytest.raises(InvalidInput):
        b.update(estimate, [b.line("Không có gì", 0, 1_000)])
    b.update(estimate, [b.line("Tặng kèm", 1, 0)])

    assert saved_lines(estimate) == [("Tặng kèm", 1, 0, 0)]


def test_every_problem_of_every_row_is_reported_at_once(plan, estimate):
    rows = [
        b.line("", "mười", -1, source="gift", category="food", unit=""),
        b.line("Hợp lệ", 1, 1),
        b.line("x" * 501, 1, 1, plan_task="not-a-uid"),
    ]
    with pytest.raises(InvalidInput) as refused, translation_en():
        b.update(estimate, rows)

    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "Row 1, content",
        "Row 1, expense category",
        "Row 1, funding source",
        "Row 1, unit of measure",
        "Row 1, quantity",
        "Row 1, unit price (đồng)",
        "Row 3, content",
        "Row 3, plan task funded",
    ]
    assert saved_lines(estimate) == []


def test_an_empty_title_is_refused(plan, estimate):
    with pytest.raises(InvalidInput):
        b.update(estimate, b.default_lines(plan), title="   ")
    assert saved_lines(estimate) == []


def test_a_repeated_line_uid_does_not_lose_a_line(plan, estimate):
    b.update(estimate, [b.line("Máy chủ", 1, 100)])
    uid = str(LineItem.objects.get(estimate__document=estimate).uid)

    try:
        b.update(
            estimate,
            [b.line("Máy chủ", 1, 100, uid=uid), b.line("Máy trạm", 2, 50, uid=uid)],
        )
    except InvalidInput:
        assert saved_lines(estimate) == [("Máy chủ", 1, 100, 100)]  # refused: fine
    else:
        assert len(saved_lines(estimate)) == 2


# --- Through the flow to issue, numbered in the decisions register ----------------------------


def test_the_full_flow_issues_the_estimate_as_a_decision(plan):
    document = b.make_estimate("draft")
    h.act(document, "submit", h.DRAFTER)
    h.act(document, "return", h.REVIEWER, comment="Giảm số máy chủ xuống 3 bộ.")
    rows = b.default_lines(plan)
    rows[1].quantity = 3
    b.update(document, rows)
    h.act(document, "submit", h.DRAFTER)
    h.act(document, "endorse", h.REVIEWER)
    h.sign_and_issue(document, h.MINISTER)

    document = b.fresh(document)
    today = timezone.localdate()
    assert document.state == "issued"
    assert (document.register, document.number, document.number_year) == ("QĐ", 1, today.year)
    assert document.number_text == "01/QĐ-UBDT"
    assert document.issued_on == today
    assert document.revision_count == 2
    assert document.signed_revision.number == 2
    assert document.signed_sha256 == h.canonical_sha256(document.signed_revision.content)
    assert [r["quantity"] for r in document.signed_revision.content["tables"]["lines"]] == [12, 3]
    assert [
        e.action
        for e in AuditEvent.objects.filter(document=document).order_by("pk")
        if e.action.startswith("budgeting.")
    ] == [
        "budgeting.estimate.created",
        "budgeting.estimate.edited",
        "budgeting.estimate.submitted",
        "budgeting.estimate.returned",
        "budgeting.estimate.edited",
        "budgeting.estimate.submitted",
        "budgeting.estimate.endorsed",
        "budgeting.estimate.signed",
        "budgeting.estimate.issued",
    ]
    # Issued: it never changes again.
    with pytest.raises(NotEditable):
        b.update(document, [b.line("Sau khi ký", 1, 1)])
    assert b.fresh(document).version == document.version


def test_estimates_share_the_decisions_register_and_plans_keep_their_own(demo_org):
    first = b.make_estimate("issued", year=b.YEAR)
    # An annual plan issued in between is numbered in the plans' register, not in "QĐ".
    plan_doc = b.annual_plan(b.YEAR + 1).document
    h.drive(plan_doc, "issued")
    second = b.make_estimate("issued", year=b.YEAR + 1, plan=Plan.objects.get(document=plan_doc))

    first, second, plan_doc = b.fresh(first), b.fresh(second), b.fresh(plan_doc)
    assert first.year != second.year
    assert first.number_year == second.number_year == timezone.localdate().year
    assert (first.number_text, second.number_text) == ("01/QĐ-UBDT", "02/QĐ-UBDT")
    assert plan_doc.number_text == "01/KH-UBDT"
    assert RegisterCounter.objects.get(register="QĐ", year=first.number_year).last_number == 2


def test_a_number_taken_by_another_decision_kind_is_not_reused(demo_org):
    """Every kind numbered in "QĐ" (e.g. the decision issuing a competency standard) draws
    from the same counter: a decision numbered between two estimates takes 02."""
    first = b.make_estimate("issued", year=b.YEAR)
    year = first.number_year
    with transaction.atomic():
        between = numbering.take_next_number(register="QĐ", year=year)
    second = b.make_estimate("issued", year=b.YEAR + 1)

    assert numbering.format_number(number=between, register="QĐ") == "02/QĐ-UBDT"
    assert (first.number_text, second.number_text) == ("01/QĐ-UBDT", "03/QĐ-UBDT")
    decision_kinds = {k.code for k in engine_kinds.all_kinds() if k.register == "QĐ"}
    assert "budget_estimate" in decision_kinds


@pytest.mark.usefixtures("vice_minister_delegation")
def test_a_vice_minister_signs_the_estimate_on_behalf_of_the_minister(plan):
    document = b.make_estimate("issued", signer=h.VICE_MINISTER)

    assert document.signed_on_behalf is True
    assert document.signed_by.username == h.VICE_MINISTER
    assert document.number_text == "01/QĐ-UBDT"


# --- The diff between revisions --------------------------------------------------------------


def test_the_diff_between_revisions_covers_lines_and_the_total(plan):
    portal, servers = b.task(plan, 0), b.task(plan, 1)
    document = b.make_estimate(
        "returned",
        lines=lambda p: [
            b.line("Máy chủ", 4, 250_000_000, plan_task=servers),
            b.line("Máy in", 2, 5_000_000, category="hardware"),
            b.line("Thuê cổng", 12, 25_000_000, source="recurrent", plan_task=portal),
        ],
    )
    uids = {
        line.content: str(line.uid) for line in LineItem.objects.filter(estimate__document=document)
    }
    b.update(
        document,
        [
            # changed: quantity (hence amount) and the note
            b.line(
                "Máy chủ", 3, 250_000_000, plan_task=servers, note="Giảm 1 bộ", uid=uids["Máy chủ"]
            ),
            # unchanged
            b.line(
                "Thuê cổng",
                12,
                25_000_000,
                source="recurrent",
                plan_task=portal,
                uid=uids["Thuê cổng"],
            ),
            # added; "Máy in" removed
            b.line("Đào tạo", 1, 40_000_000, category="training", source="recurrent"),
        ],
        justification="Bổ sung đào tạo.",
    )
    h.act(document, "submit", h.DRAFTER)
    document = b.fresh(document)
    old = document.revisions.get(number=1).content
    new = document.revisions.get(number=2).content

    with translation_en():
        changes = engine_content.diff(estimate_kind.SCHEMA, old, new)

    assert not changes["empty"]
    assert [s["key"] for s in changes["sections"]] == ["justification"]
    assert changes["sections"][0]["status"] == "added"
    (table,) = changes["tables"]
    assert table["key"] == "lines"
    by_status = {}
    for row in table["rows"]:
        by_status.setdefault(row["status"], []).append(row)
    assert set(by_status) == {"added", "changed", "removed"}
    (changed,) = by_status["changed"]
    assert changed["uid"] == uids["Máy chủ"] and changed["name"] == "Máy chủ"
    assert [(str(c["label"]), c["old"], c["new"]) for c in changed["cells"]] == [
        ("Quantity", "4", "3"),
        ("Amount (đồng)", "1.000.000.000", "750.000.000"),
        ("Note", "", "Giảm 1 bộ"),
    ]
    (added,) = by_status["added"]
    assert added["cells"][0]["new"] == "Đào tạo"
    assert {str(c["label"]): c["new"] for c in added["cells"]}["Amount (đồng)"] == "40.000.000"
    (removed,) = by_status["removed"]
    assert removed["uid"] == uids["Máy in"]
    assert {str(c["label"]): c["old"] for c in removed["cells"]}["Amount (đồng)"] == "10.000.000"
    # The unchanged line is not listed at all.
    assert uids["Thuê cổng"] not in {r["uid"] for r in table["rows"]}
    # The total: 1.310.000.000 → 1.090.000.000, down 220.000.000.
    assert [
        (str(t["label"]), t["old"], t["new"], t["delta"], t["up"]) for t in table["totals"]
    ] == [("Amount (đồng)", "1.310.000.000", "1.090.000.000", "220.000.000", False)]


def test_the_diff_shows_the_total_in_millions_when_chosen(plan):
    document = b.make_estimate("returned")
    rows = b.default_lines(plan)
    rows[1].quantity = 6  # + 500.000.000
    b.update(document, rows)
    h.act(document, "submit", h.DRAFTER)
    document = b.fresh(document)
    with translation.override("vi"), money.money_unit("million"):
        changes = engine_content.diff(
            estimate_kind.SCHEMA,
            document.revisions.get(number=1).content,
            document.revisions.get(number=2).content,
        )

    (total,) = changes["tables"][0]["totals"]
    assert (total["old"], total["new"], total["delta"], total["up"]) == (
        "1.300",
        "1.800",
        "500",
        True,
    )


def test_two_identical_revisions_have_an_empty_diff(plan):
    document = b.make_estimate("returned")
    h.act(document, "submit", h.DRAFTER)
    document = b.fresh(document)

    changes = engine_content.diff(
        estimate_kind.SCHEMA,
        document.revisions.get(number=1).content,
        document.revisions.get(number=2).content,
    )
    assert changes["empty"]

"""The criteria set as a document: the demo content saves and snapshots, its content is
validated (codes, parameters per method, grade bands), revisions diff indicator by
indicator, the issued decision prints, and the edit page saves what it shows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from reporting import kinds, services
from reporting.models import CriteriaSet, Indicator
from tests.reporting import helpers as r
from tests.workflows import helpers as h
from workflows import content, selectors
from workflows.exceptions import InvalidInput
from workflows.models import Document

pytestmark = pytest.mark.usefixtures("demo_org")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_demo_has_the_four_groups_of_decision_240_and_15_to_25_indicators():
    groups, indicators = r.content()
    assert [g.code for g in groups] == ["I", "II", "III", "IV"]
    assert 15 <= len(indicators) <= 25
    assert {i.method for i in indicators} == set(kinds.scoring.METHODS)
    unit_total = sum(i.max_points for i in indicators if i.applies_to != "people")
    assert unit_total == 100


def test_the_snapshot_holds_groups_indicators_parameters_and_bands():
    document = r.make_criteria("draft")
    snap = kinds.snapshot(document)
    tables = snap["tables"]
    assert [g["uid"] for g in tables["groups"]] == ["I", "II", "III", "IV"]
    by_code = {i["uid"]: i for i in tables["indicators"]}
    assert by_code["1.5"]["params"] == "≥1: 2; ≥3: 4; ≥5: 5"
    assert by_code["3.3"]["params"] == "1 × n ≤ 5"
    assert by_code["1.3"]["params"] == "3"
    assert by_code["1.3"]["evidence_required"] == "yes"
    assert by_code["2.1"]["max_points"] == "10"
    assert [(b["grade"], b["from"]) for b in tables["grades"]] == [
        ("good", "85"),
        ("fair", "70"),
        ("average", "50"),
        ("poor", "0"),
    ]
    # Every cell of the schema presents without error.
    presented = content.present(kinds.SCHEMA, snap)
    assert [t["key"] for t in presented["tables"]] == ["groups", "indicators", "grades"]


def _indicator(**changes):
    _groups, indicators = r.content()
    return [services.IndicatorRow(**{**vars(indicators[0]), **changes}), *indicators[1:]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"method": "ratio", "params": {"points": 2}}, "does not take: points"),
        ({"method": "yes_no", "params": {}}, "Give the points for yes"),
        ({"method": "capped_count", "params": {"per_item": 1, "cap": 9}}, "the cap must be"),
        ({"method": "tiered", "params": {"tiers": []}}, "at least one tier"),
        ({"max_points": 0}, "maximum points are a number above 0"),
        ({"group": "IX"}, "choose one of this set's criteria groups"),
        ({"code": "1.2"}, "appears twice"),
        ({"applies_to": "everyone"}, "say whom it applies to"),
    ],
)
def test_an_invalid_indicator_is_refused_and_nothing_is_saved(changes, message):
    document = r.make_criteria("draft")
    before = list(Indicator.objects.values_list("pk", "code"))
    with pytest.raises(InvalidInput) as refused:
        r.fill(document, indicators=_indicator(**changes))
    assert any(message.lower() in p.lower() for p in refused.value.problems), refused.value.problems
    assert list(Indicator.objects.values_list("pk", "code")) == before


@pytest.mark.parametrize(
    "bands",
    [
        [
            {"grade": "good", "from": 70},
            {"grade": "fair", "from": 85},
            {"grade": "average", "from": 50},
            {"grade": "poor", "from": 0},
        ],
        [
            {"grade": "good", "from": 85},
            {"grade": "fair", "from": 70},
            {"grade": "average", "from": 50},
            {"grade": "poor", "from": 10},
        ],
        [
            {"grade": "good", "from": 101},
            {"grade": "fair", "from": 70},
            {"grade": "average", "from": 50},
            {"grade": "poor", "from": 0},
        ],
        [
            {"grade": "good", "from": 85},
            {"grade": "fair", "from": 70},
            {"grade": "poor", "from": 0},
        ],
    ],
)
def test_grade_bands_must_descend_and_cover_zero_to_the_total(bands):
    document = r.make_criteria("draft")
    with pytest.raises(InvalidInput):
        r.fill(document, bands=bands)
    assert CriteriaSet.objects.get(document=document).grade_bands == r.BANDS


def test_an_empty_criteria_set_cannot_be_submitted():
    document = r.create()
    with pytest.raises(InvalidInput) as refused:
        h.act(document, "submit", r.DRAFTER)
    assert "Add at least one criteria group" in " ".join(refused.value.problems)


def test_a_revision_diff_shows_the_changed_indicator():
    document = r.make_criteria("returned")
    _groups, indicators = r.content()
    indicators[0].max_points = 7
    indicators[4].params = {"tiers": [{"from": 1, "points": 2}, {"from": 4, "points": 5}]}
    r.fill(
        document,
        indicators=indicators,
        bands=[{**b, "from": 84} if b["grade"] == "good" else b for b in r.BANDS],
    )
    h.act(document, "submit", r.DRAFTER)
    document.refresh_from_db()
    old, new = (rev.content for rev in document.revisions.order_by("number"))
    changes = content.diff(kinds.SCHEMA, old, new)
    rows = {t["key"]: {row["uid"]: row for row in t["rows"]} for t in changes["tables"]}
    assert set(rows["indicators"]) == {"1.1", "1.5"}
    assert [(c["old"], c["new"]) for c in rows["indicators"]["1.1"]["cells"]] == [("8", "7")]
    assert set(rows["grades"]) == {"good"}


def test_the_issued_decision_is_numbered_in_the_qd_register_and_prints(as_user):
    document = r.make_criteria("issued")
    assert document.number_text == "01/QĐ-UBDT"
    response = as_user("hoidong.tdkt").get(reverse("workflows:print", args=[document.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "QUYẾT ĐỊNH" in page
    assert "Số lượt công chức tham gia đào tạo" in page
    assert "1 × n ≤ 5" in page


def test_the_council_sees_issued_criteria_sets_in_the_list(as_user):
    issued = r.make_criteria("issued", year=2026)
    pending = r.make_criteria("submitted", year=2027)
    page = as_user("hoidong.tdkt").get(reverse("reporting:list")).content.decode()
    # By title: the menu and headings say "Bộ tiêu chí đánh giá" too.
    assert issued.title in page
    assert pending.title not in page


def test_the_edit_page_saves_what_it_shows(as_user):
    document = r.make_criteria("draft")
    client = as_user(r.DRAFTER)
    page = client.get(reverse("reporting:edit", args=[document.pk])).content.decode()
    data = h.page_form(page, "title")
    data["indicators-0-max_points"] = "7"
    data["indicators-4-tiers"] = "1: 2; 4: 5"
    data["save"] = "1"

    response = client.post(reverse("reporting:edit", args=[document.pk]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    one = Indicator.objects.get(group__criteria_set__document=document, code="1.1")
    tiers = Indicator.objects.get(group__criteria_set__document=document, code="1.5")
    assert one.max_points == 7
    assert tiers.params == {"tiers": [{"from": 1, "points": 2}, {"from": 4, "points": 5}]}
    assert Indicator.objects.filter(group__criteria_set__document=document).count() == 20
    document.refresh_from_db()
    assert selectors.document_for(h.person(r.DRAFTER), document.pk).version == 3  # fill + page


def test_the_edit_page_shows_parameter_errors_and_saves_nothing(as_user):
    document = r.make_criteria("draft")
    client = as_user(r.DRAFTER)
    page = client.get(reverse("reporting:edit", args=[document.pk])).content.decode()
    data = h.page_form(page, "title")
    data["indicators-4-tiers"] = "one: two"
    data["band_poor"] = "10"
    data["save"] = "1"

    response = client.post(reverse("reporting:edit", args=[document.pk]), data)

    assert response.status_code == 400
    assert "Ghi mỗi mức theo dạng ngưỡng: điểm" in response.content.decode()
    document.refresh_from_db()
    assert document.version == 2  # only the fill


def test_add_an_indicator_row_saves_nothing(as_user):
    document = r.make_criteria("draft")
    client = as_user(r.DRAFTER)
    page = client.get(reverse("reporting:edit", args=[document.pk])).content.decode()
    data = h.page_form(page, "title")
    data["add_indicator"] = "1"
    response = client.post(reverse("reporting:edit", args=[document.pk]), data)
    assert response.status_code == 200
    assert 'name="indicators-20-code"' in response.content.decode()


def test_the_centre_creates_a_criteria_set_and_others_may_not(as_user):
    assert (
        as_user("thamdinh.kh").post(reverse("reporting:create"), {"year": "2026"}).status_code
        == 403
    )
    response = as_user(r.DRAFTER).post(reverse("reporting:create"), {"year": "2026", "title": ""})
    document = Document.objects.get(kind=kinds.KIND)
    assert response.url == reverse("reporting:edit", args=[document.pk])
    assert document.title == services.default_title(2026)

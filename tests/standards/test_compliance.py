"""The compliance arithmetic: required modules by position group, modules held through
certificates, the gap, and each unit's share of compliant staff."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.utils import timezone

from organisation.models import Unit
from standards import certificates, selectors
from standards.models import Membership, PositionGroup, Requirement
from standards.services import RequirementRow, in_force
from tests.factories import PersonFactory
from tests.standards.conftest import BASIC, CNTT_ADVANCED, DRAFTER, issue_standard
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db

YESTERDAY = dt.date(2024, 5, 20)


def certify(person, codes, number=None, body="Trường Đại học Bách khoa Hà Nội"):
    certify.count = getattr(certify, "count", 0) + 1
    return certificates.certificate_record(
        user=h.person(DRAFTER),
        person_id=person.pk,
        module_codes=codes,
        issued_on=YESTERDAY,
        issuing_body=body,
        number=number or f"CC-{certify.count:05d}",
    )


def place(person, code):
    Membership.objects.create(person=person, group=PositionGroup.objects.get(code=code))


def test_required_modules_by_level():
    assert selectors.required_modules("none") == frozenset()
    assert selectors.required_modules("basic") == frozenset(BASIC)
    assert selectors.required_modules("advanced", ["IU07", "IU08", "IU10"]) == frozenset(
        [*BASIC, "IU07", "IU08", "IU10"]
    )
    assert selectors.required_modules("unknown") == frozenset()


def test_basic_requirement_nothing_held_then_all_held(standard):
    person = h.person("soanthao.tccb")  # CHUYENVIEN: basic
    c = selectors.person_compliance(person, standard)
    assert c.group.code == "CHUYENVIEN"
    assert c.level == Requirement.Level.BASIC
    assert c.required == BASIC
    assert c.held == []
    assert c.gap == BASIC
    assert c.status == selectors.GAP
    assert c.compliant is False and c.subject

    certify(person, BASIC)
    c = selectors.person_compliance(person, standard)
    assert c.held == BASIC and c.gap == []
    assert c.status == selectors.COMPLIANT and c.compliant is True
    assert [cert.number for cert in c.certificates] == [f"CC-{certify.count:05d}"]


def test_advanced_requirement_with_three_advanced_modules(standard):
    person = h.person("soanthao.tttt")  # CNTT: advanced IU07, IU09, IU14
    c = selectors.person_compliance(person, standard)
    assert c.level == Requirement.Level.ADVANCED
    assert c.required == [*BASIC, *CNTT_ADVANCED]
    assert c.gap == [*BASIC, *CNTT_ADVANCED]

    # Basic modules and two of the three advanced ones; another advanced module (IU08)
    # does not stand in for the missing one.
    certify(person, [*BASIC, "IU07", "IU08", "IU09"])
    c = selectors.person_compliance(person, standard)
    assert c.gap == ["IU14"]
    assert c.held == [*BASIC, "IU07", "IU08", "IU09"]
    assert c.held_required == [*BASIC, "IU07", "IU09"]
    assert c.status == selectors.GAP

    certify(person, ["IU14"])
    c = selectors.person_compliance(person, standard)
    assert c.gap == [] and c.status == selectors.COMPLIANT


def test_partially_held(standard):
    person = h.person("thamdinh.kh")  # LANHDAO_VU: basic
    certify(person, ["IU01", "IU02", "IU03"])
    c = selectors.person_compliance(person, standard)
    assert c.held == ["IU01", "IU02", "IU03"]
    assert c.gap == ["IU04", "IU05", "IU06"]
    assert c.compliant is False


def test_held_through_several_certificates(standard):
    person = h.person("soanthao.tccb")
    certify(person, ["IU01", "IU02"], body="Trung tâm Tin học A")
    certify(person, ["IU02", "IU03", "IU04"], body="Trung tâm Tin học B")
    c = selectors.person_compliance(person, standard)
    assert c.gap == ["IU05", "IU06"]
    certify(person, "iu05, IU06 ")  # codes are normalised
    c = selectors.person_compliance(person, standard)
    assert c.held == BASIC and c.gap == [] and c.status == selectors.COMPLIANT
    assert len(c.certificates) == 3
    # The unit's list sees the same union.
    rows = selectors.unit_compliance(person.unit, standard)
    assert [r.status for r in rows if r.person.pk == person.pk] == [selectors.COMPLIANT]


def test_group_without_requirement(standard):
    person = h.person("vanthu.vp")  # HANHCHINH: none
    c = selectors.person_compliance(person, standard)
    assert c.status == selectors.NOT_REQUIRED
    assert c.required == [] and c.gap == []
    assert c.compliant is True and not c.subject


def test_group_missing_from_the_matrix_requires_nothing(org):
    standard = issue_standard(matrix=[RequirementRow("CHUYENVIEN", "basic")])
    c = selectors.person_compliance(h.person("soanthao.tttt"), standard)  # CNTT
    assert c.status == selectors.NOT_REQUIRED and c.level == "none"


def test_person_without_a_group_is_listed_as_no_group_and_not_counted(standard):
    tccb = Unit.objects.get(code="TCCB")
    newcomer = PersonFactory(username="moi.tccb", full_name="Trịnh Văn Mới", unit=tccb)
    certify(newcomer, BASIC)
    c = selectors.person_compliance(newcomer, standard)
    assert c.group is None
    assert c.status == selectors.NO_GROUP
    assert c.required == [] and c.gap == [] and c.held == BASIC
    assert c.compliant is None and not c.subject

    rows = selectors.unit_compliance(tccb, standard)
    totals = rows.totals
    assert {r.person.username: r.status for r in rows} == {
        "moi.tccb": selectors.NO_GROUP,
        "soanthao.tccb": selectors.GAP,
    }
    assert (totals.people, totals.no_group, totals.subject, totals.compliant) == (2, 1, 1, 0)
    assert totals.share == 0.0

    no_group = selectors.unit_compliance(tccb, standard, group=selectors.NO_GROUP_FILTER)
    assert [r.person.username for r in no_group] == ["moi.tccb"]


def test_no_standard_in_force(org):
    assert in_force() is None
    person = h.person("soanthao.tccb")
    certify(person, ["IU01"])
    c = selectors.person_compliance(person, None)
    assert c.status == selectors.NO_STANDARD
    assert c.required == [] and c.gap == [] and c.held == ["IU01"]
    assert c.compliant is None and c.group.code == "CHUYENVIEN"
    rows = selectors.unit_compliance(person.unit, None)
    assert [r.status for r in rows] == [selectors.NO_STANDARD]
    assert rows.totals.subject == 0 and rows.totals.share is None
    # Without a standard given, the one in force (none) is used.
    assert [r.status for r in selectors.unit_compliance(person.unit)] == [selectors.NO_STANDARD]
    assert selectors.person_compliance(person).status == selectors.NO_STANDARD
    summary = selectors.units_summary(None)
    assert summary.overall.subject == 0 and summary.overall.share is None
    assert all(u.totals.share is None for u in summary)


def test_a_standard_issued_for_a_later_date_is_not_yet_in_force(org):
    later = timezone.localdate() + dt.timedelta(days=30)
    standard = issue_standard(effective_date=later)
    assert standard.document.state == "issued"
    assert in_force() is None
    assert in_force(later) == standard


def test_units_summary_share_counts_only_people_with_a_requirement(standard):
    tccb = Unit.objects.get(code="TCCB")
    for i, done in enumerate([True, True, False]):
        p = PersonFactory(username=f"cv{i}", unit=tccb)
        place(p, "CHUYENVIEN")
        if done:
            certify(p, BASIC)
    hc = PersonFactory(username="hc", unit=tccb)
    place(hc, "HANHCHINH")  # nothing required: not counted in the share
    PersonFactory(username="nogroup", unit=tccb)  # no group: not counted either
    PersonFactory(username="left", unit=tccb, is_active=False)  # left: not listed

    summary = selectors.units_summary(standard)
    overall = summary.overall
    row = next(u for u in summary if u.unit == tccb)
    t = row.totals
    # soanthao.tccb (gap), cv0, cv1 (compliant), cv2 (gap), hc, nogroup
    assert (t.people, t.no_group, t.not_required, t.subject, t.compliant, t.gap) == (
        6,
        1,
        1,
        4,
        2,
        2,
    )
    assert t.share == 0.5 and t.share_percent == 50.0
    assert (row.people, row.subject, row.compliant, row.share) == (6, 4, 2, 0.5)
    assert selectors.units_summary().overall.compliant == 2  # the standard in force
    ld = next(u for u in summary if u.unit and u.unit.code == "LD").totals
    assert ld.subject == 0 and ld.share is None  # leaders: nothing required
    assert overall.people == sum(u.totals.people for u in summary)
    assert overall.compliant == 2


def test_filters_compliant_group_and_accent_free_name_search(standard):
    tccb = Unit.objects.get(code="TCCB")
    a = PersonFactory(username="a", full_name="Nguyễn Thị Hằng", unit=tccb)
    place(a, "CHUYENVIEN")
    certify(a, BASIC)
    b = PersonFactory(username="b", full_name="Đặng Văn Hùng", unit=tccb)
    place(b, "CNTT")

    def names(**filters):
        return [r.person.username for r in selectors.unit_compliance(tccb, standard, **filters)]

    assert names(compliant="yes") == ["a"] == names(compliant=True)
    assert names(compliant="no") == ["soanthao.tccb", "b"]  # by given name: Cường, Hùng
    assert names(group="CNTT") == ["b"]
    assert names(group=PositionGroup.objects.get(code="CNTT")) == ["b"]
    assert names(q="nguyen hang") == ["a"]
    assert names(q="ĐẶNG") == ["b"]
    assert names(q="dang hung", compliant="yes") == []


def test_people_are_listed_by_given_name_in_vietnamese_order(standard):
    tccb = Unit.objects.get(code="TCCB")
    for username, full_name in [
        ("dang", "Đặng Văn An"),
        ("dao", "Đào Thị An"),
        ("e", "Lê Em"),
        ("duc", "Nguyễn Đức"),
        ("dung", "Trần Dung"),
        ("an", "Vũ An"),
    ]:
        PersonFactory(username=username, full_name=full_name, unit=tccb)

    rows = selectors.unit_compliance(tccb, standard)
    # Given names first (An, An, An, Cường, Dung, Đức, Em); among the Ans, the rest of the
    # name: Đào before Đặng (a before ă), both after every D and before V.
    assert [r.person.username for r in rows] == [
        "dao",
        "dang",
        "an",
        "soanthao.tccb",
        "dung",
        "duc",
        "e",
    ]


def test_compliance_name_search_ignores_unicode_form(standard):
    tccb = Unit.objects.get(code="TCCB")
    PersonFactory(username="x", full_name=unicodedata.normalize("NFD", "Đắk Nông"), unit=tccb)

    def names(q):
        return [r.person.username for r in selectors.unit_compliance(tccb, standard, q=q)]

    assert names("đắk nông") == names("ĐẮK NÔNG") == names("dak nong") == ["x"]


def test_deadline_to_comply():
    class S:
        effective_date = dt.date(2025, 1, 31)
        months_to_comply = 13

    assert selectors.compliance_deadline(S) == dt.date(2026, 2, 28)
    S.months_to_comply = 0
    assert selectors.compliance_deadline(S) == dt.date(2025, 1, 31)
    assert selectors.compliance_deadline(None) is None


def test_compliance_by_person_without_a_standard_is_no_standard(org):
    person = h.person("soanthao.tccb")
    certify(person, ["IU01"])
    found = selectors.compliance_by_person(type(person).objects.filter(pk=person.pk), None)
    assert found[person.pk].status == selectors.NO_STANDARD
    assert found[person.pk].held == {"IU01"} and found[person.pk].gap == frozenset()

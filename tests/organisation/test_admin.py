"""The admin lists people in Vietnamese staff-list order and finds them whatever the
case, diacritics or Unicode form of what is typed."""

import unicodedata

import pytest
from django.urls import reverse

from organisation.models import Person, Unit
from organisation.text import person_sort_key
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def admin_client(client):
    client.force_login(PersonFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def _listed(client, **params) -> list[str]:
    response = client.get(reverse("admin:organisation_person_changelist"), params)
    assert response.status_code == 200
    return [p.username for p in response.context["cl"].result_list]


def test_people_are_listed_by_given_name_in_vietnamese_order(admin_client):
    unit = UnitFactory()
    for username, full_name in [
        ("vinh", "Lê Văn Vinh"),
        ("dat", "Phạm Đạt"),
        ("dung", "Hồ Dung"),
        ("em", "Ngô Em"),
        ("dao", "Đào Anh"),
        ("dang", "Đặng Anh"),
    ]:
        PersonFactory(username=username, full_name=full_name, unit=unit)
    # Anh (Đào before Đặng: a before ă), Dung, then Đạt (đ after d), Em, Vinh.
    assert _listed(admin_client, unit__id__exact=unit.pk) == [
        "dao",
        "dang",
        "dung",
        "dat",
        "em",
        "vinh",
    ]


@pytest.mark.parametrize("q", ["dak nong", "đắk nông", "ĐẮK NÔNG", nfd("Đắk Nông"), "nong"])
def test_admin_search_ignores_case_diacritics_and_unicode_form(admin_client, q):
    PersonFactory(username="ydn", full_name=nfd("Y Đắk Nông"), email="y@ubdt.gov.vn")
    PersonFactory(username="other", full_name="Trần Văn Bình")
    assert _listed(admin_client, q=q) == ["ydn"]


def test_admin_search_still_finds_user_names_and_email(admin_client):
    PersonFactory(username="vanthu.vp", full_name="Phạm Thị Dung", email="dung@ubdt.gov.vn")
    assert _listed(admin_client, q="vanthu") == ["vanthu.vp"]
    assert _listed(admin_client, q="dung@ubdt") == ["vanthu.vp"]


def test_bulk_created_people_get_their_sort_key_and_search_text():
    unit = UnitFactory()
    Person.objects.bulk_create(
        [
            Person(username="b", full_name=nfd("Đặng Văn An"), unit=unit),
            Person(username="a", full_name="Đào Văn An", unit=unit),
        ]
    )
    people = list(Person.objects.filter(unit=unit))
    assert [p.username for p in people] == ["a", "b"]
    assert people[1].full_name == "Đặng Văn An"  # stored in NFC
    assert people[1].search_folded == "dang van an b"


def test_renaming_a_person_keeps_the_order_and_search_text():
    person = PersonFactory(full_name="Lê Văn An")
    person.full_name = "Lê Văn Đức"
    person.save(update_fields=["full_name"])
    person.refresh_from_db()
    assert "duc" in person.search_folded
    assert person.sort_key == person_sort_key("Lê Văn Đức")


def test_units_of_the_same_display_order_follow_in_vietnamese_order(admin_client):
    names = [("VA", "Vụ Âm"), ("DD", "Vụ Đào tạo"), ("DA", "Vụ Dân tộc"), ("EE", "Vụ Em")]
    for code, name in names:
        UnitFactory(code=code, name_vi=name, sort_order=5)
    UnitFactory(code="ZZ", name_vi="Ban A", sort_order=1)
    ours = {"VA", "DD", "DA", "EE", "ZZ"}
    response = admin_client.get(reverse("admin:organisation_unit_changelist"))
    listed = [u.code for u in response.context["cl"].result_list if u.code in ours]
    assert listed == ["ZZ", "VA", "DA", "DD", "EE"]  # â before d, d before đ
    assert [u.code for u in Unit.objects.filter(code__in=ours)] == listed

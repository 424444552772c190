import pytest
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.utils import translation

from organisation.models import Person, Unit
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_unit_name_follows_the_active_language():
    unit = UnitFactory(code="KH", name_vi="Vụ Kế hoạch", name_en="Planning Department")
    with translation.override("vi"):
        assert unit.name == "Vụ Kế hoạch"
        assert str(unit) == "Vụ Kế hoạch (KH)"
    with translation.override("en"):
        assert unit.name == "Planning Department"


def test_unit_code_is_unique():
    Unit.objects.create(code="VP", name_vi="Văn phòng", name_en="Office")
    with pytest.raises(IntegrityError):
        Unit.objects.create(code="VP", name_vi="Khác", name_en="Other")


def test_a_unit_with_people_cannot_be_deleted():
    person = PersonFactory()
    with pytest.raises(ProtectedError):
        person.unit.delete()


def test_person_display_name_and_position_by_language():
    person = PersonFactory(
        full_name="Trần Thị Bình", position_title="Phó Vụ trưởng", position_title_en=""
    )
    assert str(person) == "Trần Thị Bình"
    with translation.override("en"):
        assert person.position == "Phó Vụ trưởng"  # falls back to the Vietnamese title
    person.position_title_en = "Deputy Director"
    with translation.override("en"):
        assert person.position == "Deputy Director"
    with translation.override("vi"):
        assert person.position == "Phó Vụ trưởng"


def test_display_name_falls_back_to_username():
    assert Person(username="nobody").display_name == "nobody"

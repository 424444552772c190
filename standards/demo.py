"""Demo position groups, with the demo people placed in them. Idempotent."""

from django.db import transaction

from organisation.models import Person

from .models import Membership, PositionGroup

GROUPS = [
    ("LANHDAO_UB", "Lãnh đạo Ủy ban", "Committee leaders", 10),
    ("LANHDAO_VU", "Lãnh đạo Vụ, đơn vị", "Department leaders", 20),
    ("CHUYENVIEN", "Chuyên viên", "Specialists", 30),
    ("CNTT", "Cán bộ CNTT của Trung tâm Thông tin", "IT staff of the Centre", 40),
    ("HANHCHINH", "Nhân viên hành chính, văn thư", "Clerical staff", 50),
]
PLACES = {
    "botruong": "LANHDAO_UB",
    "thutruong": "LANHDAO_UB",
    "thamdinh.kh": "LANHDAO_VU",
    "soanthao.tccb": "CHUYENVIEN",
    "thanhtra": "CHUYENVIEN",
    "hoidong.tdkt": "CHUYENVIEN",
    "soanthao.tttt": "CNTT",
    "quantri": "CNTT",
    "vanthu.vp": "HANHCHINH",
}


@transaction.atomic
def load_demo() -> str:
    groups = {}
    for code, name_vi, name_en, order in GROUPS:
        groups[code], _created = PositionGroup.objects.get_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "sort_order": order}
        )
    placed = 0
    for username, code in PLACES.items():
        person = Person.objects.filter(username=username).first()
        if person and not Membership.objects.filter(person=person).exists():
            Membership.objects.create(person=person, group=groups[code])
            placed += 1
    return f"Position groups: {len(groups)}, people placed: {placed}"

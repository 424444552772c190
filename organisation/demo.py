"""The demo organisation: the Committee's units and one account per role. Loading is
idempotent: units and people are matched by code and user name, never duplicated, and
what someone changed in the demo is kept."""

from django.db import transaction

from . import roles
from .models import Person, Unit

DEMO_PASSWORD = "ubdt-demo-2026"

UNITS = [
    ("TTTT", "Trung tâm Thông tin", "Information Centre", 10),
    ("KH", "Vụ Kế hoạch", "Planning Department", 20),
    ("TCCB", "Vụ Tổ chức Cán bộ", "Personnel Organisation Department", 30),
    ("VP", "Văn phòng Ủy ban", "Office of the Committee", 40),
    ("LD", "Lãnh đạo Ủy ban", "Committee leadership", 5),
    ("TDKT", "Hội đồng Thi đua - Khen thưởng", "Emulation and Reward Council", 50),
    ("TTr", "Thanh tra Ủy ban", "Inspectorate", 60),
]

# user name, full name, unit, position (vi), position (en), role
PEOPLE = [
    ("soanthao.tttt", "Nguyễn Văn An", "TTTT", "Chuyên viên", "Officer", roles.CENTRE_DRAFTER),
    (
        "thamdinh.kh",
        "Trần Thị Bình",
        "KH",
        "Phó Vụ trưởng",
        "Deputy Director",
        roles.PLANNING_REVIEWER,
    ),
    (
        "soanthao.tccb",
        "Lê Văn Cường",
        "TCCB",
        "Chuyên viên chính",
        "Principal Officer",
        roles.PERSONNEL_DRAFTER,
    ),
    ("vanthu.vp", "Phạm Thị Dung", "VP", "Văn thư", "Records Clerk", roles.OFFICE_CLERK),
    (
        "botruong",
        "Đỗ Văn Hải",
        "LD",
        "Bộ trưởng, Chủ nhiệm",
        "Minister, Chairman",
        roles.MINISTER,
    ),
    (
        "thutruong",
        "Hoàng Thị Lan",
        "LD",
        "Thứ trưởng, Phó Chủ nhiệm",
        "Vice-Minister, Vice-Chairman",
        roles.VICE_MINISTER,
    ),
    ("thanhtra", "Vũ Minh Khoa", "TTr", "Thanh tra viên", "Inspector", roles.AUDITOR),
    (
        "hoidong.tdkt",
        "Bùi Thị Mai",
        "TDKT",
        "Ủy viên Hội đồng",
        "Council Member",
        roles.COUNCIL_MEMBER,
    ),
    (
        "quantri",
        "Đặng Quốc Tuấn",
        "TTTT",
        "Quản trị hệ thống",
        "System Administrator",
        roles.ADMINISTRATOR,
    ),
]


@transaction.atomic
def load_organisation() -> dict[str, int]:
    roles.sync_roles()
    units = {}
    created_units = 0
    for code, name_vi, name_en, order in UNITS:
        unit, created = Unit.objects.get_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "sort_order": order}
        )
        units[code] = unit
        created_units += created
    created_people = 0
    for username, full_name, unit_code, title_vi, title_en, role in PEOPLE:
        if Person.objects.filter(username=username).exists():
            continue
        person = Person(
            username=username,
            full_name=full_name,
            unit=units[unit_code],
            position_title=title_vi,
            position_title_en=title_en,
            email=f"{username}@demo.ubdt.gov.vn",
            is_staff=roles.ROLES[role].staff,
        )
        person.set_password(DEMO_PASSWORD)
        person.save()
        person.groups.add(roles.group_for(role))
        created_people += 1
    return {"units": created_units, "people": created_people}

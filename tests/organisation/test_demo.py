from io import StringIO

import pytest
from django.core.management import call_command

from organisation import roles
from organisation.demo import DEMO_PASSWORD, PEOPLE, read
from organisation.models import Person, Unit

pytestmark = pytest.mark.django_db

# `demo` (tests/conftest.py) has run load_demo once for this module; a test that checks the
# loader is idempotent runs it once more.


def test_demo_creates_the_units_and_one_account_per_role(demo):
    assert set(Unit.objects.values_list("code", flat=True)) == {
        "TTTT",
        "KH",
        "TCCB",
        "VP",
        "LD",
        "TDKT",
        "TTr",
        "CSDT",
        "TH",
        "PC",
        "HTQT",
    }
    assert {role for *_x, role in PEOPLE} == set(roles.ROLES)
    for username, full_name, unit, *_rest, role in PEOPLE:
        person = Person.objects.get(username=username)
        assert person.full_name == full_name
        assert person.unit.code == unit
        assert person.check_password(DEMO_PASSWORD)
        assert list(person.groups.values_list("name", flat=True)) == [role]


def test_demo_runs_twice_and_keeps_changes(demo):
    Person.objects.filter(username="botruong").update(full_name="Đã đổi tên")
    call_command("load_demo", stdout=StringIO())
    assert Person.objects.filter(username="botruong").get().full_name == "Đã đổi tên"
    assert Person.objects.count() == len(PEOPLE) + len(read("staff.yaml")["people"])
    assert Unit.objects.count() == 11


def test_demo_has_about_sixty_people_in_every_unit_with_names_that_test_the_sort(demo):
    people = Person.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Person.objects.count() == people
    assert 50 <= people <= 70
    assert not Unit.objects.filter(people__isnull=True).exists()
    names = list(Person.objects.values_list("full_name", flat=True))
    given = {name.split()[-1] for name in names}
    assert {"Dũng", "Duy", "Đào", "Đạt", "Ân", "Anh", "Ánh", "Hà", "Hải", "Hạnh"} <= given
    assert {"Đặng", "Đào", "Đỗ", "Dương"} <= {name.split()[0] for name in names}
    assert all(p.check_password(DEMO_PASSWORD) for p in Person.objects.all()[:3])


@pytest.mark.parametrize("name", ["accounts.yaml", "staff.yaml"])
def test_demo_data_files_have_the_keys_the_loader_expects(name):
    data = read(name)  # raises on a missing or unknown key
    users = [p["user"] for p in data["people"]]
    assert len(users) == len(set(users))


# Every role with a My work page finds something waiting there after load_demo.
MY_WORK = ["soanthao.tttt", "thamdinh.kh", "soanthao.tccb", "botruong", "thutruong"]


@pytest.mark.parametrize("username", MY_WORK)
def test_every_role_with_my_work_finds_a_task_there(demo, client, username):
    from workflows import selectors

    person = Person.objects.get(username=username)
    assert selectors.my_task_count(person) >= 1
    client.force_login(person)
    assert client.get("/work/").status_code == 200


@pytest.mark.parametrize("username", ["vanthu.vp", "hoidong.tdkt"])
def test_the_clerk_and_the_council_member_find_issued_documents(demo, client, username):
    client.force_login(Person.objects.get(username=username))
    assert "01/KH-UBDT" in client.get("/plans/").content.decode()


def test_the_demo_keeps_the_audit_chain_valid_and_adds_nothing_the_second_time(demo):
    from workflows.models import AuditEvent, Document

    counts = (Document.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Document.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == (
        counts
    )
    call_command("verify_audit", stdout=StringIO())

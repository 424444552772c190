import pytest
from django.contrib.auth.models import Group

from organisation import roles
from organisation.selectors import capability_labels, role_labels
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    roles.CENTRE_DRAFTER: {
        "organisation.draft_it_plans",
        "organisation.give_technical_opinion",
        "organisation.run_it_evaluation",
        "organisation.organise_training",
        "organisation.check_digitisation",
    },
    roles.PLANNING_REVIEWER: {
        "organisation.review_it_plans",
        "organisation.publish_planning_guidance",
    },
    roles.PERSONNEL_DRAFTER: {
        "organisation.draft_competency_standards",
        "organisation.manage_certificates",
        "organisation.organise_training",
    },
    roles.OFFICE_CLERK: {"organisation.register_documents", "organisation.register_digitisation"},
    roles.MINISTER: {"organisation.sign_documents", "organisation.record_delegations"},
    roles.VICE_MINISTER: {"organisation.sign_documents", "organisation.sign_on_delegation"},
    roles.AUDITOR: {"organisation.view_audit_trail"},
    roles.COUNCIL_MEMBER: {"organisation.view_it_reports", "organisation.remark_on_ranking"},
}


def test_migrate_creates_a_group_for_every_role():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_holds_exactly_its_product_permissions(role):
    person = PersonFactory(role=role)
    from organisation.models import Capability

    capabilities = {f"organisation.{code}" for code, _label in Capability._meta.permissions}
    assert person.get_all_permissions() & capabilities == EXPECTED[role]
    assert not person.is_staff


def test_administrator_manages_people_but_signs_nothing():
    admin = PersonFactory(role=roles.ADMINISTRATOR)
    assert admin.is_staff
    assert admin.has_perm("organisation.change_person")
    assert admin.has_perm("auth.change_group")
    assert not admin.has_perm("organisation.sign_documents")
    assert not admin.has_perm("organisation.delete_person")


def test_a_person_may_hold_several_roles():
    person = PersonFactory(role=roles.CENTRE_DRAFTER)
    person.groups.add(Group.objects.get(name=roles.AUDITOR))
    person = type(person).objects.get(pk=person.pk)  # drop the permission cache
    assert person.has_perm("organisation.draft_it_plans")
    assert person.has_perm("organisation.view_audit_trail")
    assert role_labels(person) == ["Cán bộ soạn thảo (Trung tâm Thông tin)", "Thanh tra viên"]


def test_sync_keeps_admin_edits_unless_reset():
    group = Group.objects.get(name=roles.MINISTER)
    group.permissions.clear()
    assert roles.sync_roles() == []
    assert group.permissions.count() == 0
    assert roles.MINISTER in roles.sync_roles(reset=True)
    assert sorted(p.codename for p in group.permissions.all()) == [
        "record_delegations",
        "sign_documents",
    ]


def test_capability_labels_are_translated():
    person = PersonFactory(role=roles.MINISTER)
    from django.utils import translation

    with translation.override("en"):
        assert capability_labels(person) == [
            "Sign and issue documents",
            "Record and revoke delegations of signature",
        ]
    with translation.override("vi"):
        assert capability_labels(person) == ["Ký ban hành văn bản", "Ghi nhận, thu hồi ủy quyền ký"]


def test_unknown_group_is_shown_by_its_name():
    person = PersonFactory()
    person.groups.add(Group.objects.create(name="Tổ công tác"))
    assert role_labels(person) == ["Tổ công tác"]

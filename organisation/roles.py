"""The product's roles. Each is a Django group named by its code, so administrators can
grant it in the admin; this registry gives it a translated label and its default
permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ADMIN_PERMISSIONS = (
    "organisation.view_person",
    "organisation.add_person",
    "organisation.change_person",
    "organisation.view_unit",
    "organisation.add_unit",
    "organisation.change_unit",
    "auth.view_group",
    "auth.add_group",
    "auth.change_group",
    "auth.view_permission",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
    # On the Minister's written instruction, whose reference the service then requires.
    "organisation.record_delegations",
    "outbox.view_mail",
    "outbox.change_mail",
)


@dataclass(frozen=True)
class Role:
    code: str
    label: str | Promise
    permissions: tuple[str, ...]
    staff: bool = False


CENTRE_DRAFTER = "centre_drafter"
PLANNING_REVIEWER = "planning_reviewer"
PERSONNEL_DRAFTER = "personnel_drafter"
OFFICE_CLERK = "office_clerk"
MINISTER = "minister"
VICE_MINISTER = "vice_minister"
AUDITOR = "auditor"
COUNCIL_MEMBER = "council_member"
ADMINISTRATOR = "administrator"

ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        Role(
            CENTRE_DRAFTER,
            _("Centre drafter"),
            (
                "organisation.draft_it_plans",
                "organisation.give_technical_opinion",
                "organisation.run_it_evaluation",
                "organisation.organise_training",
                "organisation.check_digitisation",
            ),
        ),
        Role(
            PLANNING_REVIEWER,
            _("Planning reviewer"),
            ("organisation.review_it_plans", "organisation.publish_planning_guidance"),
        ),
        Role(
            PERSONNEL_DRAFTER,
            _("Personnel drafter"),
            (
                "organisation.draft_competency_standards",
                "organisation.manage_certificates",
                "organisation.organise_training",
            ),
        ),
        Role(
            OFFICE_CLERK,
            _("Office clerk"),
            ("organisation.register_documents", "organisation.register_digitisation"),
        ),
        Role(
            MINISTER,
            _("Minister"),
            ("organisation.sign_documents", "organisation.record_delegations"),
        ),
        Role(
            VICE_MINISTER,
            _("Vice-Minister"),
            ("organisation.sign_documents", "organisation.sign_on_delegation"),
        ),
        Role(AUDITOR, _("Auditor"), ("organisation.view_audit_trail",)),
        Role(
            COUNCIL_MEMBER,
            _("Council member"),
            ("organisation.view_it_reports", "organisation.remark_on_ranking"),
        ),
        Role(ADMINISTRATOR, _("Administrator"), ADMIN_PERMISSIONS, staff=True),
    )
}


def role_label(group_name: str) -> str:
    role = ROLES.get(group_name)
    return str(role.label) if role else group_name


def group_for(role_code: str) -> Group:
    return Group.objects.get(name=role_code)


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is None:
            raise LookupError(f"Permission {name} does not exist; run migrate first.")
        found.append(perm)
    return found


@transaction.atomic
def sync_roles(*, reset: bool = False) -> list[str]:
    """Create the groups that are missing with their default permissions. With `reset`,
    existing groups get exactly their default permissions back, undoing admin edits."""
    touched = []
    for role in ROLES.values():
        group, created = Group.objects.get_or_create(name=role.code)
        if created or reset:
            group.permissions.set(_permissions(role.permissions))
            touched.append(role.code)
    return touched


def create_missing_roles(sender, **kwargs) -> None:
    # Only once every permission the roles name exists (post_migrate runs once per app,
    # in INSTALLED_APPS order, and creates that app's permissions).
    needed = {name for role in ROLES.values() for name in role.permissions}
    labels = {name.split(".", 1)[0] for name in needed}
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(
            content_type__app_label__in=labels
        ).values_list("content_type__app_label", "codename")
    }
    if needed <= existing:
        sync_roles()

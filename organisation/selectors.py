from django.db.models import Q, QuerySet

from .models import Capability, Person, Unit
from .roles import ROLES, role_label


def role_labels(user) -> list[str]:
    """The person's roles as the interface names them, registry roles first."""
    names = [g.name for g in user.groups.all()]
    order = list(ROLES)
    names.sort(key=lambda n: (order.index(n) if n in order else len(order), n))
    return [role_label(n) for n in names]


def people_with_role(role_code: str) -> QuerySet[Person]:
    return Person.objects.filter(groups__name=role_code, is_active=True).select_related("unit")


def unit_by_code(code: str) -> Unit:
    return Unit.objects.get(code=code)


def capability_labels(user) -> list[str]:
    """The product capabilities the person holds, labelled in the active language (the
    names stored in auth_permission are frozen in whatever language migrate ran in)."""
    held = user.get_all_permissions()
    return [
        str(label)
        for codename, label in Capability._meta.permissions
        if f"organisation.{codename}" in held
    ]


def permission_q(permission: str) -> Q:
    """People who hold `permission` ("app.codename") through a group or directly, as a
    filter on Person (use .distinct(): a person may hold it twice)."""
    app_label, codename = permission.split(".", 1)
    return Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )


def headed_unit_ids(user) -> frozenset[int]:
    """The units `user` heads (Unit.head), read once per request: menus, scopes and
    permission checks of several apps ask on every page, and each asking again cost a
    query (the page-query records showed eight on one page)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_headed_unit_ids", None)
    if cached is None:
        cached = frozenset(Unit.objects.filter(head_id=user.pk).values_list("pk", flat=True))
        user._headed_unit_ids = cached
    return cached

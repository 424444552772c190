from django.utils.functional import SimpleLazyObject

from . import navigation, selectors


def person(request):
    """What the page header shows: who is signed in, their unit and roles, their menu.
    Lazy, so pages that never render the header pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "person_roles": SimpleLazyObject(lambda: selectors.role_labels(user)),
        "nav_items": SimpleLazyObject(lambda: navigation.items_for(user)),
        "inbox_count": navigation.inbox_count(user),
        "inbox_overdue": SimpleLazyObject(lambda: navigation.inbox_overdue_count(user)),
    }

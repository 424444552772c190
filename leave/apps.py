from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave and substitutes")

    def ready(self):
        from organisation import navigation
        from workflows import hooks

        from . import selectors

        hooks.register(hooks.SUBSTITUTION, selectors.SUBSTITUTION)
        navigation.register(
            navigation.NavItem(
                "leave", "leave:mine", _("Leave"), selectors.may_see_leave_pages, order=72
            )
        )

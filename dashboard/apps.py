from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Where documents wait")

    def ready(self):
        from organisation import navigation

        from .permissions import can_view_dashboard

        navigation.register(
            navigation.NavItem(
                "dashboard",
                "dashboard:index",
                _("Where documents wait"),
                can_view_dashboard,
                order=70,
            )
        )

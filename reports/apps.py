from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Periodic IT-application reports")

    def ready(self):
        from organisation import navigation

        from . import audit_actions  # noqa: F401  (registers the audit actions)
        from .permissions import may_open_reports

        navigation.register(
            navigation.NavItem(
                "reports", "reports:list", _("IT-application reports"), may_open_reports, order=47
            )
        )

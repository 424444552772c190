from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from organisation import navigation

        from . import services  # noqa: F401  (registers the audit actions)
        from .selectors import PERMISSION

        navigation.register(
            navigation.NavItem(
                "followup",
                "followup:page",
                _("Follow-up"),
                navigation.has_any_perm(PERMISSION),
                order=75,
            )
        )

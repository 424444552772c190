from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationConfig(AppConfig):
    name = "delegation"
    verbose_name = _("Delegation of signature")

    def ready(self):
        from organisation import navigation

        from . import selectors, services  # noqa: F401  (registers the audit actions)

        navigation.register(
            navigation.NavItem(
                "delegations",
                "delegation:register",
                _("Delegations"),
                selectors.can_view_register,
                order=78,
            )
        )

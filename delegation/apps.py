from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationConfig(AppConfig):
    name = "delegation"
    verbose_name = _("Delegation of signature")

    def ready(self):
        from organisation import navigation
        from workflows import hooks

        from . import selectors, services, signing  # noqa: F401  (services: audit actions)

        hooks.register(hooks.SIGNATURE_AUTHORITY, signing.AUTHORITY)
        navigation.register(
            navigation.NavItem(
                "delegations",
                "delegation:register",
                _("Delegations"),
                selectors.can_view_register,
                order=78,
            )
        )

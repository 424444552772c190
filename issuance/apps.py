from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuanceConfig(AppConfig):
    name = "issuance"
    verbose_name = _("Issue and dispatch")

    def ready(self):
        from organisation import navigation
        from workflows import hooks

        from . import services

        hooks.register(hooks.SIGNED_COPIES, services.COPIES)
        navigation.register(
            navigation.NavItem(
                "incoming",
                "issuance:incoming",
                _("Incoming documents"),
                # Every unit receives issued documents; no query to decide it.
                lambda user: bool(getattr(user, "unit_id", None)),
                order=74,
            )
        )

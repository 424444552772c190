from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitisationConfig(AppConfig):
    name = "digitisation"
    verbose_name = _("Digitisation")

    def ready(self):
        from organisation import navigation
        from reporting import sources

        from . import selectors, services  # noqa: F401  (services: audit actions)

        sources.register(sources.DIGITISATION_BY_UNIT, selectors.unit_figures)
        navigation.register(
            navigation.NavItem(
                "digitisation",
                "digitisation:batches",
                _("Digitisation"),
                selectors.can_read,
                order=57,
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndividualConfig(AppConfig):
    name = "individual"
    verbose_name = _("Individual IT ranking")

    def ready(self):
        from organisation import navigation

        navigation.register(
            navigation.NavItem(
                "my_it_score",
                "individual:mine",
                _("My IT score"),
                lambda user: user.is_authenticated,
                order=48,
            )
        )

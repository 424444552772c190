from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("IT competency standards")

    def ready(self):
        post_migrate.connect(_load_catalogue, sender=self)
        from organisation import navigation

        from . import kinds

        kinds.register()
        navigation.register(
            navigation.NavItem(
                "standards",
                "standards:list",
                _("Competency standards"),
                navigation.has_any_perm(
                    "organisation.draft_competency_standards",
                    "organisation.give_technical_opinion",
                    "organisation.sign_documents",
                    "organisation.register_documents",
                    "organisation.view_audit_trail",
                ),
                order=40,
            )
        )
        navigation.register(
            navigation.NavItem(
                "my_skills",
                "standards:my_skills",
                _("My IT skills"),
                lambda user: user.is_authenticated,
                order=60,
            )
        )


def _load_catalogue(sender, **kwargs):
    from . import catalogue
    from .models import Module

    catalogue.load(Module)

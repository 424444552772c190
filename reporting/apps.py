from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("IT-application reports and ranking")

    def ready(self):
        from organisation import navigation

        from . import kinds

        kinds.register()
        navigation.register(
            navigation.NavItem(
                "criteria",
                "reporting:list",
                _("Ranking criteria"),
                navigation.has_any_perm(
                    "organisation.draft_it_plans",
                    "organisation.review_it_plans",
                    "organisation.sign_documents",
                    "organisation.register_documents",
                    "organisation.view_audit_trail",
                    "organisation.view_it_reports",
                ),
                order=45,
            )
        )

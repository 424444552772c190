from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Anyone who may act on some step of some document has a "My work" page.
ACTING_PERMISSIONS = (
    "organisation.draft_it_plans",
    "organisation.review_it_plans",
    "organisation.draft_competency_standards",
    "organisation.give_technical_opinion",
    "organisation.sign_documents",
)


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from organisation import navigation

        from . import selectors

        navigation.register(
            navigation.NavItem(
                "my_work",
                "workflows:my_work",
                _("My work"),
                navigation.has_any_perm(*ACTING_PERMISSIONS),
                order=10,
            )
        )
        navigation.register_inbox_counter(selectors.my_task_count)

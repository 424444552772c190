from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from organisation import navigation
        from planning import kinds as plan_kinds
        from reporting import sources
        from standards import compliance_views

        from . import selectors, views

        navigation.register(
            navigation.NavItem(
                "training", "training:list", _("Training"), selectors.sees_training, order=55
            )
        )
        sources.register(sources.TRAINING_BY_UNIT, selectors.training_by_unit)
        sources.register(sources.TRAINING_BY_PERSON, selectors.training_by_person)
        sources.register(sources.TRAINING_COURSES_BY_PERSON, selectors.courses_by_person)
        compliance_views.register_person_panel(views.my_courses_panel)
        plan_kinds.register_plan_panel(views.plan_courses_panel)

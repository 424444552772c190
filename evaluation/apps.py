from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Year-end IT-application evaluation")

    def ready(self):
        from organisation import navigation
        from workflows import audit

        from . import kinds

        kinds.register()
        for code, label in {
            "evaluation.cycle.opened": _("Evaluation opened"),
            "evaluation.cycle.finalised": _("Evaluation finalised"),
            "evaluation.self_assessment.appointed": _("Self-assessment filler appointed"),
            "evaluation.self_assessment.filled": _("Self-assessment filled in"),
            "evaluation.self_assessment.submitted": _("Self-assessment submitted"),
            "evaluation.self_assessment.responded": _("Response to the appraisal"),
            "evaluation.evidence.added": _("Evidence file added"),
            "evaluation.appraisal.accepted": _("Value accepted by the appraiser"),
            "evaluation.appraisal.changed": _("Value changed by the appraiser"),
            "evaluation.appraisal.sent": _("Appraisal sent to the unit"),
            "evaluation.ranking.remarked": _("Remark on the draft ranking"),
            "evaluation.ranking.published": _("Ranking published"),
        }.items():
            audit.register_action(code, label)
        navigation.register(
            navigation.NavItem(
                "evaluation",
                "evaluation:index",
                _("IT evaluation"),
                # A unit's head reaches its self-assessment from the reminder mail's link;
                # testing headship here would cost a query on every page.
                navigation.has_any_perm(
                    "organisation.run_it_evaluation", "organisation.view_it_reports"
                ),
                order=46,
            )
        )

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Anyone who may act on some step of some document has a "My work" page.
ACTING_PERMISSIONS = (
    "organisation.draft_it_plans",
    "organisation.review_it_plans",
    "organisation.draft_competency_standards",
    "organisation.give_technical_opinion",
    "organisation.sign_documents",
    # The Office issues what the signer signed.
    "organisation.register_documents",
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
        navigation.register(
            navigation.NavItem(
                "audit",
                "audit:trail",
                _("Audit trail"),
                navigation.has_any_perm("organisation.view_audit_trail"),
                order=80,
            )
        )
        navigation.register_inbox_counter(selectors.my_task_count)
        navigation.register_overdue_counter(selectors.my_overdue_count)
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals

        from . import audit_hooks

        auth_signals.user_logged_in.connect(audit_hooks.signed_in)
        auth_signals.user_logged_out.connect(audit_hooks.signed_out)
        auth_signals.user_login_failed.connect(audit_hooks.sign_in_failed)
        user_locked_out.connect(audit_hooks.locked_out)

        # Any later migration that rebuilds the audit table (SQLite rebuilds tables for
        # most ALTERs) would drop its triggers: put them back after every migrate.
        post_migrate.connect(_install_audit_triggers, sender=self)


def _install_audit_triggers(sender, using="default", **kwargs):
    from django.db import connections

    from . import audit_db

    audit_db.install(connections[using])

"""The audit actions of reminders: every mail the nightly job sends is on the trail."""

from django.utils.translation import gettext_lazy as _

from workflows.audit import register_action

REMINDED = register_action("reminders.task.reminded", _("Reminder of a due date sent"))
ESCALATED = register_action(
    "reminders.task.escalated", _("Overdue task reported to the head of unit")
)
DIGEST_SENT = register_action("reminders.digest.sent", _("Daily digest of tasks sent"))

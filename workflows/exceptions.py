"""Errors a service raises, each with a message for the person in their language and the
HTTP status a view answers with."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    status = 409
    default_message = _("This action cannot be done now.")

    def __init__(self, message=None, *, problems=None):
        self.message = message or self.default_message
        self.problems = list(problems or [])
        super().__init__(str(self.message))


class AlreadyHandled(WorkflowError):
    default_message = _(
        "This task has already been handled, perhaps by a colleague or a second click. "
        "Nothing was changed; the page shows where the document is now."
    )


class TaskHeld(WorkflowError):
    """A colleague of the pool has taken the task: only they (or, while they are on
    leave, their substitute) may act on it."""

    def __init__(self, holder):
        super().__init__(
            _("This task is held by %(name)s. Nothing was changed.") % {"name": holder}
        )


class NotTaken(WorkflowError):
    default_message = _("Nobody has taken this task: there is nothing to release.")


class StaleDocument(WorkflowError):
    default_message = _(
        "The document changed after you opened this page. Nothing was saved: reload the "
        "page to see the latest version, then make your change again."
    )


class NotEditable(WorkflowError):
    default_message = _(
        "The document can only be edited while it is a draft or returned for revision."
    )


class ReauthenticationRequired(WorkflowError):
    """Signing needs a fresh step-up (signing.step_up): password or TOTP code again."""

    status = 403
    default_message = _(
        "Confirm your identity again (password or authentication code) to sign. Nothing was signed."
    )


class InvalidInput(WorkflowError):
    status = 400
    default_message = _("Please correct the problems shown.")


class NotInScope(Http404):
    """The object is outside what the person may see: answered as if it did not exist."""


class ActionForbidden(PermissionDenied):
    """The person sees the document but their role may not do this."""

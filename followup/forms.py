from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import Form

from .services import MAX_MESSAGE


class ReminderForm(Form):
    """Only the message: its rules (required, length) live in the service, which says
    what is wrong in words."""

    message = forms.CharField(
        label=_("Message of the reminder"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_MESSAGE}),
    )

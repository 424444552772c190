from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import Form


class PreferenceForm(Form):
    digest_only = forms.BooleanField(
        label=_("Send me one daily digest only"),
        required=False,
        help_text=_(
            "Reminders before and on the due date, and tasks of your unit reported to you, "
            "come in the one daily digest instead of a mail each."
        ),
    )

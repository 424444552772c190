from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import DayField, Form


class MailImportForm(Form):
    period_start = DayField(label=_("Period from"))
    period_end = DayField(label=_("Period to"))
    file = forms.FileField(
        label=_("Statistics file (CSV)"),
        help_text=_("Columns: account, last sign-in, messages sent in the period."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import DayField, Form

MAX_VALUE = 9_999_999_999


def _number(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        required=False,
        min_value=0,
        max_value=MAX_VALUE,
        max_digits=14,
        decimal_places=4,
        **kwargs,
    )


class OpenForm(Form):
    criteria = forms.TypedChoiceField(label=_("Issued criteria set"), coerce=int)
    self_due_on = DayField(
        label=_("Self-assessments due on (dd/mm/yyyy, optional)"), required=False
    )
    ranking_due_on = DayField(label=_("Ranking due on (dd/mm/yyyy, optional)"), required=False)

    def __init__(self, *args, criteria_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = list(criteria_choices)


class FillForm(Form):
    """One value, explanation and correction reason per unit-level indicator."""

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.values = list(values)
        for v in self.values:
            self.fields[f"value_{v.pk}"] = _number(label=f"{v.indicator.code} {v.indicator.name}")
            self.fields[f"explanation_{v.pk}"] = forms.CharField(
                label=_("Explanation"), required=False, max_length=1000
            )
            self.fields[f"reason_{v.pk}"] = forms.CharField(
                label=_("Reason for correcting the prefilled value"),
                required=False,
                max_length=1000,
            )
            self.initial.setdefault(f"value_{v.pk}", v.value)
            self.initial.setdefault(f"explanation_{v.pk}", v.explanation)
            self.initial.setdefault(f"reason_{v.pk}", v.correction_reason)

    def rows(self):
        return [
            (v, self[f"value_{v.pk}"], self[f"explanation_{v.pk}"], self[f"reason_{v.pk}"])
            for v in self.values
        ]


class EvidenceForm(Form):
    value = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    file = forms.FileField(label=_("Evidence file (PDF, PNG, JPEG or XLSX)"))

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [(v.pk, v.indicator.code) for v in values]


class TextForm(Form):
    text = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea)


class AppraiseForm(Form):
    value_id = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    accept = forms.BooleanField(label=_("Accept the unit's value"), required=False)
    value = _number(label=_("Appraised value"))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=1000)

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value_id"].choices = [(v.pk, v.pk) for v in values]

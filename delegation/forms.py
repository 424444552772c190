from django import forms
from django.utils.translation import gettext_lazy as _

from workflows import kinds
from workflows.forms import DayField, Form

from . import selectors
from .models import Delegation

MAX_REFERENCE = Delegation._meta.get_field("decision_reference").max_length


class DelegationForm(Form):
    delegate = forms.ModelChoiceField(
        label=_("Vice-Minister"),
        queryset=selectors.vice_ministers(),
        error_messages={
            "required": _("Choose a Vice-Minister: only they sign on delegation."),
            "invalid_choice": _("Choose a Vice-Minister: only they sign on delegation."),
        },
    )
    all_kinds = forms.BooleanField(label=_("All kinds of document"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of document"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose kinds of document from the list.")},
    )
    starts_on = DayField(label=_("From (first day, from 00:00)"))
    ends_on = DayField(label=_("To (last day, until 24:00)"))
    decision_reference = forms.CharField(
        label=_("Delegating decision"),
        max_length=MAX_REFERENCE,
        help_text=_("For example: Quyết định số 123/QĐ-UBDT ngày 01/12/2026"),
        error_messages={"required": _("Give the reference of the delegating decision.")},
    )
    instruction_reference = forms.CharField(
        label=_("Minister's written instruction"),
        max_length=MAX_REFERENCE,
        required=False,
        help_text=_("Required when an administrator records it for the Minister."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kinds.choices()


class RevokeForm(Form):
    instruction_reference = forms.CharField(
        label=_("Minister's written instruction"), max_length=MAX_REFERENCE, required=False
    )

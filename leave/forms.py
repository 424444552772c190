from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import DayField, Form


class LeaveForm(Form):
    """Dates are checked here as dates; everything about people, roles and loops is the
    service's to check (leave.services.leave_record)."""

    person = forms.TypedChoiceField(label=_("Person on leave"), coerce=int)
    substitute = forms.TypedChoiceField(label=_("Substitute"), coerce=int)
    starts_on = DayField(label=_("First day (dd/mm/yyyy)"))
    ends_on = DayField(label=_("Last day (dd/mm/yyyy)"))
    hand_over = forms.BooleanField(
        label=_("Hand over the tasks already taken"),
        required=False,
        initial=True,
        help_text=_(
            "The substitute then holds the tasks the person has taken, until the leave ends."
        ),
    )

    def __init__(self, *args, people=(), substitutes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, _label(p)) for p in people]
        self.fields["substitute"].choices = [(p.pk, _label(p)) for p in substitutes]


def _label(person) -> str:
    unit = f" ({person.unit.code})" if person.unit_id else ""
    return f"{person.display_name}{unit}"

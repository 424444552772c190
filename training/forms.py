"""The training forms: thin, the services check everything."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation.models import Person
from planning.models import Category, PlanTask
from standards.models import Module
from workflows.forms import DayField, Form


def parse_sessions(text: str) -> list[tuple[dt.date, dt.time, dt.time]]:
    """One session a line: "dd/mm/yyyy HH:MM-HH:MM"."""
    sessions = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            day, hours = line.split(maxsplit=1)
            start, end = (h.strip() for h in hours.split("-", 1))
            sessions.append(
                (
                    dt.datetime.strptime(day, "%d/%m/%Y").date(),
                    dt.datetime.strptime(start, "%H:%M").time(),
                    dt.datetime.strptime(end, "%H:%M").time(),
                )
            )
        except ValueError:
            raise forms.ValidationError(
                _("Line %(n)s: write a session as dd/mm/yyyy HH:MM-HH:MM.") % {"n": number}
            ) from None
    return sessions


class CourseForm(Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    modules = forms.MultipleChoiceField(
        label=gettext_lazy("Modules taught"), widget=forms.CheckboxSelectMultiple
    )
    starts_on = DayField(label=gettext_lazy("First day"))
    ends_on = DayField(label=gettext_lazy("Last day"))
    withdraw_until = DayField(label=gettext_lazy("Withdrawal possible until"))
    sessions = forms.CharField(
        label=gettext_lazy("Sessions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One a line: dd/mm/yyyy HH:MM-HH:MM"),
        max_length=5000,
    )
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=300, required=False)
    online_link = forms.URLField(
        label=gettext_lazy("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), min_value=1, max_value=10000)
    cost = forms.IntegerField(
        label=gettext_lazy("Cost (đồng)"), min_value=0, max_value=10**15, initial=0
    )
    trainers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Trainers"), queryset=Person.objects.filter(is_active=True)
    )
    plan_task = forms.ModelChoiceField(
        label=gettext_lazy("Plan task delivered"),
        queryset=PlanTask.objects.filter(category=Category.TRAINING).select_related("plan"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].choices = [(m.code, str(m)) for m in Module.objects.all()]

    def clean_sessions(self):
        return parse_sessions(self.cleaned_data["sessions"])


class PersonForm(Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=Person.objects.none())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class ResultForm(Form):
    result = forms.ChoiceField(
        label=gettext_lazy("Result"),
        choices=[("passed", gettext_lazy("Passed")), ("failed", gettext_lazy("Failed"))],
    )
    score = forms.DecimalField(
        label=gettext_lazy("Score"), min_value=0, max_value=100, decimal_places=2, required=False
    )

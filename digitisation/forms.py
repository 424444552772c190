from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit
from workflows.forms import DayField, Form, WholeNumberField

from . import selectors
from .models import MAX_COUNT, Batch
from .services import MAX_TEXT


class _TaskChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return selectors.task_label(obj)


def _task_field(label):
    return _TaskChoice(
        label=label,
        queryset=selectors.deliverable_tasks(),
        error_messages={
            "required": _(
                "Choose the digitisation task of an issued plan that the batch delivers."
            ),
            "invalid_choice": _(
                "Choose the digitisation task of an issued plan that the batch delivers."
            ),
        },
    )


def _unit_field():
    return forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.all(),
        error_messages={
            "required": _("Choose the unit whose documents were digitised."),
            "invalid_choice": _("Choose the unit whose documents were digitised."),
        },
    )


def _count_field(label):
    return WholeNumberField(label=label, min_value=0, max_value=MAX_COUNT)


class BatchForm(Form):
    fonds = forms.CharField(
        label=_("Archive fonds or document series"),
        max_length=Batch._meta.get_field("fonds").max_length,
    )
    unit = _unit_field()
    period_from = DayField(label=_("Documents dated from"))
    period_to = DayField(label=_("Documents dated to"))
    documents = _count_field(_("Number of documents"))
    pages = _count_field(_("Number of pages"))
    performed_by = forms.CharField(
        label=_("Digitised by"),
        max_length=Batch._meta.get_field("performed_by").max_length,
        help_text=_("The person, team or contractor who did the work."),
    )
    plan_task = _task_field(_("Plan task delivered"))


class CheckForm(Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    sample_size = WholeNumberField(label=_("Documents checked in the sample"), min_value=1)
    reasons = forms.CharField(
        label=_("Reasons for rejection"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection: what must be redone."),
    )


class ReworkForm(Form):
    note = forms.CharField(
        label=_("What was redone"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = WholeNumberField(
        label=_("Number of documents after the rework"), min_value=0, max_value=MAX_COUNT
    )
    pages = WholeNumberField(
        label=_("Number of pages after the rework"), min_value=0, max_value=MAX_COUNT
    )


class TargetForm(Form):
    plan_task = _task_field(_("Plan task"))
    unit = _unit_field()
    documents = _count_field(_("Target documents"))
    pages = _count_field(_("Target pages"))


class PeriodForm(Form):
    start = DayField(label=_("Accepted from"), required=False)
    end = DayField(label=_("Accepted to"), required=False)

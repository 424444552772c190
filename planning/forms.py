from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import DayField, Form, StrictFormSet, WholeNumberField, YearField

from .models import MAX_COST, MAX_SECTION_LENGTH, SECTIONS, Category, FundingSource, Kind

BLANK = [("", "—")]


class PlanCreateForm(Form):
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=Kind.choices)
    year = YearField(
        label=_("Year"),
        help_text=_(
            "For a five-year plan, the first of its five years; for an annual plan, its year."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=500)


class PlanContentForm(Form):
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, required in SECTIONS:
            self.fields[f"section_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_SECTION_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Required before submitting.") if required else "",
            )

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key, _l, _r in SECTIONS}


class ObjectiveForm(Form):
    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    indicator = forms.CharField(label=_("Indicator"), max_length=500)
    baseline = forms.CharField(label=_("Baseline"), max_length=200, required=False)
    target_value = forms.CharField(label=_("Target value"), max_length=200)
    target_year = YearField(label=_("Target year"))


class TaskForm(Form):
    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Task"), max_length=500)
    # A blank first choice: an untouched extra row must post nothing, or it would count
    # as a row being filled in.
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + Category.choices)
    lead_unit = forms.CharField(label=_("Lead unit"), max_length=200)
    coordinating_units = forms.CharField(
        label=_("Coordinating units"), max_length=500, required=False
    )
    start_year = YearField(label=_("Start year"), required=False)
    end_year = YearField(label=_("End year"), required=False)
    deadline = DayField(
        label=_("Deadline"),
        required=False,
        help_text=_("dd/mm/yyyy"),
    )
    estimated_cost = WholeNumberField(
        label=_("Estimated cost (đồng)"),
        min_value=0,
        max_value=MAX_COST,
        localize=True,
        error_messages={"invalid": _("Enter a whole number of đồng, e.g. 1.500.000.")},
    )
    funding_source = forms.ChoiceField(
        label=_("Funding source"), choices=BLANK + FundingSource.choices
    )
    parent_task_uid = forms.ChoiceField(label=_("Five-year task"), required=False)

    def __init__(self, *args, parent_tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_task_uid"].choices = [("", "—")] + list(parent_tasks)


ObjectiveFormSet = forms.formset_factory(
    ObjectiveForm, extra=1, can_delete=True, formset=StrictFormSet, max_num=200, validate_max=True
)
TaskFormSet = forms.formset_factory(
    TaskForm, extra=1, can_delete=True, formset=StrictFormSet, max_num=500, validate_max=True
)


class GuidanceForm(Form):
    year = YearField(label=_("Year"))
    deadline = DayField(label=_("Submission deadline (dd/mm/yyyy)"))
    total_ceiling = WholeNumberField(
        label=_("Total ceiling (đồng)"), min_value=0, max_value=MAX_COST, localize=True
    )
    investment_ceiling = WholeNumberField(
        label=_("Ceiling for development investment (đồng)"),
        min_value=0,
        max_value=MAX_COST,
        localize=True,
    )
    recurrent_ceiling = WholeNumberField(
        label=_("Ceiling for recurrent expenditure (đồng)"),
        min_value=0,
        max_value=MAX_COST,
        localize=True,
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=MAX_SECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import FundingSource
from workflows.forms import Form, StrictFormSet, WholeNumberField, YearField

from .models import MAX_AMOUNT, ExpenseCategory
from .services import MAX_JUSTIFICATION

BLANK = [("", "—")]


class EstimateCreateForm(Form):
    year = YearField(label=_("Year"))
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty for the usual title."),
    )


class EstimateForm(Form):
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=500)
    justification = forms.CharField(
        label=_("Justification for exceeding the ceiling"),
        required=False,
        max_length=MAX_JUSTIFICATION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required before submitting when a total is over the guidance ceiling."),
    )


class LineForm(Form):
    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    content = forms.CharField(label=_("Content"), max_length=500)
    unit = forms.CharField(label=_("Unit of measure"), max_length=50)
    quantity = WholeNumberField(
        label=_("Quantity"), min_value=1, max_value=MAX_AMOUNT, localize=True
    )
    unit_price = WholeNumberField(
        label=_("Unit price (đồng)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        localize=True,
        error_messages={"invalid": _("Enter a whole number of đồng, e.g. 1.500.000.")},
    )
    funding_source = forms.ChoiceField(
        label=_("Funding source"), choices=BLANK + FundingSource.choices
    )
    expense_category = forms.ChoiceField(
        label=_("Expense category"), choices=BLANK + ExpenseCategory.choices
    )
    plan_task_uid = forms.ChoiceField(label=_("Plan task funded"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, plan_tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_task_uid"].choices = BLANK + list(plan_tasks)


LineFormSet = forms.formset_factory(
    LineForm,
    extra=1,
    can_delete=True,
    formset=StrictFormSet,
    max_num=20_000,
    absolute_max=20_001,
    validate_max=True,
)

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import DayField, Form, StrictFormSet, WholeNumberField, refuse_foreign_rows

from .models import Requirement
from .services import MAX_SECTION


class StandardCreateForm(Form):
    title = forms.CharField(label=_("Title"), max_length=500)


class StandardForm(Form):
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=500)
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        max_length=MAX_SECTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    applies_to = forms.CharField(
        label=_("Who it applies to"),
        required=False,
        max_length=MAX_SECTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    effective_date = DayField(label=_("Effective date (dd/mm/yyyy)"), required=False)
    months_to_comply = WholeNumberField(
        label=_("Months allowed to comply"), min_value=0, max_value=120
    )

    def __init__(self, *args, groups=(), advanced_modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        choices = [(m.code, f"{m.code} {m.name}") for m in advanced_modules]
        for group in self.groups:
            self.fields[f"level_{group.code}"] = forms.ChoiceField(
                label=group.name, choices=Requirement.Level.choices, initial="none"
            )
            self.fields[f"modules_{group.code}"] = forms.MultipleChoiceField(
                label=_("Advanced modules for %(group)s") % {"group": group.name},
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean(self):
        """The matrix's rows are the active position groups: a posted level or module
        choice for any other group is refused rather than silently dropped."""
        data = super().clean()
        posted = [k.split("_", 1)[1] for k in self.data if k.startswith(("level_", "modules_"))]
        refuse_foreign_rows(set(posted), [g.code for g in self.groups])
        return data

    def matrix_rows(self):
        return [
            {
                "group": g,
                "level": self[f"level_{g.code}"],
                "modules": self[f"modules_{g.code}"],
            }
            for g in self.groups
        ]


class ItemForm(Form):
    # The saved item's id: items are rewritten on each save, but a posted id must still be
    # one of this standard's items (workflows.forms.refuse_foreign_rows).
    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code"), max_length=20)
    text = forms.CharField(label=_("Requirement"), max_length=1000)


ItemFormSet = forms.formset_factory(
    ItemForm, extra=1, can_delete=True, formset=StrictFormSet, max_num=500, validate_max=True
)


class PositionGroupForm(Form):
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z0-9_-]+$",
        max_length=20,
        error_messages={"invalid": _("Use only letters, digits, - and _ (no spaces).")},
    )
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    sort_order = WholeNumberField(label=_("Display order"), min_value=0, max_value=9999, initial=0)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

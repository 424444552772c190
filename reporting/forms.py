from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import Form, StrictFormSet, WholeNumberField, YearField

from . import scoring
from .models import Indicator


def _points_field(label, *, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        localize=True,
    )


class CriteriaSetCreateForm(Form):
    year = YearField(label=_("Year"))
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty for the standard title with the year."),
    )


class CriteriaSetForm(Form):
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for grade, label in scoring.GRADES.items():
            self.fields[f"band_{grade}"] = _points_field(label)

    def bands(self) -> list[dict]:
        return [
            {"grade": grade, "from": self.cleaned_data[f"band_{grade}"]} for grade in scoring.GRADES
        ]

    def band_fields(self):
        return [self[f"band_{grade}"] for grade in scoring.GRADES]


class GroupForm(Form):
    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code"), max_length=10)
    name = forms.CharField(label=_("Criteria group"), max_length=300)


class IndicatorForm(Form):
    """One indicator. The method's parameters are separate inputs (points for yes,
    points per item and cap, tiers written "threshold: points; …"); `clean` turns the
    ones the method takes into the `params` the service validates."""

    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    group = forms.CharField(label=_("Group"), max_length=10)
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Indicator"), max_length=500)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=100)
    max_points = _points_field(_("Maximum points"))
    method = forms.ChoiceField(label=_("Scoring method"), choices=list(scoring.METHODS.items()))
    points = _points_field(_("Points for yes"), required=False)
    per_item = _points_field(_("Points per item"), required=False)
    cap = _points_field(_("Cap"), required=False)
    tiers = forms.CharField(label=_("Tiers (threshold: points; …)"), max_length=500, required=False)
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=Indicator.AppliesTo.choices)

    def clean(self):
        data = super().clean()
        method = data.get("method")
        params: dict = {}
        if method == scoring.YES_NO:
            params = {"points": data.get("points")}
        elif method == scoring.CAPPED_COUNT:
            params = {"per_item": data.get("per_item"), "cap": data.get("cap")}
        elif method == scoring.TIERED:
            params = {"tiers": self._tiers(data.get("tiers") or "")}
        data["params"] = {k: v for k, v in params.items() if v is not None}
        return data

    def _tiers(self, text: str) -> list[dict]:
        tiers = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            threshold, sep, points = part.partition(":")
            try:
                tiers.append(
                    {
                        "from": Decimal(threshold.strip().replace(",", ".")),
                        "points": Decimal(points.strip().replace(",", ".")),
                    }
                )
            except ArithmeticError:
                sep = ""
            if not sep:
                self.add_error(
                    "tiers", _("Write each tier as threshold: points, separated by “;”.")
                )
                return []
        return tiers


def tiers_text(params: dict) -> str:
    from .kinds import points_text

    return "; ".join(
        f"{points_text(t['from'])}: {points_text(t['points'])}" for t in params.get("tiers", [])
    )


GroupFormSet = forms.formset_factory(
    GroupForm, extra=0, can_delete=True, formset=StrictFormSet, max_num=20, validate_max=True
)
IndicatorFormSet = forms.formset_factory(
    IndicatorForm, extra=0, can_delete=True, formset=StrictFormSet, max_num=200, validate_max=True
)

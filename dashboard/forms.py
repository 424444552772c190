from django import forms
from django.utils.translation import gettext_lazy as _

from workflows import kinds
from workflows.forms import Form, YearField


class DashboardFilterForm(Form):
    year = YearField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Document kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kinds.choices()]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})

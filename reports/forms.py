from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import Form


class CommentaryForm(Form):
    commentary = forms.CharField(
        label=_("The Centre's commentary"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

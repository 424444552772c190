from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import Form


class VerifyForm(Form):
    """The PDF to verify and, optionally, the link of the QR code printed on it (the
    whole URL or its token), to compare the file with that register record."""

    file = forms.FileField(label=_("Signed PDF file"), required=False)
    link = forms.CharField(
        label=_("Link of the QR code (optional)"),
        required=False,
        max_length=300,
        help_text=_("The address under the QR code on the document, e.g. …/v/AbC123/."),
    )

    def clean_link(self):
        """The token, from the whole link or the token alone."""
        value = self.cleaned_data["link"].strip()
        if "/v/" in value:
            value = value.split("/v/", 1)[1]
        return value.strip("/").split("/")[0][:32]

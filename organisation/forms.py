"""Django's sign-in and password forms with the product's field messages
(workflows.forms.ExplainedMessagesMixin): "Trường này là bắt buộc." named no fix."""

from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import ExplainedMessagesMixin


class SignInForm(ExplainedMessagesMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(ExplainedMessagesMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_mismatch": _("The two new passwords differ: type the same new password twice."),
        "password_incorrect": _("The current password is wrong: type your current password again."),
    }

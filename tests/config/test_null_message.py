"""Django's own catalogue has no Vietnamese for its null-character message; ours does."""

from django import forms
from django.utils import translation


class _Form(forms.Form):
    title = forms.CharField()


def test_the_null_character_message_is_vietnamese():
    with translation.override("vi"):
        form = _Form({"title": "a\x00b"})
        assert not form.is_valid()
        message = form.errors["title"][0]
    assert message.startswith("Không được có ký tự rỗng")

"""Every integer field of every form says what is wrong with a bad number, in the
reader's language, with limits written with the language's separators."""

import pytest
from django import forms
from django.utils import translation

from budgeting.forms import LineForm
from planning.forms import GuidanceForm, TaskForm
from workflows.forms import WholeNumberField

INTEGER_FORMS = [TaskForm, LineForm, GuidanceForm]


@pytest.mark.parametrize("form_class", INTEGER_FORMS, ids=lambda f: f.__name__)
def test_every_integer_field_is_a_whole_number_field(form_class):
    for name, field in form_class().fields.items():
        if isinstance(field, forms.IntegerField):
            assert isinstance(field, WholeNumberField), (form_class.__name__, name)


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (
            "1000000000000001",
            "Nhập một số không quá 1.000.000.000.000.000.",
            "Enter at most 1.000.000.000.000.000.",
        ),
        ("12a", "Nhập một số nguyên, ví dụ 12.", "Enter a whole number, for example 12."),
        ("0", "Nhập một số từ 1 trở lên.", "Enter 1 or more."),
    ],
    ids=["over-the-limit", "not-a-number", "below-the-minimum"],
)
def test_a_bad_quantity_says_what_is_wrong(value, vi, en):
    for language, expected in (("vi", vi), ("en", en)):
        with translation.override(language):
            form = LineForm({"quantity": value})
            form.is_valid()
            assert form.errors["quantity"] == [expected]
            assert "1000000000000000" not in str(form.errors)

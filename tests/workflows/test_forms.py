"""Every integer field of every form says what is wrong with a bad number, in the
reader's language, with limits written with the language's separators."""

import importlib
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.http import QueryDict
from django.utils import translation

from budgeting.forms import LineForm
from organisation.forms import PasswordChangeForm
from organisation.models import Person
from planning.forms import GuidanceForm, TaskForm
from standards.forms import StandardForm
from tests.workflows.helpers import message_flaws
from workflows.forms import (
    AuditFilterForm,
    ExplainedMessagesMixin,
    Form,
    StrictFormSet,
    WholeNumberField,
)

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


# --- Every message of every form ------------------------------------------------------


def _our_forms() -> list[type]:
    """Every form class defined in the product's apps (not Django's, not the tests'):
    each app's modules are imported, then forms.BaseForm's subclasses are collected."""
    root = Path(settings.BASE_DIR).resolve()
    ours = [
        c
        for c in apps.get_app_configs()
        if Path(c.path).resolve().is_relative_to(root) and ".venv" not in Path(c.path).parts
    ]
    for config in ours:
        for module in pkgutil.walk_packages([config.path], f"{config.name}."):
            if not {"migrations", "management", "demo"} & set(module.name.split(".")):
                importlib.import_module(module.name)

    def subclasses(klass):
        for sub in klass.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = tuple(f"{c.name}." for c in ours)
    found = {
        k
        for k in subclasses(forms.BaseForm)
        if k.__module__.startswith(names)
        and not (issubclass(k, forms.BaseModelForm) and k._meta.model is None)  # a base
    }
    return sorted(found, key=lambda k: (k.__module__, k.__qualname__))


def _groups():
    return [SimpleNamespace(code="G1", name="Nhóm một")]


# The arguments a form needs besides its data, by class name (see the test's docstring).
FORM_KWARGS = {
    "StandardForm": lambda: {"groups": _groups(), "advanced_modules": []},
    "CertificateForm": lambda: {"people": Person.objects.all()},
    "CommentForm": lambda: {"anchors": [("a", "A")]},
    "SignInForm": lambda: {"request": None},
    "PasswordChangeForm": lambda: {"user": Person(username="an")},
}
FORMS = _our_forms()


def _bad_values(field) -> list:
    """Values a person (or an altered page) could send that the field must refuse."""
    values = [""] if field.required else []
    if isinstance(field, forms.MultipleChoiceField):
        return values + [["no-such-choice"]]
    if isinstance(field, forms.ModelChoiceField):
        return values + ["999999999", "abc"]
    if isinstance(field, forms.ChoiceField):
        return values + ["no-such-choice"]
    if isinstance(field, forms.IntegerField):
        values += ["12a", "1,5", "99999999999999999999"]
        values += [str(field.min_value - 1)] if field.min_value is not None else []
        return values + ([str(field.max_value + 1)] if field.max_value is not None else [])
    if isinstance(field, forms.DateField):
        return values + ["31/02/2026", "2026-13-01", "01/01/0001", "hôm nay"]
    if isinstance(field, forms.CharField):
        values += ["a\x00b", "Ứ" * ((field.max_length or 100_000) + 1)]
        return values + (["?!"] if isinstance(field, forms.RegexField) else [])
    return values


def _formset_data(rows: int, posted: int) -> dict:
    data = {"rows-TOTAL_FORMS": str(rows), "rows-INITIAL_FORMS": "0"}
    return data | {f"rows-{i}-text": "x" for i in range(posted)}


class _Row(Form):
    text = forms.CharField()


_Rows = forms.formset_factory(_Row, formset=StrictFormSet, max_num=1_000, validate_max=True)


def _rows(data=None):
    return _Rows(data, prefix="rows")


# Messages that only a combination of fields produces: (form, data).
FORM_CASES = [
    (AuditFilterForm, {"date_from": "02/03/2026", "date_to": "01/03/2026"}),
    (StandardForm, {"level_NOPE": "none", "months_to_comply": "1", "title": "T"}),
    (PasswordChangeForm, {"old_password": "sai", "new_password1": "Sông Hồng mùa lũ 2026"}),
    (PasswordChangeForm, {"new_password1": "Sông Hồng mùa lũ", "new_password2": "Sông Đà"}),
    (_rows, _formset_data(1_001, 1_001)),  # too many rows
    (_rows, {"rows-TOTAL_FORMS": "2"}),  # management form altered
    (_rows, _formset_data(5, 1)),  # counts not matching the rows
]


def _case(form_class, data, language: str) -> list[str]:
    with translation.override(language):
        form = _form(form_class, data)
        form.is_valid()
        if isinstance(form, forms.BaseFormSet):
            return [str(m) for m in form.non_form_errors()]
        return [str(m) for errors in form.errors.values() for m in errors]


def _form(form_class, data=None):
    kwargs = FORM_KWARGS.get(form_class.__name__, dict)()
    return form_class(data=data, **kwargs)


def _messages(form_class, name: str, value, language: str) -> list[str]:
    with translation.override(language):
        form = _form(form_class)
        key = form.add_prefix(name)
        form = _form(form_class, QueryDict(mutable=True))
        form.data.setlist(key, value if isinstance(value, list) else [value])
        form.is_valid()
        return [str(m) for errors in form.errors.values() for m in errors]


@pytest.mark.django_db
def test_every_message_of_every_form_says_what_to_fix_in_both_languages():
    """Every field of every form of the product is sent bad values of its kind (missing,
    too long, not a number, out of range, a date that does not exist, a choice not
    offered, a null character); every message it answers with, in Vietnamese and in
    English, must be translated, write its numbers the language's way (no "5000" where
    5.000 belongs), be whole (no "%(" left, no " ." at the end) and name a fix.

    Forms are found by themselves: every subclass of forms.BaseForm defined in one of the
    product's apps. A form whose __init__ needs arguments besides its data (choices,
    querysets, the rows of a matrix) must be registered in FORM_KWARGS, by class name,
    with a function returning those arguments; otherwise this test fails with a
    TypeError naming it. Every form must derive from workflows.forms.Form (or use its
    ExplainedMessagesMixin), which gives all fields these messages."""
    seen: dict[tuple[str, str], str] = {}  # (vi, en) message: where it was first seen
    problems = []
    for form_class in FORMS:
        if not issubclass(form_class, ExplainedMessagesMixin):
            problems.append(f"{form_class.__qualname__} does not derive from workflows.forms.Form")
            continue
        for name, field in _form(form_class).fields.items():
            for value in _bad_values(field):
                vi = _messages(form_class, name, value, "vi")
                en = _messages(form_class, name, value, "en")
                where = f"{form_class.__qualname__}.{name}={str(value)[:12]!r}"
                if len(vi) != len(en):
                    problems.append(f"{where}: {vi} / {en}")
                for pair in zip(vi, en, strict=False):
                    seen.setdefault(pair, where)
    for form_class, data in FORM_CASES:
        for pair in zip(*(_case(form_class, data, lang) for lang in ("vi", "en")), strict=True):
            seen.setdefault(pair, f"{form_class.__qualname__} {data}")
    for (vi_text, en_text), where in seen.items():
        problems += [f"{where}: {flaw}" for flaw in message_flaws(vi_text, en_text)]
    assert not problems, "\n".join(sorted(problems))
    assert len(FORMS) >= 15 and len(seen) >= 20  # the forms were found and exercised

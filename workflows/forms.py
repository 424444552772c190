import datetime as dt

from django import forms
from django.core import validators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from organisation.models import Unit

from .formatting import grouped
from .models import State, Verdict
from .services import MAX_COMMENT

# Django's own validator messages that its Vietnamese catalogue lacks: named here so that
# makemessages puts them in ours, which Django consults first (LOCALE_PATHS). Our forms
# replace them (explain_field); the admin's forms still show Django's.
DJANGO_MESSAGES_WITHOUT_VIETNAMESE = [
    gettext_noop("Null characters are not allowed."),
]

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _formatted(message, *, group: bool = True, **numbers):
    """`message` with its numbers written the reader's way (1.000.000.000.000.000; a
    year as a year with group=False), chosen when the message is shown, in the reader's
    language."""
    return lazy(
        lambda: message % {k: grouped(v) if group else v for k, v in numbers.items()}, str
    )()


# --- One place for the messages of every field of every form ------------------------------
#
# Django's generic messages ("Nhập một giá trị hợp lệ.", "Đảm bảo giá trị này có tối đa
# 5000 ký tự (nó có 5001).") neither say how to fix the value nor write numbers with the
# language's separators. Every form of the product derives from `Form` below, which gives
# each field, when it is validated, messages that do both. A field's own messages (given
# with error_messages=) are kept.

ALTERED = _("The page was incomplete or altered: reload it and make your changes again.")
DATE_MESSAGE = _("Enter a date as dd/mm/yyyy, for example 15/03/2026.")
REQUIRED = {
    forms.BooleanField: _("Tick this box to go on."),
    forms.MultipleChoiceField: _("Tick or choose at least one option."),
    forms.ChoiceField: _("Choose one of the options."),
    forms.ModelChoiceField: _("Choose one of the options."),
    forms.DateField: _("Enter a date as dd/mm/yyyy."),
    forms.IntegerField: _("Enter a number."),
    forms.FileField: _("Choose a file to send."),
    forms.Field: _("Fill in this field."),
}
INVALID = {
    forms.DateField: DATE_MESSAGE,
    forms.DecimalField: _("Enter a number, for example 1,5."),
    forms.FloatField: _("Enter a number, for example 1,5."),
    forms.IntegerField: _("Enter a whole number, for example 12."),
    forms.FileField: _("The file could not be read: choose the file again."),
    forms.Field: _("This is not in the expected form: correct it as the help text says."),
}
CHOICE = _("The value sent is not one of the options: choose one in the list.")
OTHER = {
    "invalid_choice": CHOICE,
    "invalid_list": CHOICE,
    "invalid_pk_value": CHOICE,
    "empty": _("The file is empty: choose a file that has content."),
    "missing": _("No file was sent: choose the file again."),
    "contradiction": _("Either choose a file or tick “clear”, not both."),
}


class _ExplainedLength:
    """Django's limits on length, with both numbers formatted and a fix named (`fix`)."""

    fix = ""

    def __call__(self, value):
        if self.compare(self.clean(value), self.limit_value):
            raise forms.ValidationError(
                _formatted(self.fix, limit=self.limit_value, count=len(value)), code=self.code
            )


class _MaxLength(_ExplainedLength, validators.MaxLengthValidator):
    fix = _("Shorten this to at most %(limit)s characters (it has %(count)s).")


class _MinLength(_ExplainedLength, validators.MinLengthValidator):
    fix = _("Write at least %(limit)s characters (this has %(count)s).")


class _Decimal(validators.DecimalValidator):
    """Django's digit limits on decimals, saying how to bring the number within them."""

    messages = {
        "invalid": INVALID[forms.DecimalField],
        "max_digits": _("Enter a number with at most %(max)s digits in all."),
        "max_decimal_places": _("Round this to at most %(max)s digits after the decimal comma."),
        "max_whole_digits": _("Enter a smaller number: at most %(max)s digits before the comma."),
    }


def _for_type(field, table):
    return next(message for kind, message in table.items() if isinstance(field, kind))


def _defaults(field) -> dict:
    defaults = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return defaults


def _explained_validator(field, validator, hidden: bool):
    """The validator with our message, or itself when it already carries one of ours."""
    kind = type(validator)
    if kind is validators.DecimalValidator:
        return validator if hidden else _Decimal(validator.max_digits, validator.decimal_places)
    if kind is validators.ProhibitNullCharactersValidator:
        return kind(
            message=ALTERED
            if hidden
            else _(
                "Null characters are not allowed: remove the NUL character and send the text again."
            )
        )
    if kind not in (
        validators.MaxLengthValidator,
        validators.MinLengthValidator,
        MinValueValidator,
        MaxValueValidator,
    ):
        return validator
    if hidden:
        return kind(validator.limit_value, message=ALTERED)
    if kind is validators.MaxLengthValidator:
        return _MaxLength(validator.limit_value)
    if kind is validators.MinLengthValidator:
        return _MinLength(validator.limit_value)
    if validator.message is kind.message:  # Django's, not one a field chose
        return _limit(kind, validator.limit_value)
    return validator


AT_LEAST = _("Enter %(limit)s or more.")
AT_MOST = _("Enter at most %(limit)s.")


def _limit(kind, limit):
    message = AT_LEAST if kind is MinValueValidator else AT_MOST
    return kind(limit, message=_formatted(message, limit=limit))


def explain_field(field) -> None:
    """Give `field` messages that say what is wrong and how to fix it, with numbers in
    the reader's format, in place of Django's generic ones. Idempotent. A hidden field
    is never typed in: whatever is wrong with it, the page was altered."""
    if getattr(field, "_explained", False):
        return
    hidden = isinstance(field.widget, forms.HiddenInput)
    defaults = _defaults(field)
    for key, message in list(field.error_messages.items()):
        if hidden:
            field.error_messages[key] = ALTERED
        elif message is not defaults.get(key):
            continue  # the field's own message
        elif key == "required":
            field.error_messages[key] = _for_type(field, REQUIRED)
        elif key == "invalid":
            field.error_messages[key] = _for_type(field, INVALID)
        elif key in OTHER:
            field.error_messages[key] = OTHER[key]
    field.validators = [_explained_validator(field, v, hidden) for v in field.validators]
    field._explained = True


class ExplainedMessagesMixin:
    """Explains every field's messages just before validation, so that fields a form adds
    in its __init__ (sections, matrix rows, choices) are covered as well."""

    def full_clean(self):
        for field in self.fields.values():
            explain_field(field)
        super().full_clean()


def form_problems(form) -> list[str]:
    """Every message of a refused form, its label before each field's (for a page that
    shows them apart from the fields); a hidden field's altered-page message once."""
    problems = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        visible = field is not None and not isinstance(field.widget, forms.HiddenInput)
        for message in errors:
            text = f"{field.label}: {message}" if visible and field.label else str(message)
            if text not in problems:
                problems.append(text)
    return problems


class Form(ExplainedMessagesMixin, forms.Form):
    """The base of every form of the product (tests/workflows/test_forms.py checks it)."""


def _model_message(error):
    """A model validator's error (run by a model form's model validation, not by its
    fields) with our message for its code, or as it is."""
    params = error.params or {}
    limit = params.get("limit_value")
    if error.code in ("max_value", "min_value") and isinstance(limit, int | float):
        message = AT_MOST if error.code == "max_value" else AT_LEAST
        return forms.ValidationError(_formatted(message, limit=limit), code=error.code)
    if error.code in ("max_length", "min_length") and limit is not None:
        kind = _MaxLength if error.code == "max_length" else _MinLength
        return forms.ValidationError(
            _formatted(kind.fix, limit=limit, count=params.get("show_value", 0)), code=error.code
        )
    if error.code in ("blank", "null", "required"):
        return forms.ValidationError(REQUIRED[forms.Field], code=error.code)
    if error.code == "invalid_choice":
        return forms.ValidationError(CHOICE, code=error.code)
    return error


class ModelForm(ExplainedMessagesMixin, forms.ModelForm):
    """The base of every model form, the admin's customised forms included. Its model's
    own validators (checked after the fields) get the same messages as the fields'."""

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            errors = forms.ValidationError(
                {
                    field: [_model_message(e) for e in field_errors]
                    for field, field_errors in errors.error_dict.items()
                }
            )
        super()._update_errors(errors)


class DayField(forms.DateField):
    """The date field every form uses: dd/mm/yyyy between 01/01/1900 and 31/12/2100.
    A year such as 0001 or 9999 parsed as a date, then overflowed when turned into a
    time range in Hà Nội time (a 500 on the audit filters, found by fuzzing)."""

    def __init__(self, **kwargs):
        message = _("Enter a date between 01/01/1900 and 31/12/2100, as dd/mm/yyyy.")
        kwargs.setdefault("error_messages", {}).setdefault("invalid", message)
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(FIRST_DAY, message=message),
            MaxValueValidator(LAST_DAY, message=message),
        ]


class WholeNumberField(forms.IntegerField):
    """The integer field every form uses. Django's own messages showed the 10^15 limit
    as `1000000000000000 .` and said "Nhập một số tổng thể." for "12a"; these say what
    is wrong and show the limit with the language's separators."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid", _("Enter a whole number, for example 12.")
        )
        super().__init__(**kwargs)
        self.validators = [
            _limit(type(v), v.limit_value)
            if type(v) in (MinValueValidator, MaxValueValidator)
            else v
            for v in self.validators
        ]


class YearField(WholeNumberField):
    """A year from 2000 to 2100, written as a year (2027, never 2.027) in its messages."""

    def __init__(self, **kwargs):
        message = _formatted(
            _("Enter a year from %(first)s to %(last)s, for example 2027."),
            group=False,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
        messages = kwargs.setdefault("error_messages", {})
        messages.setdefault("invalid", message)
        messages.setdefault("required", message)
        super().__init__(min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)
        self.validators = [
            type(v)(v.limit_value, message=message)
            if type(v) in (MinValueValidator, MaxValueValidator)
            else v
            for v in self.validators
        ]


class ActionForm(Form):
    action = forms.ChoiceField(
        choices=[
            ("submit", _("Submit")),
            ("return", _("Return for revision")),
            ("endorse", _("Endorse and forward for signature")),
            ("sign", _("Sign")),
            ("issue", _("Issue")),
            ("opinion", _("Send the opinion")),
            ("submit_to_signer", _("Submit for signature")),
        ]
    )
    verdict = forms.ChoiceField(
        label=_("Opinion"), required=False, choices=[("", "—")] + list(Verdict.choices)
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=MAX_COMMENT, widget=forms.Textarea
    )
    version = WholeNumberField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    due_on = DayField(label=_("Due date of the next step (dd/mm/yyyy, optional)"), required=False)
    # The signer's step-up (signing.step_up), given with the signature itself: never
    # kept, logged or shown back.
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    # The Office's issue: the date (today by default) and the recipient units.
    issued_on = DayField(label=_("Issue date (dd/mm/yyyy)"), required=False)
    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients (units the issued PDF is sent to)"),
        required=False,
        queryset=Unit.objects.all(),
        error_messages={
            "invalid_choice": _("Choose the recipients from the list."),
            "invalid_pk_value": _("Choose the recipients from the list."),
        },
    )


class DueDateForm(Form):
    """The Minister's office moves the due date of the open step."""

    due_on = DayField(label=_("New due date (dd/mm/yyyy)"))
    reason = forms.CharField(
        label=_("Reason (required to make it later)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    version = WholeNumberField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class CommentForm(Form):
    anchor = forms.CharField(label=_("About"), required=False, max_length=120)
    body = forms.CharField(
        label=_("Guidance comment"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
        error_messages={"required": _("Write a comment first.")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > MAX_COMMENT:
            raise forms.ValidationError(
                _(
                    "A comment may be at most %(limit)s characters (you wrote %(count)s): "
                    "shorten it."
                )
                % {
                    "limit": grouped(MAX_COMMENT),
                    "count": grouped(len(body)),
                }
            )
        return body

    def __init__(self, *args, anchors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if anchors:
            self.fields["anchor"] = forms.ChoiceField(
                label=_("About"), required=False, choices=anchors
            )


DUE_CHOICES = [
    ("", _("All")),
    ("overdue", _("Overdue")),
    ("week", _("Due this week")),
]


class DueFilterForm(Form):
    """Overdue or due this week, on every list of tasks and documents."""

    due = forms.ChoiceField(label=_("Due"), required=False, choices=DUE_CHOICES)


class DocumentFilterForm(DueFilterForm):
    field_order = ["q", "year", "kind", "state", "unit", "due"]
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = YearField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + list(State.choices)
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args, kind_choices=(), unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All"))] + list(kind_choices)
        self.fields["unit"].choices = [("", _("All"))] + [(str(k), v) for k, v in unit_choices]


class AuditFilterForm(Form):
    document = forms.CharField(
        label=_("Document (title or number)"), required=False, max_length=200
    )
    document_id = WholeNumberField(required=False, min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    actor = forms.CharField(label=_("Person"), required=False, max_length=150)
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=20)
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = DayField(label=_("From (dd/mm/yyyy)"), required=False)
    date_to = DayField(label=_("To (dd/mm/yyyy)"), required=False)
    q = forms.CharField(label=_("Words in comments"), required=False, max_length=200)

    def __init__(self, *args, kind_choices=(), action_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All"))] + list(kind_choices)
        self.fields["action"].choices = [("", _("All"))] + list(action_choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(
                _("The end date is before the start date: swap the two dates or correct one.")
            )
        return data


def with_extra_row(data, prefix: str, limit: int = 20_000):
    """The posted formset data with one more (empty) row: "add a row" without JavaScript.
    Nothing is saved; a malformed count simply gives one row."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = max(min(int(data.get(key, 0)) + 1, limit), 1)
    except ValueError:
        total = 1
    data[key] = str(total)
    # StrictFormSet builds only rows that were posted: post the new one, empty.
    data.setdefault(f"{prefix}-{total - 1}-DELETE", "")
    return data


ROW_ID = "uid"


def refuse_foreign_rows(posted_ids, known_ids) -> None:
    """Refuse a post naming a row that is not one of this document's rows, or one row
    twice: the services would otherwise treat it as a new row and silently delete and
    recreate the row it replaced. Empty ids are new rows."""
    known = {str(i) for i in known_ids}
    seen = set()
    for row_id in posted_ids:
        if not row_id:
            continue
        if row_id not in known or row_id in seen:
            raise forms.ValidationError(
                _(
                    "A row of the table is not one of this document's rows (the page was "
                    "altered, or a row was copied from another document). Nothing was "
                    "saved: reload the page and make your changes again."
                ),
                code="foreign_row",
            )
        seen.add(row_id)


class StrictFormSet(forms.BaseFormSet):
    """A formset whose management counts and row ids cannot be tampered with: a negative
    count would post as "no rows" and save an emptied document, a huge one would make the
    server build (and render back) thousands of empty rows, and a row id not of this
    document (`row_ids`, the ids of its saved rows) would replace a row unnoticed."""

    def __init__(self, *args, row_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_ids = row_ids
        # Django's say "Please submit at most 20000 forms.": a table has rows, and its
        # count is written the reader's way. The formset applies `% {"num": …}`, which a
        # message without placeholders ignores.
        self.error_messages["too_many_forms"] = _formatted(
            _("The table may have at most %(limit)s rows: remove rows, then save again."),
            limit=self.max_num,
        )
        self.error_messages["too_few_forms"] = _formatted(
            _("The table needs at least %(limit)s rows: add rows, then save again."),
            limit=self.min_num,
        )
        self.error_messages["missing_management_form"] = ALTERED

    def _posted_rows(self) -> int:
        prefix = f"{self.prefix}-"
        indexes = [
            key[len(prefix) :].split("-", 1)[0]
            for key in self.data
            if key.startswith(prefix) and key[len(prefix) : len(prefix) + 1].isdigit()
        ]
        return max((int(i) for i in indexes if i.isdigit()), default=-1) + 1

    def total_form_count(self):
        count = super().total_form_count()
        if self.is_bound:
            count = min(count, max(self._posted_rows(), 0))
        return count

    def clean(self):
        super().clean()
        management = self.management_form.cleaned_data
        total = management.get("TOTAL_FORMS", 0)
        initial = management.get("INITIAL_FORMS", 0)
        if total < 0 or initial < 0 or initial > total or total > self._posted_rows():
            raise forms.ValidationError(
                _(
                    "The form was incomplete or altered. Nothing was saved: reload the page "
                    "and make your changes again."
                )
            )
        if self.row_ids is not None:
            refuse_foreign_rows(
                [(f.data.get(f.add_prefix(ROW_ID)) or "").strip() for f in self.forms],
                self.row_ids,
            )


def refuse(form, exc) -> int:
    """Put a refused service call's problems on the form (each one, or its message) and
    return the status to answer with: the one way every form view reports a refusal."""
    for problem in exc.problems or [exc.message]:
        form.add_error(None, problem)
    return exc.status

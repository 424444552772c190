import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .models import State, Verdict
from .services import MAX_COMMENT

# Django's own validator messages that its Vietnamese catalogue lacks: named here so that
# makemessages puts them in ours, which Django consults first (LOCALE_PATHS).
DJANGO_MESSAGES_WITHOUT_VIETNAMESE = [
    gettext_noop("Null characters are not allowed."),
]

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


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


def _formatted(message, limit):
    """`message` with `limit` written the reader's way (1.000.000.000.000.000), chosen
    when the message is shown, in the reader's language."""
    return lazy(lambda: message % {"limit": number_format(limit, force_grouping=True)}, str)()


class WholeNumberField(forms.IntegerField):
    """The integer field every form uses. Django's own messages showed the 10^15 limit
    as `1000000000000000 .` and said "Nhập một số tổng thể." for "12a"; these say what
    is wrong and show the limit with the language's separators."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid", _("Enter a whole number, for example 12.")
        )
        super().__init__(**kwargs)
        kept = [
            v for v in self.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ]
        if self.min_value is not None:
            kept.append(
                MinValueValidator(
                    self.min_value,
                    message=_formatted(_("Enter %(limit)s or more."), self.min_value),
                )
            )
        if self.max_value is not None:
            kept.append(
                MaxValueValidator(
                    self.max_value,
                    message=_formatted(_("Enter at most %(limit)s."), self.max_value),
                )
            )
        self.validators = kept


class ActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("submit", _("Submit")),
            ("return", _("Return for revision")),
            ("endorse", _("Endorse and forward for signature")),
            ("sign", _("Sign and issue")),
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


class DueDateForm(forms.Form):
    """The Minister's office moves the due date of the open step."""

    due_on = DayField(label=_("New due date (dd/mm/yyyy)"))
    reason = forms.CharField(
        label=_("Reason (required to make it later)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    version = WholeNumberField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class CommentForm(forms.Form):
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
                _("A comment may be at most %(limit)s characters (you wrote %(count)s).")
                % {
                    "limit": number_format(MAX_COMMENT, force_grouping=True),
                    "count": number_format(len(body), force_grouping=True),
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


class DueFilterForm(forms.Form):
    """Overdue or due this week, on every list of tasks and documents."""

    due = forms.ChoiceField(label=_("Due"), required=False, choices=DUE_CHOICES)


class DocumentFilterForm(DueFilterForm):
    field_order = ["q", "year", "kind", "state", "unit", "due"]
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = WholeNumberField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All"))] + list(State.choices)
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, *args, kind_choices=(), unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All"))] + list(kind_choices)
        self.fields["unit"].choices = [("", _("All"))] + [(str(k), v) for k, v in unit_choices]


class AuditFilterForm(forms.Form):
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
            raise forms.ValidationError(_("The end date is before the start date."))
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
            raise forms.ValidationError(_("The form was incomplete or altered. Nothing was saved."))
        if self.row_ids is not None:
            refuse_foreign_rows(
                [(f.data.get(f.add_prefix(ROW_ID)) or "").strip() for f in self.forms],
                self.row_ids,
            )

"""How long each step of each kind may take, in working days (worktime.calendar).

A row overrides the default of one step of one kind; without a row the kind's own
default applies (`DocumentKind.step_days`), then the product's (`DEFAULT_DAYS`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    REVIEW = "review", _("Review")
    OPINION = "opinion", _("Opinion (review of opinion-mode kinds)")
    SIGNATURE = "signature", _("Signature")
    REVISION = "revision", _("Revision of a returned draft")
    ISSUE = "issue", _("Issue by the Office (number, date, seal)")


# Decree 30/2020, Art. 16: a signed document is issued and sent the day it is signed, at
# the latest the next working day.
DEFAULT_DAYS = {
    Step.REVIEW: 10,
    Step.OPINION: 7,
    Step.SIGNATURE: 5,
    Step.REVISION: 5,
    Step.ISSUE: 1,
}
MAX_DAYS = 250  # about a working year: far beyond any step, within the calendar's span


class StepDuration(models.Model):
    kind = models.CharField(_("document kind"), max_length=40)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    working_days = models.PositiveSmallIntegerField(
        _("working days"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS)]
    )

    class Meta:
        ordering = ["kind", "step"]
        verbose_name = _("step duration")
        verbose_name_plural = _("step durations")
        constraints = [
            models.UniqueConstraint(fields=["kind", "step"], name="stepduration_kind_step_unique"),
            models.CheckConstraint(
                condition=models.Q(working_days__gte=1, working_days__lte=MAX_DAYS),
                name="stepduration_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.step}: {self.working_days}"

    def clean(self):
        from workflows import kinds

        codes = {k.code: k for k in kinds.all_kinds()}
        kind = codes.get(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("Choose a document kind from the list.")})
        opinion = kind.review_mode == "opinion"
        if (self.step == Step.OPINION and not opinion) or (self.step == Step.REVIEW and opinion):
            message = (
                _("This kind is reviewed by opinion: use the opinion step.")
                if opinion
                else _("This kind is reviewed for approval: use the review step.")
            )
            raise ValidationError({"step": message})

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .periods import HALF, MONTH, QUARTER, YEAR, Period


class Kind(models.TextChoices):
    MONTH = MONTH, _("Monthly")
    QUARTER = QUARTER, _("Quarterly")
    HALF = HALF, _("Half-year")
    YEAR = YEAR, _("Yearly")


class Report(models.Model):
    """One periodic report on IT application. `figures` is the snapshot taken when the
    job drafted it (reports.figures): the report says what was true then, and later
    changes to documents, staff or the audit trail never change a report already made."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft, under review by the Centre")
        SENT = "sent", _("Sent")

    kind = models.CharField(_("period kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.PositiveSmallIntegerField(_("period"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    figures = models.JSONField(_("figures"), default=dict)
    commentary = models.TextField(_("commentary"), blank=True)
    drafted_at = models.DateTimeField(_("drafted"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-period_end", "kind"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "index"], name="reports_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period.code}"

    @property
    def period(self) -> Period:
        return Period.of(self.kind, self.year, self.index)

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT

    @property
    def title(self) -> str:
        from .periods import label

        return label(self.period)

"""Imported mail statistics and the link between a criteria set's person-level
indicators and the figure each is measured by. Scores themselves are never stored: they
are computed from the data each time (individual.selectors), so they always agree with
the certificates, the training records, the imports and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """What the product can measure about one person in a year."""

    COMPETENCY_SHARE = "competency_share", _("Share of the required IT modules held")
    ADVANCED_MODULES = "advanced_modules", _("Advanced IT modules held")
    COURSES_ATTENDED = "courses_attended", _("IT courses attended")
    COURSES_PASSED = "courses_passed", _("IT courses passed")
    MAIL_USED = "mail_used", _("Official e-mail used (signed in and sent mail)")
    MAIL_MESSAGES_PER_WEEK = "mail_per_week", _("Official e-mails sent per week")
    DOCUMENT_ACTIONS = "document_actions", _("Actions in the document system")
    DOCUMENT_SYSTEM_USED = "document_system_used", _("Document system used")


class IndicatorMeasure(models.Model):
    """Which figure a person-level indicator is measured by, by the indicator's code, so
    that the next year's criteria set keeps the link as long as it keeps the code.
    Data, not code: the Centre changes it in the administration."""

    indicator_code = models.CharField(_("indicator code"), max_length=20, unique=True)
    measure = models.CharField(_("measured by"), max_length=30, choices=Measure.choices)

    class Meta:
        verbose_name = _("measure of an individual indicator")
        verbose_name_plural = _("measures of individual indicators")
        ordering = ["indicator_code"]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.get_measure_display()}"


class MailImport(models.Model):
    """One import of the mail system's account statistics for a period."""

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    accounts = models.PositiveIntegerField(_("accounts"), default=0)

    class Meta:
        verbose_name = _("mail statistics import")
        verbose_name_plural = _("mail statistics imports")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="mail_import_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class MailAccountStat(models.Model):
    mail_import = models.ForeignKey(MailImport, on_delete=models.CASCADE, related_name="rows")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    account = models.CharField(_("account"), max_length=254)
    last_sign_in = models.DateField(_("last sign-in"), null=True, blank=True)
    messages_sent = models.PositiveIntegerField(_("messages sent"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mail_import", "person"], name="mail_stat_one_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.account

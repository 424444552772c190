"""The criteria set for the year-end IT-application ranking (Decision 240/QĐ-BCĐ): an
issued document whose content is groups of criteria, each with its indicators, and the
grade bands. Points, methods and bands are data: the Committee changes them by issuing a
new criteria set, never by a change of code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import Document

from . import scoring

DEFAULT_BANDS = [
    {"grade": scoring.GOOD, "from": 85},
    {"grade": scoring.FAIR, "from": 70},
    {"grade": scoring.AVERAGE, "from": 50},
    {"grade": scoring.POOR, "from": 0},
]


def default_bands() -> list[dict]:
    return [dict(b) for b in DEFAULT_BANDS]


class CriteriaSet(models.Model):
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="criteria_set"
    )
    # Best grade first: [{"grade": "good", "from": 85}, ..., {"grade": "poor", "from": 0}]
    # (reporting.scoring.band_problems says what a valid list is).
    grade_bands = models.JSONField(_("grade bands"), default=default_bands)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return self.document.title


class CriteriaGroup(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criteria_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Indicator(models.Model):
    class AppliesTo(models.TextChoices):
        UNITS = "units", _("Units")
        PEOPLE = "people", _("Individuals")
        BOTH = "both", _("Units and individuals")

    group = models.ForeignKey(CriteriaGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=500)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=100)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    method = models.CharField(
        _("scoring method"), max_length=20, choices=list(scoring.METHODS.items())
    )
    # The method's parameters (reporting.scoring.PARAMETERS), validated by the service.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    applies_to = models.CharField(
        _("applies to"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.UNITS
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

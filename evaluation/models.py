"""The year-end IT-application evaluation (Decision 240/QĐ-BCĐ): the Centre opens year N
on an issued criteria set; each unit self-assesses its unit-level indicators; the Centre
appraises; the unit may respond once; the Centre finalises, which drafts the ranking
decision (a document kind of its own, evaluation.kinds), signed by the Minister."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit
from reporting.models import CriteriaSet, Indicator
from workflows.models import Document


class Evaluation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Self-assessment open")
        FINALISED = "finalised", _("Finalised, ranking decision drafted")
        PUBLISHED = "published", _("Ranking published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    criteria = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    self_due_on = models.DateField(_("self-assessment due on"))
    ranking_due_on = models.DateField(_("ranking due on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    # The issued ranking, frozen at issue (selectors.ranking shape); read-only from then.
    published = models.JSONField(null=True, blank=True)
    decision = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluation"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class SelfAssessment(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")
        APPRAISED = "appraised", _("Appraised, awaiting the unit's response")
        RESPONDED = "responded", _("Unit responded")
        FINAL = "final", _("Final")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    # A person the head appoints to fill it in (besides the head).
    filler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    # Submitted after the due date (or not at all when the Centre finalised).
    late = models.BooleanField(default=False)
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit__sort_order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "unit"], name="evaluation_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.unit_id}"


class Value(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    explanation = models.CharField(max_length=1000, blank=True)
    # What the product knew when the cycle opened (None: no data), and where from.
    prefilled = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    prefill_source = models.CharField(max_length=30, blank=True)
    correction_reason = models.CharField(max_length=1000, blank=True)
    # The Centre's appraisal: accepted as is, or changed with a reason.
    appraised = models.BooleanField(default=False)
    appraised_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    appraisal_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["indicator__group__position", "indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id}"

    @property
    def corrected(self) -> bool:
        return self.prefill_source != "" and self.value != self.prefilled

    @property
    def final(self):
        """The value that is scored: the Centre's when it changed it, else the unit's."""
        return self.appraised_value if self.appraisal_reason else self.value


class Evidence(models.Model):
    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evaluation/evidence/%Y/")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Remark(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="remarks")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]

"""Five-year and annual IT application plans: the content behind a workflows.Document."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflows.models import Document

MAX_COST = 10**15  # đồng; far above any plan, far below BigInteger's limit


class Kind(models.TextChoices):
    FIVE_YEAR = "five_year_plan", _("Five-year IT application plan")
    ANNUAL = "annual_plan", _("Annual IT application plan")


class Category(models.TextChoices):
    """Task categories of MIC guidance 1329/BTTTT-KHTC."""

    PROCESS = "process", _("Process standardisation / ISO")
    INFRASTRUCTURE = "infrastructure", _("Technical infrastructure")
    EMAIL = "email", _("E-mail")
    DOCUMENT_SYSTEM = "documents", _("Document management and execution system")
    DIGITISATION = "digitisation", _("Digitisation")
    PORTAL = "portal", _("Portal and online public services")
    APPLICATIONS = "applications", _("Professional applications")
    TRAINING = "training", _("IT training and human resources")
    SECURITY = "security", _("Information security")


class FundingSource(models.TextChoices):
    INVESTMENT = "investment", _("Development investment")
    RECURRENT = "recurrent", _("Recurrent expenditure")


# The sections of a plan after Decree 64/2007, in order; `required` ones must be filled
# before the plan can be submitted.
SECTIONS = [
    ("basis", _("Basis"), True),
    ("situation", _("Current situation"), True),
    ("general_objective", _("General objective"), True),
    ("tasks_solutions", _("Tasks and solutions"), True),
    ("investment", _("Investment contents"), False),
    ("funds", _("Projected funds"), True),
    ("conditions", _("Implementation conditions"), False),
    ("benefits", _("Expected benefits"), False),
]
SECTION_KEYS = [key for key, _label, _req in SECTIONS]
MAX_SECTION_LENGTH = 50_000


class Plan(models.Model):
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="plan"
    )
    period_start = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period_end = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("five-year plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_plans",
    )
    sections = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.document.title

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def is_annual(self) -> bool:
        return self.document.kind == Kind.ANNUAL

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"


class Objective(models.Model):
    """A specific, measurable objective: indicator, baseline, target value and year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    indicator = models.CharField(_("indicator"), max_length=500)
    baseline = models.CharField(_("baseline"), max_length=200, blank=True)
    target_value = models.CharField(_("target value"), max_length=200)
    target_year = models.PositiveSmallIntegerField(_("target year"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("specific objective")
        verbose_name_plural = _("specific objectives")
        constraints = [models.UniqueConstraint(fields=["plan", "uid"], name="objective_uid_unique")]

    def __str__(self) -> str:
        return self.indicator


class PlanTask(models.Model):
    """A task row. Five-year plans give start and end years; annual plans a deadline and
    optionally the five-year task they carry out."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("task"), max_length=500)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    lead_unit = models.CharField(_("lead unit"), max_length=200)
    coordinating_units = models.CharField(_("coordinating units"), max_length=500, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    estimated_cost = models.BigIntegerField(
        _("estimated cost (đồng)"), validators=[MinValueValidator(0), MaxValueValidator(MAX_COST)]
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices
    )
    parent_task = models.ForeignKey(
        "self",
        verbose_name=_("five-year task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_tasks",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "uid"], name="plantask_uid_unique"),
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0), name="plantask_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="plantask_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Guidance(models.Model):
    """The Planning Department's guidance for the plans and estimates of year N: the
    deadline, the budget ceilings and instructions. Read-only once published."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    deadline = models.DateField(_("submission deadline"))
    total_ceiling = models.BigIntegerField(
        _("total ceiling (đồng)"), validators=[MinValueValidator(0), MaxValueValidator(MAX_COST)]
    )
    investment_ceiling = models.BigIntegerField(
        _("ceiling for development investment (đồng)"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_COST)],
    )
    recurrent_ceiling = models.BigIntegerField(
        _("ceiling for recurrent expenditure (đồng)"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_COST)],
    )
    instructions = models.TextField(_("instructions"), blank=True)
    created_by = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        "organisation.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("planning guidance")
        verbose_name_plural = _("planning guidance")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_ceiling__gte=0)
                & Q(investment_ceiling__gte=0)
                & Q(recurrent_ceiling__gte=0),
                name="guidance_ceilings_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def ceiling_for(self, source: str) -> int:
        return {
            FundingSource.INVESTMENT: self.investment_ceiling,
            FundingSource.RECURRENT: self.recurrent_ceiling,
        }[source]

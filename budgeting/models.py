"""Annual IT budget estimates: line items in đồng that fund the tasks of the year's
annual plan, behind a workflows.Document."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from planning.models import MAX_COST, FundingSource, Plan, PlanTask
from workflows.models import Document

MAX_AMOUNT = MAX_COST  # 10^15 đồng: any line, any total


class ExpenseCategory(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    REPLACEMENT = "replacement", _("Replacement hardware")
    SOFTWARE = "software", _("Commercial software and licence renewal")
    RENTAL = "rental", _("IT service rental")
    DATABASE = "database", _("Database creation and digitisation")
    TRAINING = "training", _("Training")
    MAINTENANCE = "maintenance", _("Maintenance and warranty")
    SECURITY = "security", _("Information security")
    CONSULTING = "consulting", _("Consulting")
    OTHER = "other", _("Other")


class Estimate(models.Model):
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="estimate"
    )
    annual_plan = models.ForeignKey(
        Plan, verbose_name=_("annual plan"), on_delete=models.PROTECT, related_name="estimates"
    )
    justification = models.TextField(_("justification for exceeding the ceiling"), blank=True)

    class Meta:
        verbose_name = _("budget estimate")
        verbose_name_plural = _("budget estimates")
        constraints = [
            models.UniqueConstraint(fields=["annual_plan"], name="one_estimate_per_annual_plan")
        ]

    def __str__(self) -> str:
        return self.document.title


class LineItem(models.Model):
    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="lines")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    content = models.CharField(_("content"), max_length=500)
    expense_category = models.CharField(
        _("expense category"), max_length=20, choices=ExpenseCategory.choices
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices
    )
    quantity = models.PositiveBigIntegerField(
        _("quantity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_AMOUNT)]
    )
    unit = models.CharField(_("unit of measure"), max_length=50)
    unit_price = models.BigIntegerField(
        _("unit price (đồng)"), validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)]
    )
    # Always quantity × unit price, computed by the service; kept for sums in SQL.
    amount = models.BigIntegerField(_("amount (đồng)"))
    plan_task = models.ForeignKey(
        PlanTask,
        verbose_name=_("plan task funded"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        constraints = [
            models.UniqueConstraint(fields=["estimate", "uid"], name="lineitem_uid_unique"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=MAX_AMOUNT) & Q(unit_price__gte=0),
                name="lineitem_amount_in_range",
            ),
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_price")),
                name="lineitem_amount_is_quantity_times_price",
            ),
        ]

    def __str__(self) -> str:
        return self.content

"""The digitisation programme: batches of archive documents the Office digitises, the
Centre's quality checks on a sample of each, and the targets the batches count against.

A batch delivers a digitisation task of an issued plan. Plan tasks carry no document or
page targets, and an issued plan never changes, so the targets are kept here, one per
task and unit (the task is the Office's, but the archives are each unit's, and the
progress page and the reports count by unit)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MAX_COUNT = 10**9  # documents or pages of one batch; far above any real batch


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered, awaiting check")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected, to be redone")
    REDONE = "redone", _("Redone, awaiting check")


class Batch(models.Model):
    fonds = models.CharField(_("archive fonds or document series"), max_length=300)
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="digitisation_batches",
    )
    period_from = models.DateField(_("documents dated from"))
    period_to = models.DateField(_("documents dated to"))
    documents = models.PositiveIntegerField(_("number of documents"))
    pages = models.PositiveIntegerField(_("number of pages"))
    performed_by = models.CharField(_("digitised by"), max_length=200)
    plan_task = models.ForeignKey(
        "planning.PlanTask",
        verbose_name=_("plan task delivered"),
        on_delete=models.PROTECT,
        related_name="digitisation_batches",
    )
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"))
    # The Vietnamese day the Centre accepted it: the day its documents count as digitised.
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("digitisation batch")
        verbose_name_plural = _("digitisation batches")
        indexes = [models.Index(fields=["state", "accepted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")), name="batch_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(documents__gte=0) & Q(pages__gte=0), name="batch_counts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(pages__gte=F("documents")), name="batch_a_page_per_document"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in State]), name="batch_state_known"
            ),
            models.CheckConstraint(
                condition=Q(state="accepted", accepted_on__isnull=False)
                | (~Q(state="accepted") & Q(accepted_on__isnull=True)),
                name="batch_accepted_has_a_day",
            ),
            models.CheckConstraint(condition=~Q(fonds=""), name="batch_has_fonds"),
        ]

    def __str__(self) -> str:
        return f"{self.fonds} ({self.period_from:%d/%m/%Y}–{self.period_to:%d/%m/%Y})"


class Verdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Check(models.Model):
    """One quality check of a batch on a sample; a rejection says why. Kept for every
    check, so the progress page and the reports can say what was rejected and when."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="checks")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    sample_size = models.PositiveIntegerField(_("documents checked in the sample"))
    reasons = models.TextField(_("reasons for rejection"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"))
    checked_on = models.DateField(_("checked on"))

    class Meta:
        ordering = ["checked_at", "pk"]
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")
        indexes = [models.Index(fields=["verdict", "checked_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=[v.value for v in Verdict]), name="check_verdict_known"
            ),
            models.CheckConstraint(
                condition=Q(verdict="accepted") | ~Q(reasons=""),
                name="check_rejection_has_reasons",
            ),
            models.CheckConstraint(condition=Q(sample_size__gte=1), name="check_sample_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.verdict} {self.checked_on:%d/%m/%Y}"


class Rework(models.Model):
    """The Office's record that a rejected batch was redone, and what was done."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="reworks")
    note = models.TextField(_("what was redone"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("rework")
        verbose_name_plural = _("reworks")
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="rework_has_note")]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.recorded_at:%d/%m/%Y}"


class Target(models.Model):
    """How many documents and pages of a unit's archive a plan task is to digitise."""

    plan_task = models.ForeignKey(
        "planning.PlanTask",
        verbose_name=_("plan task"),
        on_delete=models.PROTECT,
        related_name="digitisation_targets",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="digitisation_targets",
    )
    documents = models.PositiveIntegerField(_("target documents"))
    pages = models.PositiveIntegerField(_("target pages"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"))

    class Meta:
        ordering = ["plan_task", "unit"]
        verbose_name = _("digitisation target")
        verbose_name_plural = _("digitisation targets")
        constraints = [
            models.UniqueConstraint(fields=["plan_task", "unit"], name="target_one_per_task_unit"),
            models.CheckConstraint(
                condition=Q(documents__gte=0) & Q(pages__gte=0), name="target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_task_id}/{self.unit_id}: {self.documents}/{self.pages}"

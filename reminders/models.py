"""What the reminder job may be told by administrators and people, and what it has sent.

`ReminderLog` is the job's memory: one row per person, document, step, kind of mail and
day, under a unique constraint, so running the job twice on a day (a retry, a second
worker, a run by hand) sends nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit
from workflows.models import Document


class ReminderSettings(models.Model):
    """The one row of reminder settings (pk 1), created with the defaults on first use."""

    days_before = models.PositiveSmallIntegerField(
        _("reminder, working days before the due date"),
        default=2,
        validators=[MaxValueValidator(20)],
        help_text=_("0 sends no reminder before the due date (the one on the day stays)."),
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("tell the head of unit after this many working days overdue"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    leadership_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit whose head is told of late signatures"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The Committee leadership has no head of unit above it: name the unit (e.g. "
            "the Office) whose head is told when a signature is overdue, or leave it empty "
            "to tell nobody (the Office's follow-up page still shows it)."
        ),
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(_("Reminder settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ReminderSettings:
        found = cls.objects.select_related("leadership_unit__head").filter(pk=1).first()
        return found or cls.objects.get_or_create(pk=1)[0]


class NotificationPreference(models.Model):
    """A person's choice of mail; a person without a row gets every mail."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    digest_only = models.BooleanField(
        _("daily digest only"),
        default=False,
        help_text=_(
            "Reminders before and on the due date come in the one daily digest instead of "
            "a mail each."
        ),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.person_id}: {'digest' if self.digest_only else 'all'}"


class Kind(models.TextChoices):
    BEFORE = "before", _("Reminder before the due date")
    DUE = "due", _("Reminder on the due date")
    DIGEST = "digest", _("Daily digest")
    ESCALATED = "escalated", _("Told to the head of unit")


class ReminderLog(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # Empty for a digest: one row per person and day (its audit event lists the
    # documents), not one per document listed, which would be tens of thousands a day.
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The step ("draft", "review", "sign") and its due date: together they name one task,
    # so a task returned and submitted again (a new due date) is reminded again.
    step = models.CharField(_("step"), max_length=20, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-day", "person", "document"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "document", "step", "kind", "day"],
                name="reminder_once_per_person_document_step_kind_day",
            ),
            # NULL documents are distinct to a unique index: digests need their own.
            models.UniqueConstraint(
                fields=["person", "day"],
                condition=Q(kind="digest"),
                name="reminder_one_digest_per_person_day",
            ),
        ]
        indexes = [models.Index(fields=["document", "kind"]), models.Index(fields=["kind", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.document_id} → {self.person_id}"

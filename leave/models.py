from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LeaveQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Leave that covers `day` (a date in Vietnam) and was not cancelled: the one
        rule every reader uses, so a leave that ended yesterday is over at once, whether
        or not the closing job has run."""
        return self.filter(cancelled_at__isnull=True, starts_on__lte=day, ends_on__gte=day)

    def overlapping(self, starts_on, ends_on):
        return self.filter(
            cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
        )


class Leave(models.Model):
    """A period of leave (whole days in Vietnam, both ends included) and the colleague of
    the same unit and role who acts "thay mặt" the absentee meanwhile."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person on leave"),
        on_delete=models.PROTECT,
        related_name="leaves",
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("substitute"),
        on_delete=models.PROTECT,
        related_name="substitutions",
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # Whether the tasks the person has taken go to the substitute during the leave.
    hand_over = models.BooleanField(_("hand over my tasks"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set by the closing job once the return of the tasks is on record (idempotency).
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = LeaveQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("leave")
        verbose_name_plural = _("leave periods")
        indexes = [
            models.Index(fields=["substitute", "starts_on", "ends_on"]),
            models.Index(fields=["person", "starts_on", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("substitute")), name="leave_not_own_substitute"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    def is_in_force(self, day) -> bool:
        return self.cancelled_at is None and self.starts_on <= day <= self.ends_on

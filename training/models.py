"""Training courses that close gaps against the competency standard: the course, its
sessions, who is enrolled (or waiting), their attendance and their result."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planning.models import PlanTask
from standards.models import Module


class Course(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=300)
    modules = models.ManyToManyField(Module, related_name="+", verbose_name=_("modules taught"))
    plan_task = models.ForeignKey(
        PlanTask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("plan task delivered"),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    withdraw_until = models.DateField(_("withdrawal possible until"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    cost = models.BigIntegerField(_("cost"), default=0, validators=[MinValueValidator(0)])
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="courses_trained", verbose_name=_("trainers")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="course_dates"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_capacity"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="course_cost"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> str:
        """What a certificate awarded for this course names as its source."""
        return f"training.course:{self.pk}"


class Session(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("start"))
    ends_at = models.TimeField(_("end"))

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.starts_at:%H:%M}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Result(models.TextChoices):
        NONE = "", _("No result yet")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The order of the waiting list: the first waiting person is promoted on a withdrawal.
    requested_at = models.DateTimeField(auto_now_add=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    certificate = models.OneToOneField(
        "standards.Certificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolment",
    )

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # Nobody is enrolled twice in a course, whatever the concurrency.
            models.UniqueConstraint(fields=["course", "person"], name="enrolment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.course}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.session_id}: {self.present}"

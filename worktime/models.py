"""The Government's yearly day swaps, which no holiday library can know in advance: each
year a decision moves a working day next to a holiday (ngày nghỉ bù) and makes a
Saturday a working day in exchange (ngày làm bù)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DaySwap(models.Model):
    class Kind(models.TextChoices):
        OFF = "off", _("Day off (ngày nghỉ bù)")
        WORK = "work", _("Working day (ngày làm bù)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("The Government's decision or notice, e.g. 'Thông báo 6150/TB-BLĐTBXH'."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("day swap")
        verbose_name_plural = _("day swaps")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["off", "work"]), name="dayswap_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"

"""IT competency standards (Circular 03/2014/TT-BTTTT modules), the position groups they
apply to, and the certificates people hold."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from workflows.models import Document

BASIC_MODULES = ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06")
ADVANCED_FOR_CERTIFICATE = 3


def _localised(obj) -> str:
    return obj.name_en if (get_language() or "vi").startswith("en") else obj.name_vi


class Module(models.Model):
    """A module of Circular 03/2014/TT-BTTTT: IU01–IU06 basic, IU07–IU15 advanced."""

    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        ADVANCED = "advanced", _("Advanced")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return _localised(self)


class PositionGroup(models.Model):
    """A group of job positions the standard sets requirements for (e.g. department
    leaders, specialists, the Centre's IT staff). Managed by the Personnel Department."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9_-]+$", _("Capital letters, digits, - and _."))],
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("position group")
        verbose_name_plural = _("position groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self)


class Membership(models.Model):
    """Which position group a person belongs to, for compliance."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="position_group_link"
    )
    group = models.ForeignKey(PositionGroup, on_delete=models.PROTECT, related_name="members")

    class Meta:
        verbose_name = _("position group membership")
        verbose_name_plural = _("position group memberships")

    def __str__(self) -> str:
        return f"{self.person} → {self.group}"


class Standard(models.Model):
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="standard"
    )
    sections = models.JSONField(default=dict, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    months_to_comply = models.PositiveSmallIntegerField(
        _("months allowed to comply"),
        default=12,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )

    class Meta:
        verbose_name = _("competency standard")
        verbose_name_plural = _("competency standards")

    def __str__(self) -> str:
        return self.document.title


class Requirement(models.Model):
    """A row of the matrix: what a position group must hold under this standard."""

    class Level(models.TextChoices):
        NONE = "none", _("No requirement")
        BASIC = "basic", _("Basic certificate (IU01–IU06)")
        ADVANCED = "advanced", _("Advanced certificate (basic + 3 advanced modules)")

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="requirements")
    group = models.ForeignKey(PositionGroup, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("requirement"), max_length=10, choices=Level.choices)
    advanced_modules = models.ManyToManyField(
        Module, blank=True, related_name="+", verbose_name=_("advanced modules")
    )

    class Meta:
        ordering = ["group__sort_order", "group__code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "group"], name="requirement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.level}"


class RequirementItem(models.Model):
    """A standard's own requirement under a module, coded like IU07.1 or IU07.1.1."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[RegexValidator(r"^IU\d{2}(\.\d{1,2}){1,3}$", _("Like IU07.1 or IU07.1.1."))],
    )
    text = models.CharField(_("requirement"), max_length=1000)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="requirement_item_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Certificate(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="it_certificates"
    )
    modules = models.ManyToManyField(Module, related_name="+", verbose_name=_("modules covered"))
    issued_on = models.DateField(_("date issued"))
    issuing_body = models.CharField(_("issuing body"), max_length=300)
    number = models.CharField(_("certificate number"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # What produced the certificate when the product itself awarded it, e.g.
    # "training.course:12" for a course passed; empty when recorded from a paper.
    source = models.CharField(_("source"), max_length=100, blank=True, default="")

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "number"], name="certificate_number_unique"
            ),
            models.CheckConstraint(condition=~Q(number=""), name="certificate_has_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issuing_body})"

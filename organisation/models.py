from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import (
    DerivedText,
    DerivedTextQuerySet,
    fold,
    nfc,
    person_sort_key,
    vietnamese_sort_key,
)


class Unit(DerivedText):
    """A unit of the Committee: every person belongs to exactly one, and a document's
    drafting and reviewing responsibilities are given to units, not people."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    # Vụ trưởng, Giám đốc Trung tâm…: told when the unit's work runs late, and may record
    # leave for the unit's staff.
    head = models.ForeignKey(
        "organisation.Person",
        verbose_name=_("head of unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Units of the same display order follow in Vietnamese order of their names (kept
    # by save(), see organisation.text), not in the order of their codes.
    sort_key = models.TextField(editable=False, blank=True)

    objects = DerivedTextQuerySet.as_manager()
    derived_from = ("name_vi", "name_en")
    derived = ("name_vi", "name_en", "sort_key")

    class Meta:
        ordering = ["sort_order", "sort_key", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def derive(self) -> None:
        self.name_vi, self.name_en = nfc(self.name_vi), nfc(self.name_en)
        self.sort_key = vietnamese_sort_key(self.name_vi)

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class PersonManager(UserManager.from_queryset(DerivedTextQuerySet)):
    """Django's user manager, whose bulk paths keep the derived columns too."""


class Person(DerivedText, AbstractUser):
    """A civil servant who signs in. Vietnamese names are not split into first and last
    name in documents, so `full_name` is the name the product prints."""

    full_name = models.CharField(_("full name"), max_length=150)
    position_title = models.CharField(
        _("position title"),
        max_length=200,
        blank=True,
        help_text=_("As printed under a signature, e.g. 'Phó Vụ trưởng'."),
    )
    position_title_en = models.CharField(_("position title (English)"), max_length=200, blank=True)
    # Decree 30/2020, Appendix I: the signer's handwritten signature, a blue PNG with a
    # transparent background, drawn between the title and the name of a signed PDF.
    signature_image = models.FileField(
        _("signature image"),
        upload_to="signatures/",
        blank=True,
        help_text=_("A PNG with a transparent background, the signature in blue."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    # Kept by save() from the name (see organisation.text): the key of Vietnamese staff
    # lists (given name first, CLDR Vietnamese order), the same on every database, and
    # the folded name and user name that searches look in.
    sort_key = models.TextField(editable=False, blank=True, db_index=True)
    search_folded = models.TextField(editable=False, blank=True)

    objects = PersonManager()
    derived_from = ("full_name", "username")
    derived = ("full_name", "sort_key", "search_folded")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "username"]

    def __str__(self) -> str:
        return self.display_name

    def derive(self) -> None:
        self.full_name = nfc(self.full_name)
        self.sort_key = person_sort_key(self.full_name or self.username)
        self.search_folded = fold(f"{self.full_name} {self.username}")

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def position(self) -> str:
        if (get_language() or "vi").startswith("en") and self.position_title_en:
            return self.position_title_en
        return self.position_title

    def get_short_name(self) -> str:
        return self.display_name


class Capability(models.Model):
    """Holds the product's own permissions, which belong to no single table (signing is
    one permission whatever kind of document is signed). Never stored: no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("draft_it_plans", _("Draft IT application plans and budget estimates")),
            ("review_it_plans", _("Review IT application plans and budget estimates")),
            ("publish_planning_guidance", _("Publish planning guidance")),
            ("draft_competency_standards", _("Draft IT competency standards")),
            ("give_technical_opinion", _("Give the technical opinion on competency standards")),
            ("manage_certificates", _("Record IT certificates of staff")),
            ("sign_documents", _("Sign and issue documents")),
            ("sign_on_delegation", _("Sign on behalf of the Minister")),
            ("record_delegations", _("Record and revoke delegations of signature")),
            ("register_documents", _("Keep the register of issued documents")),
            ("view_audit_trail", _("Read the audit trail")),
            ("view_it_reports", _("Read IT application reports and rankings")),
            ("run_it_evaluation", _("Open, appraise and finalise the IT application evaluation")),
            ("remark_on_ranking", _("Add remarks to the draft IT application ranking")),
            ("organise_training", _("Organise IT training courses and record their results")),
            ("register_digitisation", _("Register digitisation batches")),
            ("check_digitisation", _("Check the quality of digitised batches")),
        ]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

"""A delegation of signature: the Minister lets a Vice-Minister sign documents of some
kinds "KT. BỘ TRƯỞNG, CHỦ NHIỆM" for a period. Days are Vietnamese days: a delegation is
in force from 00:00 of its first day to 24:00 of its last in Asia/Ho_Chi_Minh."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Delegation(models.Model):
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Vice-Minister"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    # Every kind, including kinds added later, or exactly the codes in `kinds`.
    all_kinds = models.BooleanField(_("all kinds of document"), default=False)
    kinds = models.JSONField(_("kinds of document"), default=list, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    decision_reference = models.CharField(_("delegating decision"), max_length=300)
    # When an administrator records it: the Minister's written instruction to do so.
    instruction_reference = models.CharField(
        _("Minister's written instruction"), max_length=300, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    revocation_reference = models.CharField(
        _("instruction for the revocation"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("delegation of signature")
        verbose_name_plural = _("delegations of signature")
        indexes = [models.Index(fields=["delegate", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(decision_reference=""), name="delegation_has_decision"
            ),
            # Revoked means both who and when; neither without the other.
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="delegation_revoked_by_whom_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    def covers(self, kind: str) -> bool:
        return self.all_kinds or kind in (self.kinds or [])


class DelegatedSignature(models.Model):
    """The delegation under which a document was signed "KT.": kept beside the document
    (one row per issued document), so the engine's own table is left as it is."""

    document = models.OneToOneField(
        "workflows.Document",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="delegated_signature",
    )
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="signatures")

    class Meta:
        verbose_name = _("signature under delegation")
        verbose_name_plural = _("signatures under delegation")

    def __str__(self) -> str:
        return f"{self.document_id} ← {self.delegation_id}"

"""The signed PDF of a document and its dispatch. The PDF is kept in the database, in
the transaction of the step that made it: a signature or an issue that rolls back
leaves no file behind, and a committed one never lacks its PDF."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit
from workflows.models import Document


class IssuedCopy(models.Model):
    """The PDF the signer signed (``signed_pdf``, certified: only the number, date and
    the Committee's signature may follow) and, once the Office issued it, the PDF with
    number, date and the Committee's seal (``issued_pdf``), the official copy. Neither
    is changed once written."""

    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, primary_key=True, related_name="issued_copy"
    )
    signed_pdf = models.BinaryField(_("PDF signed by the signer"))
    signed_at = models.DateTimeField(_("signed at"))
    issued_pdf = models.BinaryField(_("issued PDF"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # The audit chain's head when it was issued, also written into the Committee's
    # signature (its reason), so the PDF names the trail as it stood.
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)
    audit_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("signed PDF")
        verbose_name_plural = _("signed PDFs")
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_pdf__isnull=True, issued_at__isnull=True)
                | Q(issued_pdf__isnull=False, issued_at__isnull=False),
                name="issued_copy_pdf_and_time_together",
            )
        ]

    def __str__(self) -> str:
        return str(self.document)


class Dispatch(models.Model):
    """The issued PDF sent to one recipient unit, and its acknowledgement of receipt."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="dispatches")
    unit = models.ForeignKey(
        Unit, verbose_name=_("recipient unit"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    acknowledged_at = models.DateTimeField(_("receipt acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["document_id", "unit__sort_order", "unit__sort_key"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="dispatch_once_per_unit"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="dispatch_acknowledged_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.unit}"

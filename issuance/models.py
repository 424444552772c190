"""The signed PDF of a document and its dispatch. The PDF itself is a file in Django's
storage (issuance.pdf_store), written in the transaction of the step that made it and
before the row names it: a committed row never lacks its file, and a step that rolls
back leaves at most a file no row names, which the daily sweep removes. The row keeps
each PDF's storage name, size and SHA-256, checked at every read."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit
from workflows.models import Document


def _stored_pdf_constraints(prefix: str) -> list[models.CheckConstraint]:
    """A stored PDF's hash is 64 lowercase hex digits (empty when there is no file), and
    its name, size and hash are set together or not at all."""
    name, size, sha = f"{prefix}_name", f"{prefix}_size", f"{prefix}_sha256"
    return [
        models.CheckConstraint(
            condition=Q(**{sha: ""}) | Q(**{f"{sha}__regex": r"\A[0-9a-f]{64}\Z"}),
            name=f"issued_copy_{prefix}_sha256_hex",
        ),
        models.CheckConstraint(
            condition=Q(**{name: "", sha: "", f"{size}__isnull": True})
            | (~Q(**{name: ""}) & ~Q(**{sha: ""}) & Q(**{f"{size}__isnull": False})),
            name=f"issued_copy_{prefix}_stored_together",
        ),
    ]


class IssuedCopy(models.Model):
    """The PDF the signer signed (``signed_pdf_*``, certified: only the number, date and
    the Committee's signature may follow) and, once the Office issued it, the PDF with
    number, date and the Committee's seal (``issued_pdf_*``), the official copy. Neither
    is changed once written; each is read with issuance.pdf_store.pdf_read."""

    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, primary_key=True, related_name="issued_copy"
    )
    signed_pdf_name = models.CharField(_("PDF signed by the signer"), max_length=255, blank=True)
    signed_pdf_size = models.PositiveBigIntegerField(null=True, blank=True)
    signed_pdf_sha256 = models.CharField(max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    issued_pdf_name = models.CharField(_("issued PDF"), max_length=255, blank=True)
    issued_pdf_size = models.PositiveBigIntegerField(null=True, blank=True)
    issued_pdf_sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # The audit chain's head when it was issued, also written into the Committee's
    # signature (its reason), so the PDF names the trail as it stood.
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)
    audit_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("signed PDF")
        verbose_name_plural = _("signed PDFs")
        constraints = [
            *_stored_pdf_constraints("signed_pdf"),
            *_stored_pdf_constraints("issued_pdf"),
            models.CheckConstraint(condition=~Q(signed_pdf_name=""), name="issued_copy_signed"),
            models.CheckConstraint(
                condition=Q(issued_pdf_name="", issued_at__isnull=True)
                | (~Q(issued_pdf_name="") & Q(issued_at__isnull=False)),
                name="issued_copy_pdf_and_time_together",
            ),
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

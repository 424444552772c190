from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditCheckpoint(models.Model):
    """The audit chain's head of a day, signed (CMS, detached, RFC 3161 timestamp) with the
    Committee's key over the canonical bytes ``"<count>:<head_hash>"``. Whoever can rewrite
    the database can re-hash the chain but cannot sign a new checkpoint without the key,
    which is not in the database: verify_audit finds the rewrite (signing.checkpoints)."""

    day = models.DateField(_("day"), unique=True)
    count = models.PositiveBigIntegerField(_("events"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    signature = models.BinaryField(_("signature (CMS, DER)"))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("signed audit checkpoint")
        verbose_name_plural = _("signed audit checkpoints")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} #{self.count} {self.head_hash[:12]}"

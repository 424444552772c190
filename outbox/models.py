"""The durable outbox: every mail the product sends is first a row here, written in the
transaction of the action that causes it, so a crash after the commit cannot lose it and
a retry cannot send it twice (the key is unique)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Mail(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.JSONField(_("recipients"), default=list)
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    # Set by the worker that claimed the row; only that worker may record the outcome.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweeper's query: rows whose time has come.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_mail_due"),
        ]

    def __str__(self) -> str:
        return self.subject

"""Outgoing mail for the administrator: what is pending, failed or sent, and a retry
for failed mail. Rows are written only by the services; every field is read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Mail, Status


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "subject",
        "recipients",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status",)
    search_fields = ("key", "subject", "to")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")
    actions = ["retry"]
    readonly_fields = (
        "key",
        "to",
        "from_email",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "claimed_at",
        "created_at",
        "updated_at",
        "sent_at",
    )

    @admin.display(description=_("recipients"))
    def recipients(self, obj: Mail) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the selected failed mail"), permissions=["change"])
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=Status.FAILED).values_list("pk", flat=True))
        count = services.mail_retry(ids=failed)
        skipped = queryset.count() - count
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d mail will be sent again.",
                    "%(count)d mails will be sent again.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected mail was not failed and was left alone.",
                    "%(count)d selected mails were not failed and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

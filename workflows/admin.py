"""Documents and the audit trail are shown in the admin for lookup only: every change
goes through the services (and the audit trail), never through an admin form."""

from django.contrib import admin

from organisation.admin import FoldedSearchAdmin

from .models import AuditEvent, AuditHeadRecord, Document


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(FoldedSearchAdmin, ReadOnlyAdmin):
    list_display = ("title", "kind", "year", "state", "number_text", "drafting_unit")
    list_filter = ("kind", "state", "year")
    search_fields = ("number_text",)  # and the title and number, folded
    list_select_related = ("drafting_unit",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "actor_name", "unit_code", "document")
    list_filter = ("action",)
    list_select_related = ("document",)


@admin.register(AuditHeadRecord)
class AuditHeadRecordAdmin(ReadOnlyAdmin):
    list_display = ("day", "count", "head_hash", "recorded_at")


# People, units and roles are managed in the admin; every change there is audited.
from django.contrib.auth.admin import GroupAdmin  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from organisation.admin import PersonAdmin, UnitAdmin  # noqa: E402
from organisation.models import Person, Unit  # noqa: E402

from .audit_hooks import AuditedAdminMixin  # noqa: E402

for model, base in ((Person, PersonAdmin), (Unit, UnitAdmin), (Group, GroupAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {}))

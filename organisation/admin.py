from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "sort_order")
    search_fields = ("code", "name_vi", "name_en")
    ordering = ("sort_order", "code")


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ("username", "full_name", "unit", "position_title", "is_active")
    list_filter = ("unit", "groups", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    list_select_related = ("unit",)
    ordering = ("full_name",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {"fields": ("full_name", "email", "unit", "position_title", "position_title_en")},
        ),
        (_("Roles"), {"fields": ("groups", "is_active", "is_staff")}),
        (_("Special permissions"), {"fields": ("is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "unit",
                    "position_title",
                    "groups",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        # Only superusers may hand out superuser rights or single permissions.
        ro = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            ro += ["is_superuser", "user_permissions"]
        return ro

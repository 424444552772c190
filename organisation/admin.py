from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Person, Unit
from .text import folded_search


class FoldedSearchAdmin(admin.ModelAdmin):
    """The admin's search box through a folded column (organisation.text.fold): the
    admin's own search compares what is typed as the database does, so on SQLite
    "đắk" misses "Đắk", and "nguyen" never finds "Nguyễn"."""

    folded_search_field = "search_folded"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # search_fields (which also make the admin show its search box) add to the matches.
        others, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        condition = folded_search(self.folded_search_field, search_term)
        return queryset.filter(condition) | others, may_have_duplicates


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "head", "sort_order")
    list_select_related = ("head",)
    search_fields = ("code", "name_vi", "name_en")
    autocomplete_fields = ("head",)
    ordering = ("sort_order", "sort_key", "code")


@admin.register(Person)
class PersonAdmin(FoldedSearchAdmin, UserAdmin):
    list_display = ("username", "full_name", "unit", "position_title", "is_active")
    list_filter = ("unit", "groups", "is_active", "is_staff")
    search_fields = ("email",)  # names are searched folded (FoldedSearchAdmin)
    list_select_related = ("unit",)
    ordering = ("sort_key", "username")
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

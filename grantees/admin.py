from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from grantees.models import (
    CoachAssignment,
    CoachProfile,
    Grantee,
    Invitation,
    Membership,
    Occupation,
    Program,
    ProgramRole,
    Region,
    Topic,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "time_zone"]}),
        ("Status", {"fields": ["is_active", "deactivated_at", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = []
    list_filter = ["is_active", "is_staff"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Grantee)
class GranteeAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "region", "is_active"]
    list_filter = ["program", "region", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


admin.site.register([Region, Topic, Occupation])
admin.site.register(
    Program, prepopulated_fields={"slug": ["name"]}, list_display=["name", "starts_on", "ends_on"]
)
admin.site.register(ProgramRole, list_display=["user", "program", "role"])
admin.site.register(CoachProfile, list_display=["user", "is_active"])
admin.site.register(CoachAssignment, list_display=["coach", "grantee", "assigned_at"])
admin.site.register(
    Invitation, list_display=["email", "grantee", "role", "created_at", "accepted_at", "revoked_at"]
)

"""The Django admin shows the ledger read-only: entries change only through ledger_post."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from support_hours.models import CoachingSession, HourAccount, LedgerEntry, SupportRequest


@admin.register(HourAccount)
class HourAccountAdmin(ReadOnlyAdmin):
    list_display = ["grantee", "allocated_minutes", "used_minutes", "held_minutes"]
    list_select_related = ["grantee"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "minutes", "available_after_minutes"]
    list_filter = ["kind"]
    list_select_related = ["account__grantee"]
    search_fields = ["idempotency_key", "reason"]


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "grantee", "status", "assigned_coach", "created_at"]
    list_filter = ["status"]
    list_select_related = ["grantee", "assigned_coach"]


@admin.register(CoachingSession)
class CoachingSessionAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "grantee", "coach", "minutes", "status"]
    list_filter = ["status", "mode"]
    list_select_related = ["grantee", "coach"]

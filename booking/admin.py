"""The Django admin shows bookings read-only: they change only through booking.services, which
keeps holds, invites and reminders in step."""

from django.contrib import admin

from booking.models import Booking, OfficeHourSeries
from portal.admin import ReadOnlyAdmin


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "kind", "grantee", "booked_by", "coach", "status", "sequence"]
    list_filter = ["kind", "status"]
    list_select_related = ["grantee", "booked_by", "coach"]
    search_fields = ["idempotency_key", "note"]


@admin.register(OfficeHourSeries)
class OfficeHourSeriesAdmin(ReadOnlyAdmin):
    list_display = ["title", "program", "frequency", "weekday", "starts_at", "format"]
    list_select_related = ["program"]

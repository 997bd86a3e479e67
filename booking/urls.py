from django.urls import path

from booking.views import account, grantee, program, staff

urlpatterns = [
    # A grantee's bookings.
    path("g/<slug:slug>/book/", grantee.book_hub, name="book"),
    path(
        "g/<slug:slug>/office-hours/<int:occurrence_id>/",
        grantee.office_hours_book,
        name="office_hours_book",
    ),
    path(
        "g/<slug:slug>/coaches/<int:coach_id>/book/",
        grantee.one_on_one_book,
        name="one_on_one_book",
    ),
    path("g/<slug:slug>/bookings/", grantee.booking_list, name="bookings"),
    path("g/<slug:slug>/bookings/<int:booking_id>/", grantee.booking_detail, name="booking_detail"),
    path(
        "g/<slug:slug>/bookings/<int:booking_id>/invite.ics",
        grantee.booking_invite,
        name="booking_invite",
    ),
    path(
        "g/<slug:slug>/bookings/<int:booking_id>/cancel/",
        grantee.booking_cancel,
        name="booking_cancel",
    ),
    path(
        "g/<slug:slug>/bookings/<int:booking_id>/reschedule/",
        grantee.booking_reschedule,
        name="booking_reschedule",
    ),
    path(
        "g/<slug:slug>/bookings/<int:booking_id>/no-show/",
        grantee.booking_no_show,
        name="booking_no_show",
    ),
    # A coach's own calendar and 1:1 availability.
    path("coach/schedule/", staff.coach_schedule, name="coach_schedule"),
    path("coach/availability/", staff.coach_availability, name="coach_availability"),
    path("coach/availability/away/", staff.away_add, name="coach_away_add"),
    path(
        "coach/availability/away/<int:exception_id>/delete/",
        staff.away_remove,
        name="coach_away_remove",
    ),
    # Office hours, for their hosts and TA admins.
    path("office-hours/", staff.series_list, name="office_hours"),
    path("office-hours/new/", staff.series_new, name="office_hours_new"),
    path("office-hours/<int:series_id>/", staff.series_detail, name="office_hours_series"),
    path(
        "office-hours/<int:series_id>/dates/<int:occurrence_id>/",
        staff.occurrence_detail,
        name="office_hours_occurrence",
    ),
    path(
        "office-hours/<int:series_id>/dates/<int:occurrence_id>/skip/",
        staff.occurrence_skip,
        name="office_hours_skip",
    ),
    path(
        "office-hours/<int:series_id>/dates/<int:occurrence_id>/move/",
        staff.occurrence_move,
        name="office_hours_move",
    ),
    path(
        "office-hours/<int:series_id>/dates/<int:occurrence_id>/attendance/<int:booking_id>/",
        staff.occurrence_attendance,
        name="office_hours_attendance",
    ),
    # A program's booking policy.
    path("p/<slug:program_slug>/booking-settings/", program.booking_policy, name="booking_policy"),
    # The signed-in person's settings and calendar feed.
    path("me/settings/", account.settings_page, name="my_settings"),
    path("me/calendar-feed/", account.calendar_feed_manage, name="calendar_feed_manage"),
    path("calendar/<str:token>.ics", account.calendar_feed, name="calendar_feed"),
]

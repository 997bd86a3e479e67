from django.urls import path

from events import views

urlpatterns = [
    path("g/<slug:slug>/events/", views.event_list, name="events"),
    path("g/<slug:slug>/events/calendar/", views.event_calendar, name="event_calendar"),
    path("g/<slug:slug>/events/<int:event_id>/", views.event_detail, name="event_detail"),
    path(
        "g/<slug:slug>/events/<int:event_id>/register/",
        views.event_register,
        name="event_register",
    ),
    path(
        "g/<slug:slug>/registrations/<int:registration_id>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "g/<slug:slug>/registrations/<int:registration_id>/feedback/",
        views.event_feedback,
        name="event_feedback",
    ),
    path(
        "g/<slug:slug>/registrations/<int:registration_id>/invite.ics",
        views.registration_invite,
        name="registration_invite",
    ),
    path("p/<slug:program_slug>/events/", views.program_event_list, name="program_events"),
    path("p/<slug:program_slug>/events/new/", views.program_event_new, name="program_event_new"),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/",
        views.program_event,
        name="program_event",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/edit/",
        views.program_event_edit,
        name="program_event_edit",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/cancel/",
        views.program_event_cancel,
        name="program_event_cancel",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/agenda/",
        views.event_agenda_add,
        name="event_agenda_add",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/agenda/<int:agenda_id>/delete/",
        views.event_agenda_remove,
        name="event_agenda_remove",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/materials/",
        views.event_material_add,
        name="event_material_add",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/materials/<int:material_id>/delete/",
        views.event_material_remove,
        name="event_material_remove",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/feedback/send/",
        views.event_feedback_send,
        name="event_feedback_send",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/check-in/",
        views.event_check_in,
        name="event_check_in",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/check-in/<int:registration_id>/",
        views.event_check_in_person,
        name="event_check_in_person",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/roster.csv",
        views.event_roster_csv,
        name="event_roster_csv",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/roster.xlsx",
        views.event_roster_xlsx,
        name="event_roster_xlsx",
    ),
]

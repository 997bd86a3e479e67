from django.urls import path

from support_hours import views

urlpatterns = [
    # A grantee's hours.
    path("g/<slug:slug>/hours/", views.hours, name="hours"),
    path("g/<slug:slug>/hours/entries.csv", views.hours_csv, name="hours_csv"),
    path("g/<slug:slug>/hours/allocate/", views.hours_allocate, name="hours_allocate"),
    path("g/<slug:slug>/hours/adjust/", views.hours_adjust, name="hours_adjust"),
    # A grantee's support requests.
    path("g/<slug:slug>/requests/", views.request_list, name="support_requests"),
    path("g/<slug:slug>/requests/new/", views.request_new, name="support_request_new"),
    path(
        "g/<slug:slug>/requests/<int:request_id>/",
        views.request_detail,
        name="support_request_detail",
    ),
    path(
        "g/<slug:slug>/requests/<int:request_id>/assign/",
        views.request_assign,
        name="support_request_assign",
    ),
    path(
        "g/<slug:slug>/requests/<int:request_id>/status/",
        views.request_move,
        name="support_request_move",
    ),
    # A grantee's coaching sessions.
    path("g/<slug:slug>/sessions/", views.session_list, name="sessions"),
    path("g/<slug:slug>/sessions/new/", views.session_new, name="session_new"),
    path("g/<slug:slug>/sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("g/<slug:slug>/sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path(
        "g/<slug:slug>/sessions/<int:session_id>/confirm/",
        views.session_confirm,
        name="session_confirm",
    ),
    path(
        "g/<slug:slug>/sessions/<int:session_id>/dispute/",
        views.session_dispute,
        name="session_dispute",
    ),
    path(
        "g/<slug:slug>/sessions/<int:session_id>/resolve/",
        views.session_resolve,
        name="session_resolve",
    ),
    path(
        "g/<slug:slug>/sessions/<int:session_id>/actions/<int:item_id>/",
        views.action_item_status,
        name="action_item_status",
    ),
    # Program-wide.
    path("p/<slug:program_slug>/hours/", views.program_hours, name="program_hours"),
    path(
        "p/<slug:program_slug>/hours/allocate-defaults/",
        views.program_allocate_defaults,
        name="program_allocate_defaults",
    ),
    path("p/<slug:program_slug>/requests/", views.program_requests, name="program_requests"),
]

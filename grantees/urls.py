from django.urls import path

from grantees import views

urlpatterns = [
    path("", views.home, name="home"),
    path("coach/", views.coach_dashboard, name="coach_dashboard"),
    path("ta/", views.ta_dashboard, name="ta_dashboard"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # A grantee's pages (the tenant).
    path("g/<slug:slug>/", views.grantee_dashboard, name="grantee_dashboard"),
    path("g/<slug:slug>/profile/", views.grantee_profile_edit, name="grantee_profile_edit"),
    path("g/<slug:slug>/team/invite/", views.grantee_invite, name="grantee_invite"),
    path(
        "g/<slug:slug>/team/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("g/<slug:slug>/coaches/", views.grantee_coaches, name="grantee_coaches"),
    # Program-wide pages.
    path("p/<slug:program_slug>/", views.program_overview, name="program_overview"),
    path("p/<slug:program_slug>/people/", views.program_people, name="program_people"),
    path("p/<slug:program_slug>/invite/", views.program_invite, name="program_invite"),
    path(
        "p/<slug:program_slug>/people/<int:user_id>/deactivate/",
        views.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "p/<slug:program_slug>/people/<int:user_id>/reactivate/",
        views.person_reactivate,
        name="person_reactivate",
    ),
]

from django.urls import path

from labor_market import views

urlpatterns = [
    path("g/<slug:slug>/occupations/", views.occupations, name="occupations"),
    path("g/<slug:slug>/priorities/new/", views.priority_new, name="priority_new"),
    path(
        "g/<slug:slug>/priorities/<int:priority_id>/edit/",
        views.priority_edit,
        name="priority_edit",
    ),
    path(
        "g/<slug:slug>/priorities/<int:priority_id>/remove/",
        views.priority_remove,
        name="priority_remove",
    ),
    path(
        "g/<slug:slug>/priorities/<int:priority_id>/move/",
        views.priority_move,
        name="priority_move",
    ),
    path("p/<slug:program_slug>/living-wages/", views.living_wages, name="living_wages"),
    path(
        "p/<slug:program_slug>/living-wages/edit/",
        views.living_wages_edit,
        name="living_wages_edit",
    ),
    path(
        "p/<slug:program_slug>/events/<int:event_id>/workspace/",
        views.event_workspace,
        name="event_workspace",
    ),
    path("occupations/", views.occupation_list, name="occupation_list"),
    path("occupations/export.csv", views.occupations_csv, name="occupations_csv"),
    path("occupations/import/", views.occupation_import_page, name="occupation_import"),
]

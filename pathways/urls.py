from django.urls import path

from pathways import views

concept = "g/<slug:slug>/pathways/<int:concept_id>"
step = "g/<slug:slug>/pathway-steps/<int:step_id>"

urlpatterns = [
    path("g/<slug:slug>/pathways/", views.pathway_list, name="pathways"),
    path("g/<slug:slug>/pathways/new/", views.pathway_new, name="pathway_new"),
    path(f"{concept}/", views.pathway_detail, name="pathway_detail"),
    path(f"{concept}/edit/", views.pathway_edit, name="pathway_edit"),
    path(f"{concept}/entry-points/", views.pathway_entry_points, name="pathway_entry_points"),
    path(f"{concept}/new-version/", views.pathway_new_version, name="pathway_new_version"),
    path(f"{concept}/steps/new/", views.step_new, name="step_new"),
    path(f"{concept}/v/<int:version_number>/", views.pathway_version, name="pathway_version"),
    path(
        f"{concept}/v/<int:version_number>/map/<str:lang>.pdf",
        views.pathway_map_pdf,
        name="pathway_map_pdf",
    ),
    path(f"{step}/edit/", views.step_edit, name="step_edit"),
    path(f"{step}/delete/", views.step_delete, name="step_delete"),
    path(f"{step}/move/", views.step_move, name="step_move"),
    path(f"{step}/comments/", views.step_comment_add, name="step_comment_add"),
    path(
        "g/<slug:slug>/pathway-comments/<int:comment_id>/resolve/",
        views.step_comment_resolve,
        name="step_comment_resolve",
    ),
]

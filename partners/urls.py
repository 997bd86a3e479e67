from django.urls import path

from partners import views

urlpatterns = [
    path("g/<slug:slug>/partners/", views.partner_list, name="partners"),
    path("g/<slug:slug>/partners/new/", views.partner_new, name="partner_new"),
    path("g/<slug:slug>/partners/map/", views.partner_map, name="partner_map"),
    path("g/<slug:slug>/partners/pipeline/", views.partner_pipeline, name="partner_pipeline"),
    path("g/<slug:slug>/partners/<int:partner_id>/", views.partner_detail, name="partner_detail"),
    path("g/<slug:slug>/partners/<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path(
        "g/<slug:slug>/partners/<int:partner_id>/delete/",
        views.partner_delete,
        name="partner_delete",
    ),
    path(
        "g/<slug:slug>/partners/<int:partner_id>/stage/",
        views.partner_stage,
        name="partner_stage",
    ),
    path(
        "g/<slug:slug>/partners/<int:partner_id>/commitments/new/",
        views.commitment_new,
        name="commitment_new",
    ),
    path(
        "g/<slug:slug>/commitments/<int:commitment_id>/edit/",
        views.commitment_edit,
        name="commitment_edit",
    ),
    path(
        "g/<slug:slug>/commitments/<int:commitment_id>/delete/",
        views.commitment_delete,
        name="commitment_delete",
    ),
]

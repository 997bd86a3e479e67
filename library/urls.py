from django.urls import path

from library import views

urlpatterns = [
    path("library/", views.library_home, name="library"),
    path("library/mine/", views.my_library, name="my_library"),
    path("library/new/", views.resource_new, name="resource_new"),
    path("library/collections/new/", views.collection_new, name="collection_new"),
    path(
        "library/collections/<int:collection_id>/edit/",
        views.collection_edit,
        name="collection_edit",
    ),
    path(
        "library/collections/<int:collection_id>/items/",
        views.collection_items,
        name="collection_items",
    ),
    path(
        "library/collections/<int:collection_id>/delete/",
        views.collection_delete,
        name="collection_delete",
    ),
    path(
        "library/collections/<int:collection_id>/",
        views.collection_detail,
        name="collection_detail",
    ),
    path("library/r/<int:resource_id>/", views.resource_detail, name="resource_detail"),
    path("library/r/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path(
        "library/r/<int:resource_id>/download/",
        views.resource_download,
        name="resource_download",
    ),
    path(
        "library/r/<int:resource_id>/bookmark/",
        views.resource_bookmark,
        name="resource_bookmark",
    ),
]

from django.urls import path

from newsletter import views

urlpatterns = [
    path("p/<slug:program_slug>/newsletter/", views.issue_list, name="newsletter_issues"),
    path("p/<slug:program_slug>/newsletter/new/", views.issue_new, name="newsletter_new"),
    path(
        "p/<slug:program_slug>/newsletter/<int:issue_id>/",
        views.issue_detail,
        name="newsletter_issue",
    ),
    path(
        "p/<slug:program_slug>/newsletter/<int:issue_id>/edit/",
        views.issue_edit,
        name="newsletter_edit",
    ),
    path(
        "p/<slug:program_slug>/newsletter/<int:issue_id>/generate/",
        views.issue_generate,
        name="newsletter_generate",
    ),
    path(
        "p/<slug:program_slug>/newsletter/<int:issue_id>/publish/",
        views.issue_publish,
        name="newsletter_publish",
    ),
    path(
        "p/<slug:program_slug>/newsletter/<int:issue_id>/pdf/",
        views.issue_pdf,
        name="newsletter_pdf",
    ),
    path("newsletter/subscription/", views.subscription, name="newsletter_subscription"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="newsletter_unsubscribe"),
]

from django.urls import path

from reports import views

urlpatterns = [
    path("g/<slug:slug>/reports/progress/", views.progress, name="progress_report"),
    path("g/<slug:slug>/reports/progress.pdf", views.progress_pdf, name="progress_report_pdf"),
    path("g/<slug:slug>/reports/progress.csv", views.progress_csv, name="progress_report_csv"),
    path("g/<slug:slug>/reports/progress.xlsx", views.progress_xlsx, name="progress_report_xlsx"),
    path("p/<slug:program_slug>/reports/", views.program_report, name="program_report"),
    path("p/<slug:program_slug>/dashboard/", views.program_dashboard, name="program_dashboard"),
    path(
        "p/<slug:program_slug>/reports/exports/",
        views.program_report_exports,
        name="program_report_exports",
    ),
    path(
        "p/<slug:program_slug>/reports/exports/<int:export_id>/",
        views.program_report_download,
        name="program_report_download",
    ),
    path(
        "p/<slug:program_slug>/reports/exports/<int:export_id>/retry/",
        views.program_report_retry,
        name="program_report_retry",
    ),
    path(
        "p/<slug:program_slug>/reports/issue/",
        views.program_report_issue,
        name="program_report_issue",
    ),
    path(
        "p/<slug:program_slug>/reports/issued/<int:issued_id>/",
        views.program_report_issued,
        name="program_report_issued",
    ),
    path(
        "p/<slug:program_slug>/reports/issued/<int:issued_id>/report.csv",
        views.program_report_issued_csv,
        name="program_report_issued_csv",
    ),
]

from django.urls import path

from reports import views

urlpatterns = [
    path("g/<slug:slug>/reports/progress/", views.progress, name="progress_report"),
    path("g/<slug:slug>/reports/progress.pdf", views.progress_pdf, name="progress_report_pdf"),
    path("g/<slug:slug>/reports/progress.csv", views.progress_csv, name="progress_report_csv"),
    path("g/<slug:slug>/reports/progress.xlsx", views.progress_xlsx, name="progress_report_xlsx"),
]

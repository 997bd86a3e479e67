from django.urls import path, register_converter

from outcomes import quarters, views


class QuarterConverter:
    """`2026-q3`: a calendar quarter in a URL (anything else is not a page)."""

    regex = quarters.SLUG_RE

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(QuarterConverter, "quarter")

urlpatterns = [
    path("g/<slug:slug>/outcomes/", views.outcomes, name="outcomes"),
    path("g/<slug:slug>/outcomes/import/", views.outcome_import, name="outcome_import"),
    path("g/<slug:slug>/outcomes/template.csv", views.outcome_template, name="outcome_template"),
    path("g/<slug:slug>/outcomes/<quarter:quarter>/", views.outcome_edit, name="outcome_edit"),
    path("p/<slug:program_slug>/outcomes/", views.program_outcomes, name="program_outcomes"),
    path(
        "p/<slug:program_slug>/outcomes.csv",
        views.program_outcomes_csv,
        name="program_outcomes_csv",
    ),
]

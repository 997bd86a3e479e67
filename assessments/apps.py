from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    # Its models, pages and services arrive with their own issue.
    name = "assessments"
    verbose_name = "Assessments"

from django.apps import AppConfig


class SupportHoursConfig(AppConfig):
    # Its models, pages and services arrive with their own issue.
    name = "support_hours"
    verbose_name = "Support hours"

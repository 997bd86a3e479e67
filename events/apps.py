from django.apps import AppConfig


class EventsConfig(AppConfig):
    # Its models, pages and services arrive with their own issue.
    name = "events"
    verbose_name = "Events"

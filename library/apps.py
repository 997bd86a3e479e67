from django.apps import AppConfig


class LibraryConfig(AppConfig):
    # Its models, pages and services arrive with their own issue.
    name = "library"
    verbose_name = "Library"

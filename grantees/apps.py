from django.apps import AppConfig


class GranteesConfig(AppConfig):
    name = "grantees"
    verbose_name = "Programs, grantees and people"

    def ready(self) -> None:
        from . import signals  # noqa: F401

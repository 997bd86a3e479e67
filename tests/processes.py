"""Running the portal in processes of its own (a worker, an app) against the test database, for
the fault tests: they need committed rows, so they use transactional tests."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"


def portal_env(**overrides: str) -> dict[str, str]:
    """The environment of a process that runs the portal as a server does (development settings,
    so tasks are queued rather than run inline), on the test database and private files."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "development",
        "DATABASE_URL": database_url(),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "PYTHONPATH": str(Path(settings.BASE_DIR)),
        **overrides,
    }

"""Test settings: the real settings, made fast and hermetic."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("PORTAL_ENV", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright inside pytest-django

from portal.settings import *  # noqa: E402,F403
from portal.settings import VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))
if not os.environ.get("REDIS_URL"):
    # Rate limiting needs a working cache; one per test process keeps runs independent.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_QUEUE_DIR = VAR_DIR / "celery-test"
if "pool" in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    # Tests open plain connections, one per thread, closed when the thread ends: the concurrency
    # tests' 50 threads each hold their own, and a thread that ends without giving a pooled
    # connection back cannot starve the rest of the run. The pool itself (and its health checks)
    # is exercised by tests that run the app in its own process with the real settings.
    del DATABASES["default"]["OPTIONS"]["pool"]  # noqa: F405
# Tests read live figures; tests/reports/test_aggregate_cache.py turns the cache on.
PROGRAM_AGGREGATE_CACHE_SECONDS = 0
# Tests change roles and reuse ids between tests; tests/portal/test_roles_cache.py turns it on.
ROLES_CACHE_SECONDS = 0
LIBRARY_SEARCH_CACHE_SECONDS = 0
# Sessions from the database only: with cached_db a page's query count would depend on whether
# the session was still in the cache (tests/portal/test_redis_outage.py runs the real settings).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

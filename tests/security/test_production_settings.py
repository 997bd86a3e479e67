"""Production settings, loaded as `make check-deploy` loads them: HTTPS-only cookies, HSTS, the SSL
redirect behind the TLS proxy, and `manage.py check --deploy` with no warning.

Settings are read once per process, so each check runs Django in a child process with only the
variables production must set (no DEBUG, no SECURE_* overrides from the developer's shell): what
is asserted is the defaults the README promises."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

# The variables `make check-deploy` sets; production refuses to start without them.
PRODUCTION_ENV = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "portal.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_in_production(*args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(settings.BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **PRODUCTION_ENV,
    }
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


READ_SETTINGS = r"""
import json
import django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS", "SESSION_IDLE_TIMEOUT", "SESSION_IDLE_TIMEOUT_STAFF",
    "SESSION_ABSOLUTE_TIMEOUT", "MIDDLEWARE",
]
values = {name: getattr(settings, name) for name in names}

# What the proxy-header and redirect settings do to a request (SecurityMiddleware runs first and
# needs neither the database nor the cache).
security = SecurityMiddleware(lambda request: HttpResponse("ok"))
factory = RequestFactory()
plain = security(factory.get("/accounts/login/", HTTP_HOST="portal.example.org"))
proxied = security(
    factory.get(
        "/accounts/login/", HTTP_HOST="portal.example.org", HTTP_X_FORWARDED_PROTO="https"
    )
)
values["plain_http"] = [plain.status_code, plain.get("Location", "")]
values["behind_proxy"] = [proxied.status_code, proxied.get("Strict-Transport-Security", "")]
print(json.dumps(values))
"""


def test_production_cookies_https_and_timeouts_are_as_the_readme_says():
    result = run_in_production("-c", READ_SETTINGS)
    assert result.returncode == 0, result.stderr[-3000:]
    got = json.loads(result.stdout)

    assert got["DEBUG"] is False
    # The session and CSRF cookies travel over HTTPS only, never to scripts, and not on
    # cross-site subresource requests or POSTs.
    assert got["SESSION_COOKIE_SECURE"] is True
    assert got["SESSION_COOKIE_HTTPONLY"] is True
    assert got["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert got["CSRF_COOKIE_SECURE"] is True
    assert got["CSRF_COOKIE_HTTPONLY"] is True
    assert got["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    # HTTPS: redirect, HSTS for a year with subdomains and preload, TLS ended at the proxy.
    assert got["SECURE_SSL_REDIRECT"] is True
    assert got["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert got["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert got["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert got["SECURE_HSTS_PRELOAD"] is True
    assert got["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert got["X_FRAME_OPTIONS"] == "DENY"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in got["MIDDLEWARE"]
    # Idle: 3 h for grantee staff, 30 min for staff who see many grantees; 12 h after sign-in,
    # and the cookie itself lasts no longer than that.
    assert got["SESSION_IDLE_TIMEOUT"] == 3 * 60 * 60
    assert got["SESSION_IDLE_TIMEOUT_STAFF"] == 30 * 60
    assert got["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 60 * 60
    assert got["SESSION_COOKIE_AGE"] <= got["SESSION_ABSOLUTE_TIMEOUT"]
    assert "portal.middleware.SessionTimeoutMiddleware" in got["MIDDLEWARE"]

    # Plain HTTP is sent to HTTPS; a request the proxy marks as HTTPS is served, with HSTS.
    assert got["plain_http"] == [301, "https://portal.example.org/accounts/login/"]
    assert got["behind_proxy"] == [200, "max-age=31536000; includeSubDomains; preload"]


def test_check_deploy_reports_no_warning_with_production_settings():
    result = run_in_production(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", "--no-color"
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    # Nothing silenced either: a SILENCED_SYSTEM_CHECKS entry would hide a warning.
    assert "System check identified no issues (0 silenced)." in output, output[-3000:]

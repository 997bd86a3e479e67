"""Portal-wide views: the health check and error pages."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.access import Rule, declare


def _check(fn) -> dict:
    started = time.monotonic()
    try:
        fn()
    except Exception as error:  # noqa: BLE001 — any failure means "down", reported, not raised
        # Only the error's type: this page is public and must not reveal hosts or credentials.
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = "healthz:probe"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    from portal.celery import app, ensure_broker_folders

    ensure_broker_folders()
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@declare(Rule.PUBLIC)
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker state as JSON: 200 when all are up, 503 otherwise."""
    checks = {"database": _check(_database), "cache": _check(_cache), "broker": _check(_broker)}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    from audit.services import record

    record("access_denied", target=request.path[:200], request=request)
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)

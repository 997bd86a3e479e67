"""Production refuses unsafe settings; /healthz reports database, cache and broker."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grantees.models import Program, User

GOOD_SECRET = "s" * 60


def start_production(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update(PORTAL_ENV="production", DJANGO_SETTINGS_MODULE="portal.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=clean,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        (
            {
                "SECRET_KEY": GOOD_SECRET,
                "ALLOWED_HOSTS": "x.org",
                "REDIS_URL": "redis://h",
                "DEBUG": "true",
            },
            "DEBUG",
        ),
        ({"ALLOWED_HOSTS": "x.org", "REDIS_URL": "redis://h"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET, "REDIS_URL": "redis://h"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "x.org", "REDIS_URL": ""}, "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(env, complaint):
    result = start_production(**env)
    assert result.returncode != 0 and complaint in result.stderr


def test_production_starts_with_safe_settings():
    result = start_production(
        SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="portal.example.org", REDIS_URL="redis://h"
    )
    assert result.returncode == 0, result.stderr


def test_healthz_reports_every_dependency(client, db):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "cache", "broker"} and body["status"] == "ok"


def test_healthz_is_503_when_the_broker_is_down(client, db, monkeypatch):
    from portal import views

    def broken():
        raise ConnectionRefusedError("secret-host:6379 refused")

    monkeypatch.setattr(views, "_broker", broken)
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503 and body["checks"]["broker"] == {
        "ok": False,
        "error": "ConnectionRefusedError",
    }
    assert b"secret-host" not in response.content  # a public page never names hosts


def test_seed_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    call_command("seed_demo", "--force")  # once: a second run changes nothing
    assert Program.objects.count() == 1
    assert (
        User.objects.filter(email__in=["ta-admin@example.org", "other-coach@example.org"]).count()
        == 2
    )


def test_pages_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
    )

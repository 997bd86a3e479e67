"""PostgreSQL dropping every connection (a restart, a failover) does not break the next request:
the pool tests each connection as it hands it out (CONN_HEALTH_CHECKS) and replaces dead ones.

The app runs in its own process, as a server would: pytest-django holds and shares the test's
connection in ways a server never does, which would hide (or fake) the behaviour."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SERVER = r"""
import django, psycopg, sys
django.setup()
from django.db import close_old_connections, connection
from django.test import Client

client = Client()

def get():
    # A server hands each request a connection and takes it back (request start and finish).
    close_old_connections()
    try:
        return client.get("/healthz").status_code
    finally:
        close_old_connections()

before = [get() for _ in range(3)]
with psycopg.connect(sys.argv[1], autocommit=True) as admin:
    killed = admin.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s",
        [connection.settings_dict["NAME"], int(sys.argv[2])],
    ).fetchone()[0]
after = [get() for _ in range(3)]
print(before, killed > 0, after, connection.settings_dict["CONN_HEALTH_CHECKS"])
"""


def test_requests_recover_after_the_database_drops_every_connection():
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    base = f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "development",
        "DATABASE_URL": f"{base}/{connection.settings_dict['NAME']}",
        "PYTHONPATH": str(Path(settings.BASE_DIR)),
    }
    with connection.cursor() as cursor:  # the test's own connection is left alone
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    result = subprocess.run(
        [sys.executable, "-c", SERVER, f"{base}/postgres", str(own_pid)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[200, 200, 200] True [200, 200, 200] True", result.stdout

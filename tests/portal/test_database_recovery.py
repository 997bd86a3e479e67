"""PostgreSQL dropping every connection (a restart, a failover) does not break the next request:
the pool tests each connection as it hands it out and replaces the dead ones."""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings
from django.db import close_old_connections, connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def kill_every_connection_to_the_database() -> int:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        ).fetchone()[0]


def get(client, path: str):
    """A request the way a real server runs it: Django's test client keeps one connection for
    the whole test, while a server hands each request a connection from the pool and gives it
    back afterwards (close_old_connections on request start and finish)."""
    close_old_connections()
    try:
        return client.get(path)
    finally:
        close_old_connections()


def test_requests_recover_after_the_database_drops_every_connection(client):
    assert "pool" in connection.settings_dict["OPTIONS"]
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    for _ in range(3):
        assert get(client, "/healthz").status_code == 200
    assert kill_every_connection_to_the_database() >= 1
    # No restart of the app: the very next requests get healthy connections.
    for _ in range(3):
        response = get(client, "/healthz")
        assert response.status_code == 200, response.content

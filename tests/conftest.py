from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from tests.world import ROLES, World, build_world, sign_in


@pytest.fixture(autouse=True)
def _no_scope_outside_requests():
    """Test code (factories, assertions) reads tenant tables directly; requests still get
    their own scope from TenantScopeMiddleware, which replaces this one while they run."""
    with scopes_disabled():
        yield


@pytest.fixture
def private_cache():
    """A cache of this test's own: tests that clear or fill the cache must not touch the Redis
    database the other xdist worker shares (clearing Redis empties it for both)."""
    import uuid

    from django.core.cache import cache
    from django.test import override_settings

    backend = "django.core.cache.backends.locmem.LocMemCache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": uuid.uuid4().hex}}):
        yield cache
        cache.clear()


@pytest.fixture
def roles_cached(private_cache):
    """Roles, navigation names and the fragments under the roles version cached, as in
    production (the test settings turn that cache off)."""
    from django.test import override_settings

    with override_settings(ROLES_CACHE_SECONDS=60):
        yield


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(client, world):
    """client_for("lead") → a Django test client signed in as that role (MFA passed)."""
    from django.test import Client

    def make(role: str):
        new_client = Client()
        if role != "anonymous":
            sign_in(new_client, world.users[role])
        return new_client

    return make


@pytest.fixture(params=[r for r in ROLES if r != "anonymous"])
def any_role(request):
    return request.param


def pytest_runtest_setup(item):
    """Tests marked `postgres` prove things only PostgreSQL does (row locks under real
    concurrency, triggers). `.ci/run` always runs them; a SQLite run says plainly they did not."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


def pytest_collection_modifyitems(config, items):
    """Under xdist (`make test` runs two workers), the PostgreSQL tests run in one worker, one
    after another: each opens up to 50 connections, and two at once would pass PostgreSQL's
    default limit of 100."""
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.xdist_group("postgres"))

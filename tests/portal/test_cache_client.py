"""portal.cache: one redis.Redis per connection pool (Django builds one per call), failing open."""

from __future__ import annotations

from portal.cache import FailOpenRedisCache

# Nothing listens on port 1: every call fails to connect.
NOWHERE = "redis://127.0.0.1:1/0"


def test_every_call_gets_the_same_client_for_a_pool():
    cache = FailOpenRedisCache(NOWHERE, {})
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: one pool


def test_with_redis_unreachable_reads_miss_and_writes_are_dropped():
    cache = FailOpenRedisCache(NOWHERE, {"OPTIONS": {"socket_connect_timeout": 0.2}})
    cache.set("k", 1)
    assert cache.get("k", "missing") == "missing"
    assert cache.get_many(["k"]) == {}
    assert cache.incr("k") == 1

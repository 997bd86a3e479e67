"""A Redis cache that fails open: when Redis is down, reads miss and writes are dropped (with a
warning in the log) instead of turning every page into a server error.

What the cache holds here can be lost: rate-limit counters (limits are not enforced while Redis
is away), cached aggregates (recomputed). Sign-in, booking and registration keep working.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_open(name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailOpenRedisCache, self), name)(*args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("Cache unavailable (%s): %s skipped", type(error).__name__, name)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = name
    return method


def _default(key, default=None, *args, **kwargs):
    return default


def _incr(key, delta=1, *args, **kwargs):
    # A counter that cannot be read counts from zero: rate limits allow the request.
    return delta


class ReusedRedisCacheClient(RedisCacheClient):
    """Django builds a new redis.Redis (with its table of response callbacks) for every cache
    call; one per connection pool serves every call the same (redis.Redis is thread-safe).
    Pages make four to six cache calls: about 2 ms of CPU a request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    get = _fail_open("get", _default)
    get_many = _fail_open("get_many", {})
    get_or_set = _fail_open(
        "get_or_set", lambda key, default=None, *a, **k: default() if callable(default) else default
    )
    has_key = _fail_open("has_key", False)
    set = _fail_open("set", None)
    set_many = _fail_open("set_many", [])
    add = _fail_open("add", True)
    touch = _fail_open("touch", False)
    delete = _fail_open("delete", False)
    delete_many = _fail_open("delete_many", None)
    incr = _fail_open("incr", _incr)
    decr = _fail_open("decr", lambda key, delta=1, *a, **k: -delta)
    clear = _fail_open("clear", None)

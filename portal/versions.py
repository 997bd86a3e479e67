"""Caches that are never stale: a value is kept under a named version, and any change to what it
was computed from moves that version once the change commits.

Used for a person's roles and navigation (version "roles": memberships, program roles, coaches,
grantees and programs move it) and for library search results (version "library": resources,
their topics and pathway models move it). A value cached under an older version is ignored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def version_key(name: str) -> str:
    return f"portal-{name}-version"


def bump_version(name: str) -> None:
    cache.set(version_key(name), uuid.uuid4().hex, None)


def current_version(name: str) -> str:
    """The version now, for a fragment cache key; a fresh one each time if the cache is down
    (nothing cached is then ever read as current)."""
    version = cache.get(version_key(name))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(version_key(name), version, None)  # another process may have been first
        version = cache.get(version_key(name)) or version
    return version


def bump_version_on_commit(name: str) -> None:
    # After the commit: a page reading in between would cache the old data under the new version.
    transaction.on_commit(lambda: bump_version(name), robust=True)


def cached_until_changed(name: str, key: str, compute: Callable[[], T], seconds: int) -> T:
    """compute(), kept under `key` for up to `seconds` while version `name` stays the same."""
    if not seconds:
        return compute()
    found = cache.get_many([version_key(name), key])
    version = found.get(version_key(name))
    stored = found.get(key)
    if version is not None and stored is not None and stored[0] == version:
        return stored[1]
    value = compute()
    if version is not None:  # read before computing: a change since then has moved it on
        cache.set(key, (version, value), seconds)
    else:
        bump_version(name)  # no version yet (or the cache was emptied): start one
    return value

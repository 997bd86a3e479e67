"""Program-wide aggregates, computed once a minute instead of on every request.

A program report or dashboard sums the ledgers, sessions, bookings and registrations of every
grantee in a program (at statewide scale, about 100,000 ledger entries per program): 100 to
200 ms of database time each time. The numbers are for TA and state admins watching a program,
and a minute's delay is harmless there, so the result is kept in the cache for
PROGRAM_AGGREGATE_CACHE_SECONDS and the page says when it was computed. A grantee's own pages
always read live data. Issued reports and exports never come from here: they compute afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")


def program_aggregate(
    program_id: int, name: str, compute: Callable[[], T], *key_parts: object
) -> tuple[T, datetime]:
    """`compute()` for this program (and key parts), from the cache if it was computed within
    PROGRAM_AGGREGATE_CACHE_SECONDS; returns the value and when it was computed."""
    return cached_aggregate(f"program-{program_id}-{name}", compute, *key_parts)


def cached_aggregate(name: str, compute: Callable[[], T], *key_parts: object) -> tuple[T, datetime]:
    """The same for any wide count; the key parts must name everything the result depends on."""
    seconds = settings.PROGRAM_AGGREGATE_CACHE_SECONDS
    if not seconds:
        return compute(), timezone.now()
    parts = ":".join(map(str, key_parts))
    key = f"aggregate:{name}:{hashlib.sha256(parts.encode()).hexdigest()}"
    found = cache.get(key)
    if found is not None:
        return found
    result = (compute(), timezone.now())
    cache.set(key, result, seconds)
    return result

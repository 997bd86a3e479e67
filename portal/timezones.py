"""The time zones the portal offers and accepts (IANA names this server's zoneinfo knows)."""

from __future__ import annotations

import datetime
import zoneinfo
from functools import cache

# The zones people of a California-funded program are most likely in, offered first.
US_TIME_ZONES = [
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/New_York", "Eastern (New York)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
]


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_choices() -> list:
    """US zones first, then UTC, then every other IANA zone this server knows."""
    known = known_time_zones()
    first = [(name, label) for name, label in US_TIME_ZONES if name in known]
    listed = {name for name, _ in first} | {"UTC"}
    others = sorted(name for name in known if name not in listed and "/" in name)
    return [
        ("United States", first),
        ("UTC", "UTC"),
        ("Other time zones", [(name, name.replace("_", " ")) for name in others]),
    ]


def day_range(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """Whole days from `first` to `last` (both included) as instants [start, end) in the portal's
    time zone, for filtering timestamps by the days people mean."""
    from django.conf import settings

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end

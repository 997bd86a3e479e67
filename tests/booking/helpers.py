"""Shared set-up for booking tests: free slots of the world's coach, fixed clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from booking import selectors, services
from booking.models import Booking


def coach_schedule(world, role: str = "coach"):
    return selectors.schedule_of(world.users[role])


def free_slot(world, *, after: date | None = None, now: datetime | None = None, index: int = 0):
    """A free 1:1 start of A's coach (a weekday, 9–17 Pacific), seen from `now`."""
    schedule = coach_schedule(world)
    now = now or datetime.now(UTC)
    after = after or (now + timedelta(days=5)).date()
    slots = selectors.next_free_slots(
        schedule=schedule, zone=schedule.time_zone, after=after, count=index + 1, now=now
    )
    return slots[index]


def book(world, *, who: str = "staff", starts_at=None, key: str, now=None, note="Our MOU"):
    starts_at = starts_at or free_slot(world, now=now).starts_at
    return services.book_one_on_one(
        actor=world.users[who],
        grantee=world.grantee,
        coach=world.users["coach"],
        starts_at=starts_at,
        note=note,
        key=key,
        now=now,
    )


def refreshed(booking: Booking) -> Booking:
    return Booking.objects.select_related("hold", "grantee__program").get(pk=booking.pk)

"""Calendar data for bookings (built on portal.ics): the e-mailed invite and the feed's events.

A booking keeps one UID for its whole life; SEQUENCE grows with each change, so calendar programs
update the event in place on a reschedule and remove it on METHOD:CANCEL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from booking.models import Booking
from portal.ics import ICS_MIMETYPE, calendar_text, vevent

__all__ = ["ICS_MIMETYPE", "booking_invite", "booking_title", "feed", "meeting_url"]


def booking_title(booking: Booking) -> str:
    if booking.kind == Booking.Kind.OFFICE_HOURS:
        return f"Office hours: {booking.occurrence.series.title}"
    return f"1:1 session with {booking.coach}"


def meeting_url(booking: Booking) -> str:
    if booking.kind == Booking.Kind.OFFICE_HOURS:
        return booking.occurrence.series.meeting_url
    schedule = getattr(booking.coach, "booking_schedule", None)
    return schedule.meeting_url if schedule else ""


def _organizer(booking: Booking):
    if booking.kind == Booking.Kind.ONE_ON_ONE:
        return booking.coach
    hosts = list(booking.occurrence.series.hosts.all())
    return hosts[0] if hosts else None


def is_cancelled(booking: Booking) -> bool:
    return booking.status in (Booking.Status.CANCELLED, Booking.Status.LATE_CANCELLED)


def _event(booking: Booking, *, with_link: bool = True):
    cancelled = is_cancelled(booking)
    link = meeting_url(booking) if with_link and not cancelled else ""
    description = [f"For {booking.grantee.name}."]
    if booking.note:
        description.append(f"To work on: {booking.note}")
    if link:
        description.append(f"Join: {link}")
    description.append(
        f"Manage this booking: {settings.SITE_URL.rstrip('/')}/g/"
        f"{booking.grantee.slug}/bookings/{booking.pk}/"
    )
    return vevent(
        uid=f"booking-{booking.uid}",
        sequence=booking.sequence,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=booking_title(booking),
        description="\n".join(description),
        location=link,
        organizer=_organizer(booking),
        attendee=booking.booked_by,
        cancelled=cancelled,
    )


def booking_invite(booking: Booking, *, with_link: bool = True) -> str:
    """The .ics for one booking: a REQUEST while it stands, a CANCEL once it is cancelled.
    `with_link=False` leaves out the video-meeting link (for a colleague who is not booked)."""
    method = "CANCEL" if is_cancelled(booking) else "REQUEST"
    return calendar_text([_event(booking, with_link=with_link)], method=method)


def feed(bookings: Iterable[Booking], *, name: str, others: Iterable = ()) -> str:
    """A subscription feed (no METHOD) of a person's bookings, cancelled ones included, plus
    `others`: calendar events from other apps (event registrations)."""
    return calendar_text([*(_event(b) for b in bookings), *others], name=name)

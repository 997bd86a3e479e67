"""RFC 5545 calendar data, written with the icalendar library, for every app that sends invites.

An invite keeps one UID for its whole life; SEQUENCE grows with each change, so calendar programs
update the event in place, and METHOD:CANCEL removes it. Times are written in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Pathways TA Portal//EN"
ICS_MIMETYPE = "text/calendar"
UID_DOMAIN = "pathways-ta-portal"


def _address(user, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.full_name)
    if role:
        address.params["role"] = vText(role)
    return address


def vevent(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    location: str = "",
    organizer=None,
    attendee=None,
    cancelled: bool = False,
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", description)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        event.add("attendee", _address(attendee, "REQ-PARTICIPANT"))
    return event


def calendar_text(events: Iterable[Event], *, method: str | None = None, name: str = "") -> str:
    """A whole .ics: with METHOD for an e-mailed invite (REQUEST/CANCEL), without for a feed."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    for event in events:
        cal.add_component(event)
    return cal.to_ical().decode()

"""Redis stopped while people use the portal: pages, event registrations and bookings still
work (the cache fails open, enqueueing fails fast and is `robust`), and the e-mails (confirmations
and booking reminders) go out exactly once when the beat sweeps run after Redis is back.

The app runs in its own process against a Redis port nobody listens on, as a server would."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from events.models import Registration
from portal.models import Notification
from portal.tasks import notification_message_id, send_pending_notifications
from tests.processes import portal_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APP = r"""
import json, sys, uuid
import django
django.setup()
from django.test import Client
from grantees.models import User

client = Client()
client.force_login(User.objects.get(email="lead@example.org"))
event_id, lead_id = int(sys.argv[1]), int(sys.argv[2])
pages = [client.get(path).status_code for path in ("/g/alpha/", "/g/alpha/events/")]
response = client.post(
    f"/g/alpha/events/{event_id}/register/",
    {"person": lead_id, "needs": "", "form_key": uuid.uuid4().hex},
)
# Sign-in's rate limit counts failures in the cache: with Redis down it must still answer.
failed = Client().post("/accounts/login/", {"login": "lead@example.org", "password": "wrong"})
print(json.dumps({"pages": pages, "register": response.status_code, "sign_in": failed.status_code}))
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free now, and nothing will listen on it


def run_app(script: str, *args) -> tuple[dict, str]:
    """Run `script` as the portal (development settings) with Redis down; its last line of
    output is JSON."""
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        env=portal_env(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_registration_works_with_redis_down_and_mail_goes_out_once_after(mailoutbox):
    from tests.world import build_world

    world = build_world()
    sent_before = set(
        Notification.objects.filter(sent_at__isnull=False).values_list("pk", flat=True)
    )
    outcome, stderr = run_app(APP, world.event.pk, world.users["lead"].pk)
    expected = {"pages": [200, 200], "register": 302, "sign_in": 200}
    assert outcome == expected, (outcome, stderr[-2000:])
    assert Registration.objects.filter(event=world.event, person=world.users["lead"]).exists()

    waiting = Notification.objects.filter(sent_at__isnull=True).exclude(pk__in=sent_before)
    told = list(waiting.filter(recipient=world.users["lead"]).values_list("pk", flat=True))
    assert told, "the registration's confirmation waits for the broker"

    # Redis is back: the beat sweep sends what waited, once, however often it runs.
    Notification.objects.filter(pk__in=told).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    mail.outbox.clear()
    send_pending_notifications()
    send_pending_notifications()
    to_lead = [m for m in mail.outbox if m.to == [world.users["lead"].email]]
    assert len(to_lead) == len(told)
    assert not Notification.objects.filter(pk__in=told, sent_at__isnull=True).exists()


BOOKING_APP = r"""
import json, sys, uuid
import django
django.setup()
from django.test import Client
from grantees.models import User

client = Client()
client.force_login(User.objects.get(email="lead@example.org"))
coach_id, day, slot, occurrence_id, place = sys.argv[1:]
one_on_one = f"/g/alpha/coaches/{coach_id}/book/"
office_hours = f"/g/alpha/office-hours/{occurrence_id}/"
pages = [
    client.get(path).status_code
    for path in ("/g/alpha/book/", f"{one_on_one}?day={day}", office_hours, "/g/alpha/bookings/")
]
booked = [
    client.post(path, {**data, "form_key": uuid.uuid4().hex})
    for path, data in (
        (one_on_one, {"day": day, "starts_at": slot, "note": "Our clinical MOU"}),
        (office_hours, {"starts_at": place, "note": ""}),
    )
]
shown = [client.get(response["Location"]).status_code for response in booked]
print(json.dumps({
    "pages": pages,
    "booked": [response.status_code for response in booked],
    "shown": shown,
    "bookings": [response["Location"] for response in booked],
}))
"""


def test_bookings_work_with_redis_down_and_each_mail_goes_out_once_after(mailoutbox):
    """A grantee's lead books a 1:1 and an office-hour place while Redis is down. The bookings
    and the hold stand; once Redis is back, beat's sweeps (run twice, five minutes apart) send
    each confirmation and each reminder exactly once."""
    from booking import selectors as booking_selectors
    from booking.models import Booking
    from booking.services import REMINDER_KIND, booking_reminders_sweep
    from support_hours.models import LedgerEntry
    from tests.world import build_world

    world = build_world()
    lead, coach = world.users["lead"], world.users["coach"]
    schedule = booking_selectors.schedule_of(coach)
    slot = booking_selectors.next_free_slots(
        schedule=schedule,
        zone=lead.time_zone,
        after=timezone.localdate() + timedelta(days=4),
        count=1,
    )[0]
    occurrence = world.office_booking.occurrence
    place = next(
        p for p in booking_selectors.occurrence_places(occurrence=occurrence) if not p.taken
    )
    outcome, stderr = run_app(
        BOOKING_APP,
        coach.pk,
        timezone.localtime(slot.starts_at, ZoneInfo(lead.time_zone)).date().isoformat(),
        slot.value,
        occurrence.pk,
        place.value,
    )
    assert outcome["pages"] == [200, 200, 200, 200], (outcome, stderr[-2000:])
    assert outcome["booked"] == [302, 302] and outcome["shown"] == [200, 200], stderr[-2000:]
    ids = [int(location.rstrip("/").rsplit("/", 1)[1]) for location in outcome["bookings"]]
    one_on_one, office_hours = (Booking.objects.get(pk=pk) for pk in ids)
    assert (one_on_one.kind, one_on_one.starts_at, one_on_one.booked_by) == (
        Booking.Kind.ONE_ON_ONE,
        slot.starts_at,
        lead,
    )
    assert (office_hours.kind, office_hours.starts_at, office_hours.booked_by) == (
        Booking.Kind.OFFICE_HOURS,
        place.starts_at,
        lead,
    )
    assert LedgerEntry.objects.filter(pk=one_on_one.hold_id, kind="hold").exists()

    def rows(booking):
        return Notification.objects.filter(key__startswith=f"booking:{booking.pk}:")

    waiting = [
        row.pk
        for booking in (one_on_one, office_hours)
        for row in rows(booking).filter(sent_at__isnull=True)
    ]
    assert len(waiting) == 4, "each confirmation (lead and coach) waits for the broker"

    # Redis is back. Beat runs its sweeps every five minutes: twice around each reminder moment
    # (24 hours and 1 hour before each booking), in time order. The first pending-mail sweep
    # sends the waiting confirmations; the reminder sweep adds each reminder as it falls due.
    Notification.objects.filter(pk__in=waiting).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    mail.outbox.clear()
    moments = sorted(
        booking.starts_at - timedelta(hours=hours) + timedelta(minutes=minutes)
        for booking in (one_on_one, office_hours)
        for hours in (23, 0.8)  # just after the 24-hour and the 1-hour reminder moments
        for minutes in (0, 5)
    )
    for moment in moments:
        booking_reminders_sweep(now=moment)
        send_pending_notifications()

    def told(booking) -> list[tuple[str, str]]:
        return sorted((row.recipient.email, row.key.split(":", 3)[-1]) for row in rows(booking))

    def mailed(booking) -> list[str]:
        return sorted(
            m.extra_headers["Message-ID"]
            for m in mail.outbox
            if f"/bookings/{booking.pk}/" in m.body
        )

    assert told(one_on_one) == [
        (email, occasion)
        for email in ("coach@example.org", "lead@example.org")
        for occasion in ("booked", "reminder:1h", "reminder:24h")
    ]
    assert told(office_hours) == [
        ("coach@example.org", "booked"),  # the host
        ("lead@example.org", "booked"),
        ("lead@example.org", "reminder:1h"),
        ("lead@example.org", "reminder:24h"),
    ]
    # Each of those went out exactly once: one e-mail per row, none left waiting.
    for booking in (one_on_one, office_hours):
        assert mailed(booking) == sorted(notification_message_id(row.pk) for row in rows(booking))
        assert not rows(booking).filter(sent_at__isnull=True).exists()
    assert rows(one_on_one).filter(kind=REMINDER_KIND).count() == 4

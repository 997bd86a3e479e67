"""Event reminders: once per person and reminder hour, none after cancelling, new ones after a
move, and only for people with a seat."""

from __future__ import annotations

from datetime import timedelta

import pytest

from events import services
from events.services import REMINDER_KIND, event_reminders_sweep
from portal.models import Notification
from tests.events.helpers import fill_last_seat_and_wait

pytestmark = pytest.mark.django_db


def reminders(registration):
    return Notification.objects.filter(
        kind=REMINDER_KIND, key__startswith=f"registration:{registration.pk}:"
    )


def test_the_sweep_run_twice_reminds_each_person_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    day_before = world.event.starts_at - timedelta(hours=23)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_reminders_sweep(now=day_before)
        event_reminders_sweep(now=day_before)
    mails = [m for m in mailoutbox if m.subject == f"Reminder: {world.event.title}"]
    assert sorted(m.to[0] for m in mails) == ["other-staff@example.org", "staff@example.org"]
    assert "starts in 24 hours" in mails[0].body


def test_nobody_waiting_and_nobody_cancelled_is_reminded(world):
    waiting = fill_last_seat_and_wait(world)
    event_reminders_sweep(now=world.event.starts_at - timedelta(hours=23))
    assert reminders(world.registration).count() == 1
    assert not reminders(waiting).exists()
    services.registration_cancel(actor=world.users["staff"], registration=world.registration)
    assert not reminders(world.registration).filter(sent_at__isnull=True).exists()
    event_reminders_sweep(now=world.event.starts_at - timedelta(minutes=30))
    assert not reminders(world.registration).exists()


def test_a_seat_taken_inside_the_window_gets_only_the_later_reminder(world):
    registration = world.registration
    registration.created_at = world.event.starts_at - timedelta(hours=5)
    registration.save(update_fields=["created_at"])
    event_reminders_sweep(now=world.event.starts_at - timedelta(hours=4))
    assert not reminders(registration).exists()
    event_reminders_sweep(now=world.event.starts_at - timedelta(minutes=50))
    assert list(reminders(registration).values_list("key", flat=True)) == [
        f"registration:{registration.pk}:e0:reminder:1h"
    ]

"""Reminders come from a beat sweep over bookings: once per person per booking, never after a
cancellation, for the new time after a reschedule, and in the recipient's local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from booking import selectors, services
from booking.services import REMINDER_KIND, booking_reminders_sweep
from portal.models import Notification
from tests.booking.helpers import book, coach_schedule, free_slot

pytestmark = pytest.mark.django_db


def reminders(booking):
    return Notification.objects.filter(kind=REMINDER_KIND, key__startswith=f"booking:{booking.pk}:")


def test_the_sweep_run_twice_sends_one_reminder_per_person(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    booking = world.booking
    mailoutbox.clear()
    day_before = booking.starts_at - timedelta(hours=23)
    with django_capture_on_commit_callbacks(execute=True):
        booking_reminders_sweep(now=day_before)
        booking_reminders_sweep(now=day_before)
    sent = [m for m in mailoutbox if m.subject == "Reminder: 1:1 session with Coach Carla"]
    assert sorted(m.to[0] for m in sent) == ["coach@example.org", "staff@example.org"]
    assert reminders(booking).count() == 2
    # The 1-hour reminder is its own occasion.
    with django_capture_on_commit_callbacks(execute=True):
        booking_reminders_sweep(now=booking.starts_at - timedelta(minutes=50))
        booking_reminders_sweep(now=booking.starts_at - timedelta(minutes=45))
    assert reminders(booking).count() == 4


def test_nothing_is_sent_before_the_moment_or_after_the_start(world):
    booking = world.booking
    booking_reminders_sweep(now=booking.starts_at - timedelta(hours=25))
    booking_reminders_sweep(now=booking.starts_at + timedelta(minutes=1))
    assert not reminders(booking).exists()


def test_no_reminder_after_a_cancellation_even_one_already_queued(world):
    booking = world.booking
    booking_reminders_sweep(now=booking.starts_at - timedelta(hours=23))
    assert reminders(booking).filter(sent_at__isnull=True).count() == 2
    services.booking_cancel(actor=world.users["staff"], booking=booking)
    assert not reminders(booking).exists()  # the unsent ones were withdrawn
    booking_reminders_sweep(now=booking.starts_at - timedelta(minutes=30))
    assert not reminders(booking).exists()


def test_a_rescheduled_booking_is_reminded_of_its_new_time(world):
    booking = world.booking
    booking_reminders_sweep(now=booking.starts_at - timedelta(hours=23))
    new = free_slot(world, after=booking.starts_at.date() + timedelta(days=7))
    services.booking_reschedule(
        actor=world.users["staff"], booking=booking, starts_at=new.starts_at
    )
    assert not reminders(booking).filter(sent_at__isnull=True).exists()
    booking_reminders_sweep(now=new.starts_at - timedelta(hours=2))
    keys = set(reminders(booking).values_list("key", flat=True))
    assert keys == {f"booking:{booking.pk}:s1:reminder:24h"}


def test_a_booking_made_inside_the_24h_window_gets_only_the_1h_reminder(world):
    now = datetime.now(UTC)
    schedule = coach_schedule(world)
    schedule.minimum_notice_hours = 2
    schedule.save()
    slot = selectors.next_free_slots(
        schedule=schedule,
        zone=schedule.time_zone,
        after=(now + timedelta(days=2)).date(),
        count=1,
        now=now,
    )[0]
    booking = book(
        world, key="short-notice", starts_at=slot.starts_at, now=slot.starts_at - timedelta(hours=5)
    )
    booking.scheduled_at = slot.starts_at - timedelta(hours=5)
    booking.save(update_fields=["scheduled_at"])
    booking_reminders_sweep(now=slot.starts_at - timedelta(hours=4))
    assert not reminders(booking).exists()
    booking_reminders_sweep(now=slot.starts_at - timedelta(minutes=55))
    assert set(reminders(booking).values_list("key", flat=True)) == {
        f"booking:{booking.pk}:s0:reminder:1h"
    }


def test_the_time_in_a_reminder_is_right_after_the_dst_change(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    # Monday Nov 2 2026, the day after clocks fell back: 9:00 Pacific is 17:00 UTC.
    now = datetime(2026, 10, 20, tzinfo=UTC)
    starts_at = datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
    booking = book(world, key="dst", starts_at=starts_at, now=now)
    booking.scheduled_at = now
    booking.save(update_fields=["scheduled_at"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # 24 h before is Sunday 9:00 PST, after the change at 2:00 that morning.
        booking_reminders_sweep(now=datetime(2026, 11, 1, 17, 5, tzinfo=UTC))
    staff_mail = next(m for m in mailoutbox if m.to == ["staff@example.org"])
    assert "Monday, November 2, 2026, 9:00 AM" in staff_mail.body
    assert "PST" in staff_mail.body


def test_a_person_in_another_zone_reads_their_own_time(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    staff = world.users["staff"]
    staff.time_zone = "America/New_York"
    staff.save()
    now = datetime(2026, 10, 20, tzinfo=UTC)
    booking = book(world, key="ny", starts_at=datetime(2026, 11, 2, 17, tzinfo=UTC), now=now)
    booking.scheduled_at = now
    booking.save(update_fields=["scheduled_at"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_reminders_sweep(now=datetime(2026, 11, 2, 16, 5, tzinfo=UTC))
    staff_mail = next(m for m in mailoutbox if m.to == ["staff@example.org"])
    coach_mail = next(m for m in mailoutbox if m.to == ["coach@example.org"])
    assert "12:00 PM" in staff_mail.body and "EST" in staff_mail.body
    assert "9:00 AM" in coach_mail.body and "PST" in coach_mail.body
    assert date(2026, 11, 2).strftime("%B") in staff_mail.body

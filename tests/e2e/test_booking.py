"""Booking in the browser: office hours (book, invite, reschedule, cancel), a 1:1 with the hold
on the hour page, and the settings page with the calendar feed."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from booking import selectors
from booking.models import Booking
from support_hours.models import HourAccount
from tests.e2e.conftest import scan, sign_in_browser, tick, visit
from tests.factories import PASSWORD


def test_staff_book_an_office_hour_slot_open_the_invite_reschedule_and_cancel(
    browser, live_server, world
):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, "/g/alpha/book/", "book-hub")
    occurrence = world.series.occurrences.order_by("starts_at")[1]
    page.locator(f'a[href="/g/alpha/office-hours/{occurrence.pk}/"]').click()
    expect(page.get_by_role("heading", name=world.series.title)).to_be_visible()
    scan(page, "office-hours-book")

    # Submitting without a time gets a field error.
    page.get_by_role("button", name="Book this time").click()
    expect(page.locator("#id_starts_at_error")).to_have_text("Choose a time.")
    scan(page, "office-hours-book-errors")
    start = timezone.localtime(occurrence.starts_at)
    tick(page, re.compile(f"^{start:%-I:%M %p} –"))
    page.get_by_label("What do you want to work on?").fill("Our IET schedule")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Booked. The calendar invite is on its way")).to_be_visible()
    expect(page.get_by_role("link", name="https://meet.example.org/office-hours")).to_be_visible()
    scan(page, "booking-detail")
    booking = Booking.objects.get(booked_by=world.users["lead"], occurrence=occurrence)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    invite = Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    event = invite.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == booking.starts_at
    assert str(event["UID"]) == f"booking-{booking.uid}@pathways-ta-portal"

    page.get_by_role("link", name="Reschedule").click()
    scan(page, "booking-reschedule-office-hours")
    later = world.series.occurrences.order_by("starts_at")[2]
    later_start = timezone.localtime(later.starts_at)
    tick(page, re.compile(f"^{later_start:%a %b %-d}, {later_start:%-I:%M %p} –"))
    page.get_by_role("button", name="Move to this time").click()
    expect(page.get_by_text("Rescheduled. An updated invite is on its way.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.occurrence_id == later.pk and booking.sequence == 1

    page.get_by_role("link", name="Cancel booking").click()
    scan(page, "booking-cancel")
    page.get_by_label("Reason").fill("Clash with a board meeting")
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_text("Cancelled. Everyone booked has been told.")).to_be_visible()
    scan(page, "booking-cancelled")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    visit(page, "/g/alpha/bookings/", "bookings-list")
    context.close()


def test_staff_book_a_1on1_and_the_hour_page_shows_the_hold(browser, live_server, world):
    account = HourAccount.objects.get(grantee=world.grantee)
    held_before = account.held_minutes
    schedule = selectors.schedule_of(world.users["coach"])
    slot = selectors.next_free_slots(
        schedule=schedule,
        zone=schedule.time_zone,
        after=timezone.localdate() + timedelta(days=10),
        count=1,
    )[0]
    day = timezone.localtime(slot.starts_at).date()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "staff", PASSWORD)
    visit(page, f"/g/alpha/coaches/{world.users['coach'].pk}/book/", "one-on-one-book")
    # Picking a date loads that day's free times in place (HTMX) and keeps the URL in step.
    page.get_by_label("Date").fill(day.isoformat())
    expect(page.get_by_role("heading", name=f"Free times on {day:%A, %B %-d}")).to_be_visible()
    expect(page).to_have_url(re.compile(f"day={day.isoformat()}"))
    scan(page, "one-on-one-slots")
    start = timezone.localtime(slot.starts_at)
    tick(page, re.compile(f"^{start:%-I:%M %p} –"))
    page.get_by_role("button", name="Book this time").click()
    expect(page.locator("#id_note_error")).to_be_visible()  # the note is required
    scan(page, "one-on-one-errors")
    tick(page, re.compile(f"^{start:%-I:%M %p} –"))
    page.get_by_label("What do you want to work on?").fill("Clinical placement agreements")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Booked. The hours are held for your team")).to_be_visible()
    expect(page.get_by_text("1 hour held until the session is recorded")).to_be_visible()

    booking = Booking.objects.get(booked_by=world.users["staff"], starts_at=slot.starts_at)

    # Reschedule it to a free time a week later: the hold stays, the invite moves.
    page.get_by_role("link", name="Reschedule").click()
    scan(page, "one-on-one-reschedule")
    later = selectors.next_free_slots(
        schedule=schedule, zone=schedule.time_zone, after=day + timedelta(days=7), count=1
    )[0]
    later_day = timezone.localtime(later.starts_at).date()
    page.get_by_label("Date").fill(later_day.isoformat())
    expect(
        page.get_by_role("heading", name=f"Free times on {later_day:%A, %B %-d}")
    ).to_be_visible()
    tick(page, re.compile(f"^{timezone.localtime(later.starts_at):%-I:%M %p} –"))
    page.get_by_role("button", name="Move to this time").click()
    expect(page.get_by_text("Rescheduled. An updated invite is on its way.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.starts_at == later.starts_at and booking.sequence == 1

    visit(page, "/g/alpha/hours/", "hours-with-hold")
    scheduled = page.locator(".portal-card").filter(has_text="hours held for booked sessions")
    expect(scheduled.locator(".portal-stat")).to_have_text(f"{(held_before + 60) / 60:g}")
    assert HourAccount.objects.get(grantee=world.grantee).held_minutes == held_before + 60
    context.close()


def test_settings_time_zone_and_calendar_feed(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "staff", PASSWORD)
    visit(page, "/me/settings/", "settings")
    page.get_by_role("button", name="Turn on my calendar feed").click()
    feed_url = page.get_by_label("Feed address").input_value()
    assert "/calendar/" in feed_url and feed_url.endswith(".ics")
    scan(page, "settings-feed-new")
    response = page.request.get(feed_url)
    assert response.ok and b"BEGIN:VCALENDAR" in response.body()
    page.get_by_label("Your time zone").select_option("America/New_York")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text("Saved. Times are now shown in your time zone.")).to_be_visible()
    visit(page, f"/g/alpha/bookings/{world.booking.pk}/", "booking-detail-new-york")
    expect(page.locator(".usa-intro")).to_contain_text(re.compile("EST|EDT"))
    context.close()

"""The coach's side of booking in the browser: the week, 1:1 availability, office hours from
creation (errors first) to skipping a date — every page scanned with axe."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, OfficeHourSeries, WeeklyAvailability
from tests.e2e.conftest import scan, sign_in_browser, tick, visit
from tests.factories import PASSWORD


def test_coach_keeps_availability_and_runs_office_hours(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in_browser(page, world, "coach", PASSWORD)

    visit(page, "/coach/schedule/", "coach-schedule")
    week = timezone.localtime(world.booking.starts_at).date()
    visit(page, f"/coach/schedule/?week={week.isoformat()}", "coach-schedule-week")
    expect(page.get_by_text(re.compile("Clinical placement plan"))).to_be_visible()

    visit(page, "/coach/availability/", "coach-availability")
    page.get_by_role("button", name="Add days away").click()
    expect(page.locator("#id_away-starts_on_error, [id$='starts_on_error']").first).to_be_visible()
    scan(page, "coach-availability-errors")
    count = WeeklyAvailability.objects.filter(schedule__coach=world.users["coach"]).count()
    page.get_by_role("button", name="Save availability").click()
    expect(page.get_by_text(re.compile("saved|Saved"))).to_be_visible()
    assert WeeklyAvailability.objects.filter(schedule__coach=world.users["coach"]).count() == count

    visit(page, "/office-hours/", "office-hours-list")
    page.get_by_role("link", name=re.compile("New office hours")).click()
    scan(page, "office-hours-new")
    page.get_by_role("button", name="Create office hours").click()
    expect(page.locator("#id_title_error")).to_be_visible()
    scan(page, "office-hours-new-errors")
    page.get_by_label("Program").select_option(label=world.program.name)
    page.get_by_label("Title").fill("Pathway design clinic")
    tick(page, "Monthly, on the nth weekday")
    page.get_by_label("Week of the month").select_option("2")
    page.get_by_label("Day of the week").select_option("1")
    page.get_by_label("From", exact=True).fill("10:00")
    page.get_by_label("Until", exact=True).fill("12:00")
    today = timezone.localdate()
    page.get_by_label("First date on or after").fill(today.isoformat())
    page.get_by_label("Last date on or before").fill((today + timedelta(days=180)).isoformat())
    tick(page, "Individual slots")
    page.get_by_label("Slot length").select_option("30")
    page.get_by_role("button", name="Create office hours").click()
    expect(page.get_by_role("heading", name="Pathway design clinic")).to_be_visible()
    scan(page, "office-hours-series")
    series = OfficeHourSeries.objects.get(title="Pathway design clinic")
    assert all(timezone.localtime(o.starts_at).hour == 10 for o in series.occurrences.all())

    # Skip a date of the world's series that has a booking: the booking is cancelled.
    occurrence = world.series.occurrences.order_by("starts_at").first()
    visit(
        page,
        f"/office-hours/{world.series.pk}/dates/{occurrence.pk}/",
        "office-hours-date",
    )
    page.get_by_label("Why is this date skipped?").fill("Statewide convening that day")
    page.get_by_role("button", name=re.compile("^Skip")).click()
    expect(page.get_by_text(re.compile("were told|was told"))).to_be_visible()
    scan(page, "office-hours-date-skipped")
    assert Booking.objects.get(pk=world.office_booking.pk).status == "cancelled"
    context.close()


def test_ta_admin_sets_the_programs_booking_policy(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, "/ta/", "ta-dashboard-booking-link")
    page.get_by_role("link", name="Booking settings").first.click()
    scan(page, "booking-policy")
    page.get_by_label(re.compile("^Reminders")).fill("24, soon")
    page.get_by_role("button", name="Save booking settings").click()
    expect(page.locator("#id_reminder_hours_error")).to_be_visible()
    scan(page, "booking-policy-errors")
    page.get_by_label(re.compile("^Reminders")).fill("48, 2")
    tick(page, "Charge the held hours")
    page.get_by_role("button", name="Save booking settings").click()
    expect(page.get_by_text("Booking settings saved")).to_be_visible()
    world.program.refresh_from_db()
    assert world.program.reminder_hours_list == [48, 2]
    assert world.program.late_cancel_policy == "charge"
    context.close()

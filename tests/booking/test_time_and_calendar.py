"""Time: recurring rules keep local wall-clock time across DST; invites and feeds carry UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from booking import calendar, selectors, services
from booking.models import Booking
from booking.recurrence import rule_dates
from tests.booking.helpers import book, coach_schedule, refreshed

pytestmark = pytest.mark.django_db


def test_monthly_rule_gives_the_nth_weekday():
    dates = rule_dates(
        frequency="monthly",
        weekday=1,  # Tuesday
        week_of_month=2,
        first=date(2026, 10, 1),
        last=date(2027, 4, 30),
    )
    assert dates == [
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
    ]
    last_fridays = rule_dates(
        frequency="monthly",
        weekday=4,
        week_of_month=-1,
        first=date(2027, 1, 1),
        last=date(2027, 3, 31),
    )
    assert last_fridays == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26)]


def test_a_recurring_10am_stays_10am_across_the_november_and_march_changes(world):
    series = services.office_hours_create(
        actor=world.users["ta_admin"],
        program=world.program,
        data={
            "title": "Weekly Tuesday",
            "frequency": "weekly",
            "weekday": 1,
            "starts_at": time(10),
            "ends_at": time(12),
            "first_date": date(2026, 10, 27),
            "last_date": date(2027, 3, 16),
            "format": "slots",
            "slot_minutes": 30,
            "hosts": [world.users["coach"]],
        },
    )
    starts = {o.rule_date: o.starts_at for o in series.occurrences.all()}
    # PDT (UTC−7) before Nov 1 2026 and from Mar 14 2027; PST (UTC−8) between.
    assert starts[date(2026, 10, 27)] == datetime(2026, 10, 27, 17, 0, tzinfo=UTC)
    assert starts[date(2026, 11, 3)] == datetime(2026, 11, 3, 18, 0, tzinfo=UTC)
    assert starts[date(2027, 3, 9)] == datetime(2027, 3, 9, 18, 0, tzinfo=UTC)
    assert starts[date(2027, 3, 16)] == datetime(2027, 3, 16, 17, 0, tzinfo=UTC)


def test_weekly_availability_stays_at_9am_local_after_each_change(world):
    schedule = coach_schedule(world)
    now = datetime(2026, 10, 1, tzinfo=UTC)
    zone = "America/Los_Angeles"

    def first_slot(day):
        return selectors.free_one_on_one_slots(schedule=schedule, day=day, zone=zone, now=now)[0]

    assert first_slot(date(2026, 10, 30)).starts_at == datetime(2026, 10, 30, 16, tzinfo=UTC)
    assert first_slot(date(2026, 11, 2)).starts_at == datetime(2026, 11, 2, 17, tzinfo=UTC)
    now = datetime(2027, 3, 1, tzinfo=UTC)
    assert first_slot(date(2027, 3, 12)).starts_at == datetime(2027, 3, 12, 17, tzinfo=UTC)
    assert first_slot(date(2027, 3, 15)).starts_at == datetime(2027, 3, 15, 16, tzinfo=UTC)


def test_a_viewer_in_another_zone_sees_the_coachs_day_in_their_own_day(world):
    schedule = coach_schedule(world)
    now = datetime(2026, 10, 1, tzinfo=UTC)
    # 9:00 Pacific is 12:00 in New York on the same day.
    slots = selectors.free_one_on_one_slots(
        schedule=schedule, day=date(2026, 10, 14), zone="America/New_York", now=now
    )
    assert slots[0].starts_at == datetime(2026, 10, 14, 16, tzinfo=UTC)
    assert len(slots) == 8  # 9–17 Pacific in 60-minute sessions


def test_days_away_minimum_notice_and_daily_maximum_are_respected(world):
    schedule = coach_schedule(world)
    zone = schedule.time_zone
    now = datetime(2026, 10, 1, 16, tzinfo=UTC)  # 9:00 Pacific on Thursday Oct 1
    services.availability_exception_add(
        actor=world.users["coach"],
        starts_on=date(2026, 10, 5),
        ends_on=date(2026, 10, 6),
        reason="Away",
    )
    assert (
        selectors.free_one_on_one_slots(
            schedule=schedule, day=date(2026, 10, 5), zone=zone, now=now
        )
        == []
    )
    # 24 h notice: on Oct 2 nothing before 9:00 Pacific (16:00 UTC) is offered.
    oct2 = selectors.free_one_on_one_slots(
        schedule=schedule, day=date(2026, 10, 2), zone=zone, now=now
    )
    assert oct2[0].starts_at >= now + timedelta(hours=24)
    schedule.max_sessions_per_day = 1
    schedule.save()
    day = date(2026, 10, 7)
    first = selectors.free_one_on_one_slots(schedule=schedule, day=day, zone=zone, now=now)[0]
    book(world, key="only-one", starts_at=first.starts_at, now=now)
    assert selectors.free_one_on_one_slots(schedule=schedule, day=day, zone=zone, now=now) == []


def test_the_invite_parses_and_carries_utc_times(world):
    booking = refreshed(world.booking)
    cal = Calendar.from_ical(calendar.booking_invite(booking))
    assert str(cal["METHOD"]) == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == booking.starts_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == booking.ends_at
    assert "ATTENDEE" in event and "ORGANIZER" in event
    assert "meet.example.org/coach-room" in str(event["LOCATION"])


def test_a_cancelled_booking_sends_method_cancel_with_a_higher_sequence(world):
    booking = world.booking
    services.booking_cancel(actor=world.users["staff"], booking=booking)
    cal = Calendar.from_ical(calendar.booking_invite(refreshed(booking)))
    assert str(cal["METHOD"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert "LOCATION" not in event


def test_every_change_emails_an_ics(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=world.users["staff"], booking=world.booking)
    cancel_mails = [m for m in mailoutbox if m.subject.startswith("Cancelled")]
    assert {m.to[0] for m in cancel_mails} == {"staff@example.org", "coach@example.org"}
    name, content, mimetype = cancel_mails[0].attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    assert "METHOD:CANCEL" in content


def test_the_calendar_feed_is_secret_and_revocable(world, client):
    staff = world.users["staff"]
    token = services.calendar_feed_reset(user=staff)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert f"booking-{world.booking.uid}@pathways-ta-portal" in uids
    assert f"booking-{world.other_booking.uid}@pathways-ta-portal" not in uids
    new_token = services.calendar_feed_reset(user=staff)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200
    services.calendar_feed_revoke(user=staff)
    assert client.get(f"/calendar/{new_token}.ics").status_code == 404


def test_the_coachs_feed_lists_the_1on1s_they_coach(world, client):
    token = services.calendar_feed_reset(user=world.users["coach"])
    body = client.get(f"/calendar/{token}.ics").content.decode()
    assert str(world.booking.uid) in body and str(world.other_booking.uid) not in body
    assert Booking.objects.filter(coach=world.users["coach"]).exists()

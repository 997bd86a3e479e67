"""The coach and office-hour pages: a coach's week, 1:1 availability and days away, office-hour
series (created across daylight-saving changes), and single dates skipped, moved and attended."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from booking import services
from booking.models import (
    AvailabilityException,
    Booking,
    CoachSchedule,
    OfficeHourOccurrence,
    OfficeHourSeries,
)
from booking.recurrence import local_to_utc
from grantees.models import Topic
from portal.models import Notification
from support_hours.models import HourAccount
from tests.budget import assert_constant_queries
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
counter = itertools.count()


def monday_of(instant: datetime) -> date:
    day = instant.astimezone(PACIFIC).date()
    return day - timedelta(days=day.weekday())


def first_date(world) -> OfficeHourOccurrence:
    return world.series.occurrences.order_by("starts_at").first()


def occurrence_url(series, occurrence, action: str = "") -> str:
    base = f"/office-hours/{series.pk}/dates/{occurrence.pk}/"
    return base + (f"{action}/" if action else "")


# --- A coach's week -------------------------------------------------------------------------------


def test_the_schedule_lists_the_coachs_bookings_and_hosted_office_hours(world, client_for):
    booking = world.booking
    response = client_for("coach").get(f"/coach/schedule/?week={monday_of(booking.starts_at)}")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/g/alpha/bookings/{booking.pk}/" in page
    assert "Clinical placement plan" in page  # the note
    assert world.users["staff"].full_name in page  # who booked
    start, end = booking.starts_at.astimezone(PACIFIC), booking.ends_at.astimezone(PACIFIC)
    assert f"{start:%-I:%M %p} – {end:%-I:%M %p %Z}" in page  # the coach's zone, abbreviated

    occurrence = first_date(world)
    response = client_for("coach").get(f"/coach/schedule/?week={monday_of(occurrence.starts_at)}")
    assert occurrence_url(world.series, occurrence) in response.content.decode()


def test_the_schedule_is_read_in_the_coachs_own_time_zone(world, client_for):
    coach = world.users["coach"]
    coach.time_zone = "America/New_York"
    coach.save(update_fields=["time_zone"])
    booking = world.booking
    eastern = ZoneInfo("America/New_York")
    start, end = booking.starts_at.astimezone(eastern), booking.ends_at.astimezone(eastern)
    page = client_for("coach").get(f"/coach/schedule/?week={start.date()}").content.decode()
    assert f"{start:%-I:%M %p} – {end:%-I:%M %p %Z}" in page  # e.g. 4:00 PM – 5:00 PM EST
    assert f'id="day-{start.date()}"' in page and "(America/New_York)" in page


def test_any_day_of_the_week_shows_that_week_and_an_empty_week_says_so(world, client_for):
    far = timezone.localdate() + timedelta(days=300)
    response = client_for("coach").get(f"/coach/schedule/?week={far}")
    page = response.content.decode()
    monday = far - timedelta(days=far.weekday())
    assert f"Week of {monday:%B} {monday.day}" in page
    assert "Nothing is booked this week" in page
    # Another coach's calendar is not part of it.
    other = client_for("other_coach").get(
        f"/coach/schedule/?week={monday_of(world.booking.starts_at)}"
    )
    assert f"/bookings/{world.booking.pk}/" not in other.content.decode()


def test_the_week_alone_is_sent_for_htmx(world, client_for):
    response = client_for("coach").get(
        "/coach/schedule/?week=2026-12-07", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="agenda"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="agenda"') and "<html" not in page


@pytest.mark.parametrize("role", ["staff", "ta_admin", "state"])
def test_only_coaches_have_a_schedule(world, client_for, role):
    assert client_for(role).get("/coach/schedule/").status_code == 403
    assert client_for(role).get("/coach/availability/").status_code == 403


# --- 1:1 availability -----------------------------------------------------------------------------


def availability_data(windows, **settings) -> dict:
    data = {
        "time_zone": "America/Chicago",
        "session_minutes": "45",
        "buffer_minutes": "10",
        "minimum_notice_hours": "48",
        "max_sessions_per_day": "3",
        "horizon_days": "30",
        "meeting_url": "https://meet.example.org/new-room",
        "windows-TOTAL_FORMS": str(len(windows)),
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "35",
    }
    for i, window in enumerate(windows):
        weekday, starts, ends = (window + ("",) * 3)[:3]
        data[f"windows-{i}-weekday"] = weekday
        data[f"windows-{i}-starts_at"] = starts
        data[f"windows-{i}-ends_at"] = ends
    data.update(settings)
    return data


def windows_of(world, role: str = "coach") -> list[tuple[int, time, time]]:
    schedule = CoachSchedule.objects.get(coach=world.users[role])
    return [(w.weekday, w.starts_at, w.ends_at) for w in schedule.windows.all()]


def test_the_availability_page_shows_the_saved_windows(world, client_for):
    response = client_for("coach").get("/coach/availability/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('value="09:00"') == 5 and page.count('value="17:00"') == 5
    assert "Conference" in page  # a day away
    assert f"/coach/availability/away/{world.away.pk}/delete/" in page
    assert f"/coach/availability/away/{world.other_away.pk}/delete/" not in page


def test_a_coach_saves_rules_and_weekly_windows(world, client_for):
    data = availability_data(
        [("0", "09:00", "12:00"), ("0", "13:00", "16:00"), ("2", "10:00", "14:00"), ()]
    )
    response = client_for("coach").post("/coach/availability/", data)
    assert response.status_code == 302
    schedule = CoachSchedule.objects.get(coach=world.users["coach"])
    assert (schedule.time_zone, schedule.session_minutes, schedule.buffer_minutes) == (
        "America/Chicago",
        45,
        10,
    )
    assert (schedule.minimum_notice_hours, schedule.max_sessions_per_day) == (48, 3)
    assert schedule.horizon_days == 30 and schedule.meeting_url.endswith("/new-room")
    assert windows_of(world) == [
        (0, time(9), time(12)),
        (0, time(13), time(16)),
        (2, time(10), time(14)),
    ]


def test_a_row_marked_remove_is_dropped(world, client_for):
    data = availability_data([("1", "09:00", "17:00"), ("3", "09:00", "17:00")])
    data["windows-1-DELETE"] = "on"
    assert client_for("coach").post("/coach/availability/", data).status_code == 302
    assert windows_of(world) == [(1, time(9), time(17))]


@pytest.mark.parametrize(
    ("windows", "settings", "message"),
    [
        (
            [("0", "09:00", "12:00"), ("0", "11:00", "15:00")],
            {},
            "Two windows on the same day overlap.",
        ),
        ([("0", "12:00", "09:00")], {}, "The window must end after it starts."),
        ([("0", "09:00", "")], {}, "Fill in the day and both times"),
        ([("0", "09:00", "12:00")], {"time_zone": "Mars/Olympus_Mons"}, "Choose a time zone"),
        ([("0", "09:00", "12:00")], {"horizon_days": "400"}, "less than or equal to 365"),
        ([("0", "09:00", "12:00")], {"max_sessions_per_day": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_availability_is_refused_and_nothing_is_saved(
    world, client_for, windows, settings, message
):
    before = windows_of(world)
    response = client_for("coach").post(
        "/coach/availability/", availability_data(windows, **settings)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "usa-error-message" in page or "usa-alert--error" in page
    assert windows_of(world) == before
    schedule = CoachSchedule.objects.get(coach=world.users["coach"])
    assert schedule.time_zone == "America/Los_Angeles" and schedule.session_minutes == 60


def test_a_coach_without_a_schedule_sees_defaults_and_the_get_saves_nothing(world, client_for):
    CoachSchedule.objects.filter(coach=world.users["other_coach"]).delete()
    response = client_for("other_coach").get("/coach/availability/")
    assert response.status_code == 200
    assert "nobody can book a 1:1 with you" in response.content.decode()
    assert not CoachSchedule.objects.filter(coach=world.users["other_coach"]).exists()


# --- Days away ------------------------------------------------------------------------------------


def test_a_coach_adds_days_away(world, client_for):
    start = timezone.localdate() + timedelta(days=20)
    response = client_for("coach").post(
        "/coach/availability/away/",
        {
            "away-starts_on": start,
            "away-ends_on": start + timedelta(days=2),
            "away-reason": "Leave",
        },
    )
    assert response.status_code == 302
    assert AvailabilityException.objects.filter(
        schedule__coach=world.users["coach"], starts_on=start, reason="Leave"
    ).exists()


def test_days_away_ending_before_they_start_are_refused(world, client_for):
    start = timezone.localdate() + timedelta(days=20)
    count = AvailabilityException.objects.count()
    response = client_for("coach").post(
        "/coach/availability/away/",
        {"away-starts_on": start, "away-ends_on": start - timedelta(days=1)},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "The last day must be on or after the first day." in page
    assert 'id="id_away-ends_on_error"' in page  # next to the field it is about
    assert AvailabilityException.objects.count() == count


def test_a_coach_removes_their_days_away(world, client_for):
    response = client_for("coach").post(f"/coach/availability/away/{world.away.pk}/delete/")
    assert response.status_code == 302
    assert not AvailabilityException.objects.filter(pk=world.away.pk).exists()


def test_a_coach_cannot_remove_another_coachs_days_away(world, client_for):
    response = client_for("coach").post(f"/coach/availability/away/{world.other_away.pk}/delete/")
    assert response.status_code == 403
    assert AvailabilityException.objects.filter(pk=world.other_away.pk).exists()


def test_removing_needs_a_post(world, client_for):
    response = client_for("coach").get(f"/coach/availability/away/{world.away.pk}/delete/")
    assert response.status_code == 405
    assert AvailabilityException.objects.filter(pk=world.away.pk).exists()


# --- Office-hour series ---------------------------------------------------------------------------


def series_data(world, **overrides) -> dict:
    data = {
        "program": world.program.pk,
        "title": "Second-Tuesday office hours",
        "topic": Topic.objects.order_by("name").first().pk,
        "description": "Bring your questions.",
        "frequency": "monthly",
        "week_of_month": "2",
        "weekday": "1",  # Tuesday
        "starts_at": "10:00",
        "ends_at": "12:00",
        "time_zone": "America/Los_Angeles",
        "first_date": "2026-10-01",
        "last_date": "2027-04-30",
        "format": "slots",
        "slot_minutes": "30",
        "capacity": "",
        "meeting_url": "https://meet.example.org/second-tuesday",
        "hosts": [world.users["coach"].pk, world.users["other_coach"].pk],
    }
    data.update(overrides)
    return data


def test_the_series_list_shows_hosted_and_program_office_hours(world, client_for):
    admin_page = client_for("ta_admin").get("/office-hours/").content.decode()
    assert f"/office-hours/{world.series.pk}/" in admin_page
    assert f"/office-hours/{world.other_series.pk}/" in admin_page
    assert "Individual 30-minute slots" in admin_page and "Every " in admin_page
    coach_page = client_for("coach").get("/office-hours/").content.decode()
    assert f"/office-hours/{world.series.pk}/" in coach_page
    assert f"/office-hours/{world.other_series.pk}/" not in coach_page
    assert client_for("staff").get("/office-hours/").status_code == 403


def test_a_ta_admin_creates_monthly_office_hours_that_stay_at_10_local_across_dst(
    world, client_for
):
    response = client_for("ta_admin").post("/office-hours/new/", series_data(world))
    series = OfficeHourSeries.objects.get(title="Second-Tuesday office hours")
    assert response.status_code == 302 and response["Location"] == f"/office-hours/{series.pk}/"
    assert {h.pk for h in series.hosts.all()} == {
        world.users["coach"].pk,
        world.users["other_coach"].pk,
    }
    starts = {o.rule_date: o.starts_at for o in series.occurrences.all()}
    assert sorted(starts) == [
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
    ]
    for starts_at in starts.values():
        local = starts_at.astimezone(PACIFIC)
        assert (local.hour, local.minute) == (10, 0)
    # Daylight time (UTC−7) until Nov 1, 2026 and again from Mar 14, 2027; standard (UTC−8) between.
    assert starts[date(2026, 10, 13)] == datetime(2026, 10, 13, 17, tzinfo=UTC)
    assert starts[date(2026, 11, 10)] == datetime(2026, 11, 10, 18, tzinfo=UTC)
    assert starts[date(2027, 3, 9)] == datetime(2027, 3, 9, 18, tzinfo=UTC)
    assert starts[date(2027, 4, 13)] == datetime(2027, 4, 13, 17, tzinfo=UTC)
    page = client_for("ta_admin").get(response["Location"]).content.decode()
    assert "2nd Tuesday of the month, 10:00–12:00" in page
    assert "Apr 13, 2027" in page and "10:00 AM – 12:00 PM PDT" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": "09:00"}, "ends_at", "The end time must be after the start time."),
        ({"last_date": "2026-09-01"}, "last_date", "The last date must be on or after"),
        ({"week_of_month": ""}, "week_of_month", "Choose which week of the month."),
        ({"slot_minutes": "60", "ends_at": "10:30"}, "slot_minutes", "does not fit in 30 minutes"),
        ({"format": "drop_in", "slot_minutes": ""}, "capacity", "Give the number of seats."),
        ({"hosts": []}, "hosts", "This field is required."),
        ({"time_zone": "Nowhere/Land"}, "time_zone", "Choose a time zone from the list."),
        ({"last_date": "2026-10-05"}, "first_date", "The rule gives no date"),
        ({"program": "999999"}, "program", "Select a valid choice."),
    ],
)
def test_bad_series_input_shows_field_errors_and_creates_nothing(
    world, client_for, overrides, field, message
):
    series_count, dates_count = (
        OfficeHourSeries.objects.count(),
        OfficeHourOccurrence.objects.count(),
    )
    response = client_for("ta_admin").post("/office-hours/new/", series_data(world, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert OfficeHourSeries.objects.count() == series_count
    assert OfficeHourOccurrence.objects.count() == dates_count


def test_a_coach_creates_office_hours_they_host_for_a_program_they_coach_in(world, client_for):
    coach = world.users["coach"]
    page = client_for("coach").get("/office-hours/new/").content.decode()
    assert 'name="hosts"' not in page and "You host these office hours." in page
    data = series_data(world, title="Coach's drop-in", format="drop_in", capacity="8")
    del data["hosts"]
    response = client_for("coach").post("/office-hours/new/", data)
    assert response.status_code == 302
    series = OfficeHourSeries.objects.get(title="Coach's drop-in")
    assert list(series.hosts.all()) == [coach]
    assert (series.capacity, series.slot_minutes) == (8, None)
    # Another program is not offered (its grantees are not theirs).
    other = series_data(world, title="Elsewhere", program=world.other_program.pk)
    del other["hosts"]
    response = client_for("coach").post("/office-hours/new/", other)
    assert response.status_code == 200 and not OfficeHourSeries.objects.filter(title="Elsewhere")


def test_a_host_edits_what_the_series_is_about(world, client_for):
    series = world.series
    url = f"/office-hours/{series.pk}/"
    response = client_for("coach").post(
        url,
        {
            "title": "Pathway questions",
            "description": "New text",
            "meeting_url": "https://meet.example.org/renamed",
            "hosts": [world.users["coach"].pk, world.users["other_coach"].pk],
        },
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.title == "Pathway questions" and series.meeting_url.endswith("/renamed")
    assert series.hosts.count() == 2
    response = client_for("coach").post(url, {"title": "No hosts", "hosts": []})
    assert response.status_code == 200 and 'id="id_hosts_error"' in response.content.decode()
    series.refresh_from_db()
    assert series.title == "Pathway questions"


def test_the_series_page_lists_dates_with_places_booked(world, client_for):
    page = client_for("coach").get(f"/office-hours/{world.series.pk}/").content.decode()
    first = first_date(world)
    assert occurrence_url(world.series, first) in page
    assert "1 of 4" in page  # one of the four 30-minute slots from 10 to 12
    assert page.count("portal-status--scheduled") == world.series.occurrences.count()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_coach_cannot_see_or_change_office_hours_they_do_not_host(
    world, client_for, method
):
    client = client_for("other_coach")
    occurrence = first_date(world)
    urls = [
        f"/office-hours/{world.series.pk}/",
        occurrence_url(world.series, occurrence),
        occurrence_url(world.series, occurrence, "skip"),
        occurrence_url(world.series, occurrence, "move"),
        occurrence_url(world.series, occurrence, f"attendance/{world.office_booking.pk}"),
    ]
    data = {"skip-note": "x", "outcome": "attended", "title": "Taken over", "hosts": []}
    for url in urls:
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, url
    occurrence.refresh_from_db()
    assert occurrence.status == "scheduled"
    assert OfficeHourSeries.objects.get(pk=world.series.pk).title != "Taken over"


def test_a_date_of_another_series_is_not_found(world, client_for):
    other_date = world.other_series.occurrences.first()
    response = client_for("ta_admin").get(occurrence_url(world.series, other_date))
    assert response.status_code == 404


# --- One date: roster, skip, move, attendance -----------------------------------------------------


def second_booking_with_a_hold(world) -> Booking:
    """The lead takes another slot of the first date while office hours draw support hours."""
    world.program.office_hours_draw_hours = True
    world.program.save(update_fields=["office_hours_draw_hours"])
    occurrence = first_date(world)
    return services.book_office_hours(
        actor=world.users["lead"],
        grantee=world.grantee,
        occurrence=occurrence,
        starts_at=occurrence.starts_at + timedelta(minutes=30),
        note="Second slot",
        key="second-slot",
    )


def test_the_date_page_lists_who_booked_with_skip_and_move_forms(world, client_for):
    occurrence = first_date(world)
    page = client_for("coach").get(occurrence_url(world.series, occurrence)).content.decode()
    assert world.users["staff"].full_name in page
    assert world.grantee.name in page and "Our IET schedule" in page
    assert 'name="skip-note"' in page and 'name="move-new_date"' in page
    assert 'name="outcome"' not in page  # not started yet: no attendance buttons


def test_skipping_a_date_cancels_its_bookings_releases_holds_and_tells_everyone(
    world, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    second = second_booking_with_a_hold(world)
    held = HourAccount.objects.get(grantee=world.grantee).held_minutes
    assert second.hold_id is not None
    occurrence = first_date(world)
    coach = client_for("coach")
    with django_capture_on_commit_callbacks(execute=True):
        response = coach.post(
            occurrence_url(world.series, occurrence, "skip"), {"skip-note": "Coach is ill"}
        )
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.status == "skipped" and occurrence.change_note == "Coach is ill"
    for booking in (world.office_booking, second):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert "Coach is ill" in booking.cancel_reason
    assert HourAccount.objects.get(grantee=world.grantee).held_minutes == held - 30
    told = Notification.objects.filter(kind="booking-cancelled")
    assert {n.recipient.email for n in told} == {
        "staff@example.org",
        "lead@example.org",
        "coach@example.org",
    }
    cancel_mails = [m for m in mailoutbox if m.subject.startswith("Cancelled")]
    assert {m.to[0] for m in cancel_mails} >= {"staff@example.org", "lead@example.org"}
    for mail in cancel_mails:
        (name, content, mimetype) = mail.attachments[0]
        assert name.endswith(".ics") and "METHOD:CANCEL" in content
    page = coach.get(response["Location"]).content.decode()
    assert "The 2 people booked were told." in page
    assert "This date is skipped: Coach is ill" in page
    assert 'name="skip-note"' not in page


def test_a_skip_needs_a_reason(world, client_for):
    occurrence = first_date(world)
    response = client_for("coach").post(occurrence_url(world.series, occurrence, "skip"), {})
    assert response.status_code == 422
    assert 'id="id_skip-note_error"' in response.content.decode()
    occurrence.refresh_from_db()
    assert occurrence.status == "scheduled"
    world.office_booking.refresh_from_db()
    assert world.office_booking.status == Booking.Status.BOOKED


def test_moving_a_date_moves_its_bookings_by_the_same_shift(
    world, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    occurrence = first_date(world)
    booking = world.office_booking
    local = occurrence.starts_at.astimezone(PACIFIC)
    new_date = local.date() + timedelta(days=1)
    shift = local_to_utc(new_date, time(11), "America/Los_Angeles") - occurrence.starts_at
    admin = client_for("ta_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            occurrence_url(world.series, occurrence, "move"),
            {"move-new_date": new_date, "move-new_start": "11:00", "move-note": "Room change"},
        )
    assert response.status_code == 302
    moved = OfficeHourOccurrence.objects.get(pk=occurrence.pk)
    assert moved.starts_at == occurrence.starts_at + shift
    assert moved.ends_at == occurrence.ends_at + shift
    assert moved.sequence == 1 and moved.rule_date == occurrence.rule_date
    after = Booking.objects.get(pk=booking.pk)
    assert after.starts_at == booking.starts_at + shift
    assert after.ends_at == booking.ends_at + shift
    assert after.sequence == booking.sequence + 1
    assert Notification.objects.filter(
        kind="booking-moved", recipient=world.users["staff"]
    ).exists()
    assert any(m.subject.startswith("Moved") for m in mailoutbox)
    page = admin.get(response["Location"]).content.decode()
    assert "The 1 person booked was told." in page
    assert "11:00 AM" in page and "Moved from the rule" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"move-new_date": "2020-01-07", "move-new_start": "10:00"}, "move-new_date"),
        ({"move-new_date": "", "move-new_start": "10:00"}, "move-new_date"),
        ({"move-new_date": "2099-01-07", "move-new_start": "25:00"}, "move-new_start"),
    ],
)
def test_a_bad_move_is_refused(world, client_for, data, field):
    occurrence = first_date(world)
    response = client_for("coach").post(occurrence_url(world.series, occurrence, "move"), data)
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert OfficeHourOccurrence.objects.get(pk=occurrence.pk).starts_at == occurrence.starts_at


def test_moving_to_the_time_it_already_has_is_refused(world, client_for):
    occurrence = first_date(world)
    local = occurrence.starts_at.astimezone(PACIFIC)
    response = client_for("coach").post(
        occurrence_url(world.series, occurrence, "move"),
        {"move-new_date": local.date(), "move-new_start": f"{local:%H:%M}"},
    )
    assert response.status_code == 422
    assert "That is the time it already has." in response.content.decode()


def started(world) -> OfficeHourOccurrence:
    """Pretend the first date began 30 minutes ago (with its booking in the first slot)."""
    occurrence = first_date(world)
    now = timezone.now()
    shift = (now - timedelta(minutes=30)) - occurrence.starts_at
    OfficeHourOccurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=occurrence.starts_at + shift, ends_at=occurrence.ends_at + shift
    )
    Booking.objects.filter(occurrence=occurrence).update(
        starts_at=world.office_booking.starts_at + shift,
        ends_at=world.office_booking.ends_at + shift,
    )
    return OfficeHourOccurrence.objects.get(pk=occurrence.pk)


@pytest.mark.parametrize(("outcome", "status"), [("attended", "completed"), ("no_show", "no_show")])
def test_a_host_records_attendance_once_the_date_has_started(world, client_for, outcome, status):
    occurrence = started(world)
    url = occurrence_url(world.series, occurrence)
    page = client_for("coach").get(url).content.decode()
    assert 'value="attended"' in page and 'value="no_show"' in page
    assert 'name="skip-note"' not in page  # started: no longer skipped or moved
    response = client_for("coach").post(
        f"{url}attendance/{world.office_booking.pk}/", {"outcome": outcome}
    )
    assert response.status_code == 302
    assert Booking.objects.get(pk=world.office_booking.pk).status == status


def test_attendance_over_htmx_returns_the_roster(world, client_for):
    occurrence = started(world)
    response = client_for("coach").post(
        occurrence_url(world.series, occurrence, f"attendance/{world.office_booking.pk}"),
        {"outcome": "attended"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="roster",
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert page.lstrip().startswith('<div id="roster"') and "Completed" in page
    assert "portal:messages" in response["HX-Trigger"]


def test_attendance_before_the_start_is_refused(world, client_for):
    occurrence = first_date(world)
    response = client_for("coach").post(
        occurrence_url(world.series, occurrence, f"attendance/{world.office_booking.pk}"),
        {"outcome": "attended"},
        follow=True,
    )
    assert "Attendance can be recorded once the office hours have started." in (
        response.content.decode()
    )
    assert Booking.objects.get(pk=world.office_booking.pk).status == Booking.Status.BOOKED


def test_attendance_of_a_booking_of_another_date_is_not_found(world, client_for):
    other_date = world.series.occurrences.order_by("starts_at")[1]
    response = client_for("coach").post(
        occurrence_url(world.series, other_date, f"attendance/{world.office_booking.pk}"),
        {"outcome": "attended"},
    )
    assert response.status_code == 404
    response = client_for("coach").post(
        occurrence_url(world.series, first_date(world), f"attendance/{world.booking.pk}"),
        {"outcome": "attended"},
    )
    assert response.status_code == 404  # a 1:1 is not part of any office hours


# --- Query budgets --------------------------------------------------------------------------------


def _one_on_one(world, starts_at: datetime, grantee=None) -> Booking:
    grantee = grantee or world.grantee
    i = next(counter)
    return Booking.objects.create(
        grantee=grantee,
        booked_by=MembershipFactory(grantee=grantee).user,
        kind=Booking.Kind.ONE_ON_ONE,
        coach=world.users["coach"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        note=f"Grown booking {i}",
        idempotency_key=f"grown-1on1-{i}",
    )


def test_schedule_queries_constant(world, client_for):
    monday = monday_of(world.booking.starts_at)
    saturday = datetime.combine(monday + timedelta(days=5), time(0), tzinfo=PACIFIC)
    slots = itertools.count()

    def grow(n):
        for _ in range(n):
            k = next(slots)
            grantee = world.grantee if k % 2 else world.other_grantee
            _one_on_one(world, saturday + timedelta(hours=k), grantee=grantee)
            OfficeHourOccurrence.objects.create(
                series=world.series,
                rule_date=date(2030, 1, 1) + timedelta(days=k),
                starts_at=saturday + timedelta(hours=k, minutes=30),
                ends_at=saturday + timedelta(hours=k, minutes=45),
            )

    assert_constant_queries(client_for("coach"), f"/coach/schedule/?week={monday}", grow)


def test_availability_queries_constant(world, client_for):
    schedule = CoachSchedule.objects.get(coach=world.users["coach"])

    def grow(n):
        for _ in range(n):
            k = next(counter)
            schedule.windows.create(weekday=5, starts_at=time(k % 23), ends_at=time(k % 23, 30))
            start = timezone.localdate() + timedelta(days=100 + k)
            AvailabilityException.objects.create(
                schedule=schedule, starts_on=start, ends_on=start, reason=f"Away {k}"
            )

    assert_constant_queries(client_for("coach"), "/coach/availability/", grow)


def _grow_series(world, n):
    for _ in range(n):
        k = next(counter)
        services.office_hours_create(
            actor=world.users["ta_admin"],
            program=world.program,
            data={
                "title": f"Grown office hours {k}",
                "topic": Topic.objects.order_by("name").first(),
                "frequency": "weekly",
                "weekday": k % 5,
                "starts_at": time(13),
                "ends_at": time(14),
                "first_date": timezone.localdate() + timedelta(days=1),
                "last_date": timezone.localdate() + timedelta(days=30),
                "format": "drop_in",
                "capacity": 5,
                "hosts": [world.users["coach"], UserFactory()],
            },
        )


@pytest.mark.parametrize("role", ["coach", "ta_admin"])
def test_series_list_queries_constant(world, client_for, role):
    assert_constant_queries(client_for(role), "/office-hours/", lambda n: _grow_series(world, n))


def test_series_detail_queries_constant(world, client_for):
    series = world.series
    coaches = []

    def grow(n):
        for _ in range(n):
            k = next(counter)
            occurrence = OfficeHourOccurrence.objects.create(
                series=series,
                rule_date=date(2031, 1, 1) + timedelta(days=k),
                starts_at=datetime(2031, 1, 1, 18, tzinfo=UTC) + timedelta(days=k),
                ends_at=datetime(2031, 1, 1, 20, tzinfo=UTC) + timedelta(days=k),
                sequence=k % 2,
            )
            member = MembershipFactory(grantee=world.grantee).user
            Booking.objects.create(
                grantee=world.grantee,
                booked_by=member,
                kind=Booking.Kind.OFFICE_HOURS,
                occurrence=occurrence,
                starts_at=occurrence.starts_at,
                ends_at=occurrence.starts_at + timedelta(minutes=30),
                idempotency_key=f"grown-office-{k}",
            )
            coach = UserFactory()
            from tests.factories import CoachProfileFactory

            CoachProfileFactory(user=coach)
            coaches.append(coach)
            series.hosts.add(coach)

    assert_constant_queries(client_for("ta_admin"), f"/office-hours/{series.pk}/", grow)


def test_occurrence_detail_queries_constant(world, client_for):
    series = services.office_hours_create(
        actor=world.users["ta_admin"],
        program=world.program,
        data={
            "title": "Big drop-in",
            "frequency": "weekly",
            "weekday": (timezone.localdate() + timedelta(days=2)).weekday(),
            "starts_at": time(13),
            "ends_at": time(15),
            "first_date": timezone.localdate() + timedelta(days=1),
            "last_date": timezone.localdate() + timedelta(days=8),
            "format": "drop_in",
            "capacity": 40,
            "hosts": [world.users["coach"]],
        },
    )
    occurrence = series.occurrences.order_by("starts_at").first()

    def grow(n):
        for _ in range(n):
            k = next(counter)
            grantee = world.grantee if k % 2 else world.other_grantee
            services.book_office_hours(
                actor=MembershipFactory(grantee=grantee).user,
                grantee=grantee,
                occurrence=occurrence,
                starts_at=None,
                note=f"Grown note {k}",
                key=f"grown-seat-{k}",
            )

    assert_constant_queries(client_for("coach"), occurrence_url(series, occurrence), grow)

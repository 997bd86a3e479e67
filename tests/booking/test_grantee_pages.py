"""Grantee-side booking pages: pick, book, see, reschedule, cancel — with field errors, the
"just taken" answer, tenant isolation, and constant query counts."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from booking import selectors, services
from booking.models import Booking
from support_hours.models import HourAccount
from tests.booking.helpers import coach_schedule, free_slot, refreshed
from tests.budget import assert_constant_queries
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
counter = itertools.count()


def one_on_one_url(world, role="coach"):
    return f"/g/{world.grantee.slug}/coaches/{world.users[role].pk}/book/"


def test_staff_see_free_times_for_a_day_and_book_with_the_balance_shown(world, client_for):
    client = client_for("staff")
    slot = free_slot(world)
    day = timezone.localtime(slot.starts_at).date()
    page = client.get(one_on_one_url(world), {"day": day.isoformat()})
    assert page.status_code == 200
    body = page.content.decode()
    assert slot.value in body
    assert "Available now" in body and "available after booking" in body
    key = page.context["form"]["form_key"].initial
    response = client.post(
        one_on_one_url(world),
        {"day": day.isoformat(), "starts_at": slot.value, "note": "Our MOU", "form_key": key},
    )
    booking = Booking.objects.get(idempotency_key=f"one-on-one:{key}")
    assert response.status_code == 302
    assert response["Location"] == f"/g/{world.grantee.slug}/bookings/{booking.pk}/"
    assert booking.booked_by == world.users["staff"] and booking.hold is not None


def test_the_slot_list_alone_comes_back_for_htmx(world, client_for):
    slot = free_slot(world)
    day = timezone.localtime(slot.starts_at).date()
    response = client_for("staff").get(
        one_on_one_url(world),
        {"day": day.isoformat()},
        headers={"HX-Request": "true", "HX-Target": "slots"},
    )
    body = response.content.decode()
    assert 'id="slots"' in body and "<html" not in body and slot.value in body


def test_missing_note_and_time_get_field_errors_and_nothing_is_booked(world, client_for):
    client = client_for("staff")
    count = Booking.objects.count()
    page = client.get(one_on_one_url(world))
    key = page.context["form"]["form_key"].initial
    response = client.post(one_on_one_url(world), {"form_key": key, "note": ""})
    assert response.status_code == 422
    assert response.context["form"].errors.keys() >= {"starts_at", "note"}
    assert "Choose a time." in response.content.decode()
    assert Booking.objects.count() == count


def test_a_slot_taken_meanwhile_answers_just_taken_with_the_next_free_times(world, client_for):
    slot = free_slot(world)
    day = timezone.localtime(slot.starts_at).date()
    client = client_for("staff")
    page = client.get(one_on_one_url(world), {"day": day.isoformat()})
    key = page.context["form"]["form_key"].initial
    services.book_one_on_one(  # someone else is quicker
        actor=world.users["lead"],
        grantee=world.grantee,
        coach=world.users["coach"],
        starts_at=slot.starts_at,
        note="Quicker",
        key="quicker",
    )
    response = client.post(
        one_on_one_url(world),
        {"day": day.isoformat(), "starts_at": slot.value, "note": "Late", "form_key": key},
    )
    assert response.status_code in (409, 422)
    body = response.content.decode()
    assert "just taken" in body or "not free any more" in body
    assert slot.value not in body  # no longer offered
    assert response.context["slots"]  # the other free times of that day are offered


def test_booking_beyond_the_available_hours_shows_a_clear_message(world, client_for):
    from support_hours.services import hours_adjust

    available = HourAccount.objects.get(grantee=world.grantee).available_minutes
    hours_adjust(
        actor=world.users["ta_admin"],
        grantee=world.grantee,
        minutes=-available,
        reason="Used up",
        key="used-up",
    )
    slot = free_slot(world)
    client = client_for("staff")
    day = timezone.localtime(slot.starts_at).date().isoformat()
    page = client.get(one_on_one_url(world), {"day": day})
    assert "Not enough hours are available" in page.content.decode()
    key = page.context["form"]["form_key"].initial
    response = client.post(
        one_on_one_url(world), {"day": day, "starts_at": slot.value, "note": "x", "form_key": key}
    )
    assert response.status_code == 422
    assert "has only 0 hours available" in response.content.decode()


def test_office_hours_slot_booking_and_the_meeting_link_only_for_the_person_booked(
    world, client_for
):
    occurrence = world.series.occurrences.order_by("starts_at")[1]
    client = client_for("lead")
    url = f"/g/{world.grantee.slug}/office-hours/{occurrence.pk}/"
    page = client.get(url)
    assert "meet.example.org/office-hours" not in page.content.decode()
    key = page.context["form"]["form_key"].initial
    response = client.post(url, {"starts_at": occurrence.starts_at.isoformat(), "form_key": key})
    assert response.status_code == 302
    booking = Booking.objects.get(idempotency_key=f"office-hours:{key}")
    detail = client.get(response["Location"]).content.decode()
    assert "meet.example.org/office-hours" in detail
    # A colleague sees the team's booking but not the link.
    colleague = client_for("staff").get(response["Location"]).content.decode()
    assert "meet.example.org/office-hours" not in colleague
    colleague_invite = client_for("staff").get(response["Location"] + "invite.ics").content
    assert b"meet.example.org" not in colleague_invite
    assert (
        b"meet.example.org/office-hours" in client.get(response["Location"] + "invite.ics").content
    )
    assert booking.kind == "office_hours"


def test_the_hub_lists_office_hours_and_the_matched_coach(world, client_for):
    body = client_for("staff").get(f"/g/{world.grantee.slug}/book/").content.decode()
    assert world.series.title in body and world.other_series.title in body  # program-wide
    assert "Book a 1:1 with Coach Carla" in body
    assert "Other Priya" not in body.split("1:1 sessions with your coach")[1].split("Office")[0]


def test_cancel_releases_the_hold_and_the_page_says_so(world, client_for):
    booking = world.booking
    client = client_for("staff")
    url = f"/g/{world.grantee.slug}/bookings/{booking.pk}/cancel/"
    page = client.get(url).content.decode()
    assert "go back to" in page
    held = HourAccount.objects.get(grantee=world.grantee).held_minutes
    response = client.post(url, {"reason": "Clash"})
    assert response.status_code == 302
    assert refreshed(booking).status == Booking.Status.CANCELLED
    assert HourAccount.objects.get(grantee=world.grantee).held_minutes == held - 60


def test_a_colleague_can_see_but_not_cancel_someone_elses_booking(world, client_for):
    colleague = MembershipFactory(grantee=world.grantee, role="staff").user
    from django.test import Client

    from tests.world import sign_in

    client = Client()
    sign_in(client, colleague)
    detail = f"/g/{world.grantee.slug}/bookings/{world.booking.pk}/"
    assert client.get(detail).status_code == 200
    assert "Cancel booking" not in client.get(detail).content.decode()
    assert client.get(detail + "cancel/").status_code == 403
    assert client.post(detail + "cancel/").status_code == 403
    assert client.post(detail + "reschedule/").status_code == 403
    assert refreshed(world.booking).is_active


def test_other_tenants_cannot_see_or_cancel_the_booking(world, client_for):
    detail = f"/g/{world.grantee.slug}/bookings/{world.booking.pk}/"
    for role in ("other_staff", "other_coach"):
        client = client_for(role)
        assert client.get(detail).status_code == 404
        assert client.post(detail + "cancel/").status_code == 404
        assert client.get(detail + "invite.ics").status_code == 404
    # B's own id under A's slug is not found either.
    wrong = f"/g/{world.grantee.slug}/bookings/{world.other_booking.pk}/"
    assert client_for("staff").get(wrong).status_code == 404
    assert refreshed(world.booking).is_active


def test_reschedule_a_1on1_to_another_free_time(world, client_for):
    booking = world.booking
    client = client_for("staff")
    url = f"/g/{world.grantee.slug}/bookings/{booking.pk}/reschedule/"
    target = free_slot(world, after=timezone.localdate() + timedelta(days=21))
    day = timezone.localtime(target.starts_at).date().isoformat()
    page = client.get(url, {"day": day})
    assert target.value in page.content.decode()
    key = page.context["form"]["form_key"].initial
    response = client.post(url, {"day": day, "starts_at": target.value, "form_key": key})
    assert response.status_code == 302
    booking = refreshed(booking)
    assert booking.starts_at == target.starts_at and booking.sequence == 1


def test_reschedule_an_office_hour_place_to_another_date(world, client_for):
    booking = world.office_booking
    client = client_for("staff")
    url = f"/g/{world.grantee.slug}/bookings/{booking.pk}/reschedule/"
    page = client.get(url)
    later = world.series.occurrences.order_by("starts_at")[2]
    value = f"{later.pk}|{later.starts_at.isoformat()}"
    assert value in page.content.decode()
    response = client.post(url, {"place": value})
    assert response.status_code == 302
    booking = refreshed(booking)
    assert booking.occurrence_id == later.pk and booking.sequence == 1


def test_the_invite_downloads_as_ics(world, client_for):
    response = client_for("lead").get(
        f"/g/{world.grantee.slug}/bookings/{world.booking.pk}/invite.ics"
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_the_coach_records_the_booked_session_from_the_booking(world, client_for):
    now = timezone.now() - timedelta(days=10)
    slot = free_slot(world, now=now, after=(now + timedelta(days=3)).date())
    booking = services.book_one_on_one(
        actor=world.users["staff"],
        grantee=world.grantee,
        coach=world.users["coach"],
        starts_at=slot.starts_at,
        note="Past",
        key="past-page",
        now=now,
    )
    client = client_for("coach")
    detail = client.get(f"/g/{world.grantee.slug}/bookings/{booking.pk}/").content.decode()
    assert f"sessions/new/?booking={booking.pk}" in detail
    form_page = client.get(f"/g/{world.grantee.slug}/sessions/new/?booking={booking.pk}")
    assert "Recording the 1:1 booked by" in form_page.content.decode()
    assert form_page.context["form"]["minutes"].initial == 60


def test_the_time_zone_setting_changes_how_times_are_shown(world, client_for):
    client = client_for("staff")
    response = client.post("/me/settings/", {"time_zone": "America/New_York"})
    assert response.status_code == 302
    world.users["staff"].refresh_from_db()
    assert world.users["staff"].time_zone == "America/New_York"
    body = client.get(f"/g/{world.grantee.slug}/bookings/{world.booking.pk}/").content.decode()
    assert "EST" in body or "EDT" in body
    bad = client.post("/me/settings/", {"time_zone": "Mars/Olympus"})
    assert bad.status_code == 422 and "Choose a time zone from the list." in bad.content.decode()


def test_the_feed_address_is_shown_once(world, client_for):
    client = client_for("staff")
    client.post("/me/calendar-feed/", {"action": "reset"})
    first = client.get("/me/settings/").content.decode()
    assert "/calendar/" in first and "copy it now" in first
    again = client.get("/me/settings/").content.decode()
    assert "copy it now" not in again and "Your feed is on" in again


# --- Query budgets -------------------------------------------------------------------------------


def grow_bookings(world):
    """n more team members each with a 1:1 (some cancelled) and an office-hour place."""

    def grow(n):
        schedule = coach_schedule(world)
        schedule.max_sessions_per_day = 50
        schedule.save()
        occurrences = list(world.series.occurrences.order_by("starts_at")[1:])
        for k in range(n):
            i = next(counter)
            member = MembershipFactory(grantee=world.grantee).user
            slot = selectors.next_free_slots(
                schedule=schedule,
                zone=schedule.time_zone,
                after=timezone.localdate() + timedelta(days=4),
                count=1,
            )[0]
            booking = services.book_one_on_one(
                actor=member,
                grantee=world.grantee,
                coach=world.users["coach"],
                starts_at=slot.starts_at,
                note=f"n{i}",
                key=f"grow-1on1-{i}",
            )
            if k % 3 == 0:  # each growth step has cancelled bookings too
                services.booking_cancel(actor=member, booking=booking)
            occurrence = occurrences[i % len(occurrences)]
            free = [p for p in selectors.occurrence_places(occurrence=occurrence) if not p.taken]
            if free:
                services.book_office_hours(
                    actor=member,
                    grantee=world.grantee,
                    occurrence=occurrence,
                    starts_at=free[0].starts_at,
                    note="",
                    key=f"grow-oh-{i}",
                )

    return grow


@pytest.mark.parametrize(
    "path, role",
    [
        ("/g/{slug}/book/", "staff"),
        ("/g/{slug}/bookings/", "staff"),
        ("/g/{slug}/bookings/{booking}/", "coach"),
        ("/g/{slug}/bookings/{booking}/cancel/", "staff"),
        ("/g/{slug}/bookings/{booking}/reschedule/", "staff"),
        ("/g/{slug}/bookings/{office_booking}/reschedule/", "staff"),
        ("/g/{slug}/coaches/{coach}/book/", "staff"),
        ("/g/{slug}/office-hours/{occurrence}/", "lead"),
        ("/me/settings/", "staff"),
    ],
)
def test_booking_pages_keep_a_constant_query_count(world, client_for, path, role):
    url = path.format(
        slug=world.grantee.slug,
        booking=world.booking.pk,
        office_booking=world.office_booking.pk,
        coach=world.users["coach"].pk,
        occurrence=world.series.occurrences.order_by("starts_at")[1].pk,
    )
    assert_constant_queries(client_for(role), url, grow=grow_bookings(world))


def test_the_ta_admin_sets_the_programs_booking_policy(world, client_for):
    url = f"/p/{world.program.slug}/booking-settings/"
    client = client_for("ta_admin")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "booking_cancel_cutoff_hours": "48",
            "late_cancel_policy": "charge",
            "reminder_hours": "24, soon",
        },
    )
    assert bad.status_code == 422 and "separated by commas" in bad.content.decode()
    world.program.refresh_from_db()
    assert world.program.late_cancel_policy == "release"  # nothing half-saved
    good = client.post(
        url,
        {
            "booking_cancel_cutoff_hours": "48",
            "late_cancel_policy": "charge",
            "office_hours_draw_hours": "on",
            "reminder_hours": "48, 2",
        },
    )
    assert good.status_code == 302
    world.program.refresh_from_db()
    assert world.program.booking_cancel_cutoff_hours == 48
    assert world.program.reminder_hours_list == [48, 2]
    assert world.program.office_hours_draw_hours is True
    assert client_for("state").get(url).status_code == 403
    assert client_for("coach").get(url).status_code == 404

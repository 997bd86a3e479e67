"""The business rules of booking: one place per slot, holds on the hours, cancellation policy,
rescheduling, and turning a booked 1:1 into a recorded session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from icalendar import Calendar

from booking import calendar, services
from booking.models import Booking
from portal.services import ServiceError
from support_hours.models import HourAccount, LedgerEntry
from support_hours.services import hours_adjust
from tests.booking.helpers import book, free_slot, refreshed

pytestmark = pytest.mark.django_db


def account(world) -> HourAccount:
    return HourAccount.objects.get(grantee=world.grantee)


def test_a_1on1_holds_its_planned_length_on_the_hours(world):
    before = account(world)
    booking = book(world, key="hold-1")
    after = account(world)
    assert booking.minutes == 60
    assert after.held_minutes == before.held_minutes + 60
    assert after.available_minutes == before.available_minutes - 60
    assert booking.hold.kind == LedgerEntry.Kind.HOLD and booking.hold.minutes == -60


def test_the_same_form_submitted_twice_books_once(world):
    first = book(world, key="double")
    second = book(world, key="double")
    assert first.pk == second.pk
    assert Booking.objects.filter(idempotency_key="double").count() == 1


def test_a_booking_beyond_the_available_hours_is_refused_and_nothing_is_saved(world):
    available = account(world).available_minutes
    hours_adjust(
        actor=world.users["ta_admin"],
        grantee=world.grantee,
        minutes=-(available - 30),
        reason="Test: leave half an hour",
        key="leave-30",
    )
    count = Booking.objects.count()
    with pytest.raises(ServiceError) as error:
        book(world, key="too-much")
    assert error.value.code == "insufficient_hours"
    assert "needs 1 hour of" in error.value.messages[0]
    assert "only 0.5 hours available" in error.value.messages[0]
    assert Booking.objects.count() == count
    assert account(world).available_minutes == 30


def test_a_slot_is_taken_once(world):
    slot = free_slot(world)
    book(world, key="first", starts_at=slot.starts_at)
    with pytest.raises(services.SlotTaken):
        book(world, who="lead", key="second", starts_at=slot.starts_at)


def test_a_slot_within_the_buffer_of_another_booking_is_not_offered(world):
    slot = free_slot(world)
    book(world, key="first", starts_at=slot.starts_at)
    # The next hour starts exactly when the first ends: inside the 15-minute buffer.
    with pytest.raises(services.SlotTaken):
        book(world, who="lead", key="next", starts_at=slot.starts_at + timedelta(hours=1))


def test_only_the_grantees_matched_coach_can_be_booked(world):
    from django.http import Http404

    with pytest.raises(Http404):
        services.book_one_on_one(
            actor=world.users["staff"],
            grantee=world.grantee,
            coach=world.users["other_coach"],
            starts_at=free_slot(world).starts_at,
            note="x",
            key="wrong-coach",
        )


def test_only_the_grantees_people_can_book(world):
    with pytest.raises(PermissionDenied):
        book(world, who="other_staff", key="outsider")


def test_cancelling_before_the_cutoff_releases_the_hold(world):
    booking = book(world, key="c1")
    held = account(world).held_minutes
    services.booking_cancel(actor=world.users["staff"], booking=booking, reason="Clash")
    booking = refreshed(booking)
    assert booking.status == Booking.Status.CANCELLED
    assert account(world).held_minutes == held - 60
    assert LedgerEntry.objects.filter(corrects=booking.hold, kind="release").exists()


@pytest.mark.parametrize(
    "policy, used_delta, status",
    [("release", 0, Booking.Status.LATE_CANCELLED), ("charge", 60, Booking.Status.LATE_CANCELLED)],
)
def test_a_late_cancellation_follows_the_programs_policy(world, policy, used_delta, status):
    world.program.late_cancel_policy = policy
    world.program.save()
    booking = book(world, key=f"late-{policy}")
    before = account(world)
    two_hours_before = booking.starts_at - timedelta(hours=2)
    services.booking_cancel(
        actor=world.users["staff"], booking=booking, reason="Sick", now=two_hours_before
    )
    after = account(world)
    assert refreshed(booking).status == status
    assert after.held_minutes == before.held_minutes - 60
    assert after.used_minutes == before.used_minutes + used_delta


def test_a_coach_cancelling_late_never_costs_the_grantee_hours(world):
    world.program.late_cancel_policy = "charge"
    world.program.save()
    booking = book(world, key="coach-late")
    used = account(world).used_minutes
    services.booking_cancel(
        actor=world.users["coach"],
        booking=booking,
        reason="Coach ill",
        now=booking.starts_at - timedelta(hours=1),
    )
    assert refreshed(booking).status == Booking.Status.CANCELLED
    assert account(world).used_minutes == used


def test_a_colleague_who_did_not_book_cannot_cancel_but_the_lead_can(world):
    booking = book(world, key="lead-can", who="staff")
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory()
    MembershipFactory(user=colleague, grantee=world.grantee, role="staff")
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=colleague, booking=booking)
    services.booking_cancel(actor=world.users["lead"], booking=booking)
    assert refreshed(booking).status == Booking.Status.CANCELLED


def test_rescheduling_keeps_the_uid_bumps_the_sequence_and_moves_the_invite(world):
    booking = book(world, key="move")
    uid = booking.uid
    new_slot = free_slot(world, after=timezone.localdate() + timedelta(days=14))
    services.booking_reschedule(
        actor=world.users["staff"], booking=booking, starts_at=new_slot.starts_at
    )
    booking = refreshed(booking)
    assert booking.uid == uid and booking.sequence == 1
    assert booking.starts_at == new_slot.starts_at
    event = Calendar.from_ical(calendar.booking_invite(booking)).walk("VEVENT")[0]
    assert str(event["UID"]) == f"booking-{uid}@pathways-ta-portal"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == new_slot.starts_at


def test_rescheduling_after_the_cutoff_is_refused_for_the_grantee(world):
    booking = book(world, key="late-move")
    later = free_slot(world, after=timezone.localdate() + timedelta(days=20))
    with pytest.raises(ServiceError, match="can no longer be rescheduled"):
        services.booking_reschedule(
            actor=world.users["staff"],
            booking=booking,
            starts_at=later.starts_at,
            now=booking.starts_at - timedelta(hours=3),
        )


def test_recording_the_session_turns_the_hold_into_the_actual_debit(world):
    # Book a slot that has since happened: the clock at booking time is a week earlier.
    now = timezone.now() - timedelta(days=10)
    slot = free_slot(world, now=now, after=(now + timedelta(days=3)).date())
    booking = book(world, key="past", starts_at=slot.starts_at, now=now)
    before = account(world)
    from grantees.models import Topic

    session = services.booking_record_session(
        actor=world.users["coach"],
        booking=booking,
        key="record-past",
        data={
            "started_at": booking.starts_at,
            "minutes": 45,
            "mode": "virtual",
            "attendees": [world.users["staff"]],
            "topics": [Topic.objects.first()],
            "summary": "Worked through the MOU.",
        },
    )
    after = account(world)
    booking = refreshed(booking)
    assert booking.status == Booking.Status.COMPLETED and booking.session == session
    assert after.held_minutes == before.held_minutes - 60
    assert after.used_minutes == before.used_minutes + 45
    assert after.available_minutes == before.available_minutes + 60 - 45


def test_a_no_show_follows_the_policy(world):
    world.program.late_cancel_policy = "charge"
    world.program.save()
    now = timezone.now() - timedelta(days=10)
    slot = free_slot(world, now=now, after=(now + timedelta(days=3)).date())
    booking = book(world, key="noshow", starts_at=slot.starts_at, now=now)
    used = account(world).used_minutes
    services.booking_mark_no_show(actor=world.users["coach"], booking=booking)
    assert refreshed(booking).status == Booking.Status.NO_SHOW
    assert account(world).used_minutes == used + 60


# --- Office hours --------------------------------------------------------------------------------


def _office_occurrence(world, index: int = 1):
    return world.series.occurrences.order_by("starts_at")[index]


def test_office_hours_are_free_by_default(world):
    occurrence = _office_occurrence(world)
    held = account(world).held_minutes
    booking = services.book_office_hours(
        actor=world.users["lead"],
        grantee=world.grantee,
        occurrence=occurrence,
        starts_at=occurrence.starts_at,
        note="",
        key="oh-free",
    )
    assert booking.hold is None and account(world).held_minutes == held


def test_office_hours_can_draw_hours_when_the_program_says_so(world):
    world.program.office_hours_draw_hours = True
    world.program.save()
    occurrence = _office_occurrence(world)
    booking = services.book_office_hours(
        actor=world.users["lead"],
        grantee=world.grantee,
        occurrence=occurrence,
        starts_at=occurrence.starts_at + timedelta(minutes=30),
        note="",
        key="oh-draws",
    )
    assert booking.hold.minutes == -30


def test_an_office_hour_slot_is_taken_once_and_a_person_takes_one_place(world):
    occurrence = _office_occurrence(world)
    services.book_office_hours(
        actor=world.users["lead"],
        grantee=world.grantee,
        occurrence=occurrence,
        starts_at=occurrence.starts_at,
        note="",
        key="oh-1",
    )
    with pytest.raises(services.SlotTaken):
        services.book_office_hours(
            actor=world.users["other_staff"],
            grantee=world.other_grantee,
            occurrence=occurrence,
            starts_at=occurrence.starts_at,
            note="",
            key="oh-2",
        )
    with pytest.raises(ServiceError, match="already have a place"):
        services.book_office_hours(
            actor=world.users["lead"],
            grantee=world.grantee,
            occurrence=occurrence,
            starts_at=occurrence.starts_at + timedelta(minutes=30),
            note="",
            key="oh-3",
        )


def test_a_drop_in_takes_as_many_people_as_it_has_seats(world):
    from datetime import time

    from tests.factories import MembershipFactory, UserFactory

    series = services.office_hours_create(
        actor=world.users["ta_admin"],
        program=world.program,
        data={
            "title": "Drop-in",
            "frequency": "weekly",
            "weekday": 2,
            "starts_at": time(13),
            "ends_at": time(14),
            "first_date": timezone.localdate() + timedelta(days=2),
            "last_date": timezone.localdate() + timedelta(days=30),
            "format": "drop_in",
            "capacity": 2,
            "hosts": [world.users["coach"]],
        },
    )
    occurrence = series.occurrences.first()
    people = [world.users["staff"], world.users["lead"], UserFactory()]
    MembershipFactory(user=people[2], grantee=world.grantee)
    for i, person in enumerate(people[:2]):
        booking = services.book_office_hours(
            actor=person,
            grantee=world.grantee,
            occurrence=occurrence,
            starts_at=None,
            note="",
            key=f"seat-{i}",
        )
        assert booking.seat == i + 1
    with pytest.raises(services.SlotTaken, match="last seat"):
        services.book_office_hours(
            actor=people[2],
            grantee=world.grantee,
            occurrence=occurrence,
            starts_at=None,
            note="",
            key="seat-3",
        )

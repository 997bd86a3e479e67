"""The last slot under real concurrency: threads with their own PostgreSQL connections.

SQLite serialises every writer, so these prove nothing there; they run on PostgreSQL (CI).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone
from django_scopes import scope

from booking import services
from booking.models import Booking
from support_hours.models import HourAccount
from tests.booking.helpers import free_slot
from tests.concurrency import run_in_parallel
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_50_parallel_attempts_at_one_1on1_slot_make_exactly_one_booking(world):
    slot = free_slot(world)
    held_before = HourAccount.objects.get(grantee=world.grantee).held_minutes

    def attempt(i):
        try:
            with scope(grantee=[world.grantee.pk]):  # what the request's middleware sets
                services.book_one_on_one(
                    actor=world.users["staff"],
                    grantee=world.grantee,
                    coach=world.users["coach"],
                    starts_at=slot.starts_at,
                    note="Race",
                    key=f"race-{i}",
                )
            return "booked"
        except services.SlotTaken:
            return "taken"

    outcomes = run_in_parallel(50, attempt)

    assert outcomes.count("booked") == 1
    assert outcomes.count("taken") == 49
    assert Booking.objects.filter(starts_at=slot.starts_at, status="booked").count() == 1
    # Exactly one hold was placed: the refused attempts rolled back completely.
    assert HourAccount.objects.get(grantee=world.grantee).held_minutes == held_before + 60


def test_50_parallel_attempts_at_one_office_hour_slot_make_exactly_one_booking(world):
    occurrence = world.series.occurrences.order_by("starts_at")[1]
    people = [UserFactory() for _ in range(50)]
    for person in people:
        MembershipFactory(user=person, grantee=world.grantee)

    def attempt(i):
        try:
            with scope(grantee=[world.grantee.pk]):
                services.book_office_hours(
                    actor=people[i],
                    grantee=world.grantee,
                    occurrence=occurrence,
                    starts_at=occurrence.starts_at,
                    note="",
                    key=f"oh-race-{i}",
                )
            return "booked"
        except services.SlotTaken:
            return "taken"

    outcomes = run_in_parallel(50, attempt)

    assert outcomes.count("booked") == 1
    assert outcomes.count("taken") == 49


def test_the_database_refuses_overlapping_1on1s_of_one_coach_even_without_the_lock(world):
    """The exclusion constraint is the backstop: two live ranges of one coach may not overlap."""
    booking = world.booking
    clash = Booking(
        grantee=world.grantee,
        booked_by=world.users["lead"],
        kind=Booking.Kind.ONE_ON_ONE,
        coach=world.users["coach"],
        starts_at=booking.starts_at + timedelta(minutes=30),
        ends_at=booking.ends_at + timedelta(minutes=30),
        idempotency_key="raw-clash",
        created_at=timezone.now(),
    )
    with pytest.raises(IntegrityError, match="booking_coach_no_overlap"):
        clash.save()
    assert connection.vendor == "postgresql"

"""Registration rules: seats, the per-grantee cap, the waiting list and its promotion order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events import services
from events.models import Registration
from portal.models import Notification
from portal.services import ServiceError
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(world, grantee=None):
    return MembershipFactory(grantee=grantee or world.grantee, role="staff").user


def register(world, person, *, grantee=None, key=None):
    grantee = grantee or world.grantee
    return services.registration_create(
        actor=person,
        grantee=grantee,
        event=world.event,
        person=person,
        needs="",
        key=key or f"r-{person.pk}",
    )


def test_a_seat_while_there_is_one_then_the_waiting_list_in_order(world):
    # The world's webinar: 3 seats, 2 per grantee; A and B each hold one.
    third = register(world, world.users["lead"])
    assert third.status == "confirmed" and third.seat == 3
    late = [
        register(world, member(world, world.other_grantee), grantee=world.other_grantee)
        for _ in range(2)
    ]
    assert [r.status for r in late] == ["waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in late] == [1, 2]


def test_the_per_grantee_cap_sends_a_third_colleague_to_the_waiting_list(world):
    world.event.capacity = 10
    world.event.save()
    second = register(world, world.users["lead"])
    third = register(world, member(world))
    assert second.status == "confirmed"
    assert third.status == "waitlisted"  # A already has 2 of its 2 seats


def test_a_person_is_never_registered_twice(world):
    with pytest.raises(ServiceError, match="already registered"):
        register(world, world.users["staff"], key="again")


def test_a_cancelled_seat_goes_to_the_first_person_waiting_and_they_are_told(world):
    register(world, world.users["lead"])  # the last seat
    waiting_b = register(world, member(world, world.other_grantee), grantee=world.other_grantee)
    waiting_b2 = register(world, member(world, world.other_grantee), grantee=world.other_grantee)
    promoted = services.registration_cancel(
        actor=world.users["staff"], registration=world.registration
    )
    assert [r.pk for r in promoted] == [waiting_b.pk]
    waiting_b.refresh_from_db()
    waiting_b2.refresh_from_db()
    assert waiting_b.status == "confirmed" and waiting_b.seat == world.registration.seat
    assert waiting_b.waitlist_position is None and waiting_b.promoted_at is not None
    assert waiting_b2.status == "waitlisted" and waiting_b2.waitlist_position == 2
    assert Notification.objects.filter(
        kind="registration-promoted", recipient=waiting_b.person
    ).exists()


def test_promotion_skips_a_grantee_at_its_cap_but_keeps_its_place(world):
    register(world, world.users["lead"])  # A: 2 of 2 (its cap); seats full
    first_waiting = register(world, member(world))  # A again: waits, A is capped
    b_waiting = register(world, member(world, world.other_grantee), grantee=world.other_grantee)
    # B's person cancels: the freed seat cannot go to A (at its cap), so B's waiter gets it.
    promoted = services.registration_cancel(
        actor=world.users["other_staff"], registration=world.other_registration
    )
    assert [r.pk for r in promoted] == [b_waiting.pk]
    first_waiting.refresh_from_db()
    assert first_waiting.status == "waitlisted" and first_waiting.waitlist_position == 1
    # A's own cancellation then frees a seat A may fill: its waiter is promoted.
    promoted = services.registration_cancel(
        actor=world.users["lead"],
        registration=Registration.objects.get(person=world.users["lead"], event=world.event),
    )
    assert [r.pk for r in promoted] == [first_waiting.pk]


def test_leaving_the_waiting_list_promotes_nobody(world):
    register(world, world.users["lead"])
    waiting = register(world, member(world, world.other_grantee), grantee=world.other_grantee)
    assert services.registration_cancel(actor=waiting.person, registration=waiting) == []
    waiting.refresh_from_db()
    assert waiting.status == "cancelled" and waiting.waitlist_position is None


def test_a_lead_registers_a_colleague_but_staff_only_themselves(world):
    colleague = member(world)
    registration = services.registration_create(
        actor=world.users["lead"],
        grantee=world.grantee,
        event=world.event,
        person=colleague,
        needs="Gluten-free",
        key="lead-for-colleague",
    )
    assert registration.registered_by == world.users["lead"]
    with pytest.raises(PermissionDenied):
        services.registration_create(
            actor=world.users["staff"],
            grantee=world.grantee,
            event=world.event,
            person=member(world),
            needs="",
            key="staff-for-colleague",
        )
    with pytest.raises(ServiceError, match="on your team"):
        services.registration_create(
            actor=world.users["lead"],
            grantee=world.grantee,
            event=world.event,
            person=UserFactory(),
            needs="",
            key="lead-for-stranger",
        )


def test_only_the_person_their_lead_or_a_ta_admin_may_cancel(world):
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=member(world), registration=world.registration)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(
            actor=world.users["other_staff"], registration=world.registration
        )
    services.registration_cancel(actor=world.users["lead"], registration=world.registration)


def test_registration_closes_on_time(world):
    world.event.registration_closes_at = timezone.now() - timedelta(minutes=1)
    world.event.registration_opens_at = timezone.now() - timedelta(days=2)
    world.event.save()
    with pytest.raises(ServiceError, match="closed"):
        register(world, world.users["lead"])


def test_bad_events_are_refused_with_field_messages(world):
    start = timezone.now() + timedelta(days=30)
    base = {
        "kind": "regional_training",
        "title": "Bay Area regional training",
        "format": "in_person",
        "venue": "",
        "starts_at": start,
        "ends_at": start + timedelta(hours=6),
        "capacity": 40,
        "per_grantee_cap": 50,
        "registration_opens_at": timezone.now(),
        "registration_closes_at": start - timedelta(days=1),
    }
    with pytest.raises(ServiceError) as error:
        services.event_create(actor=world.users["ta_admin"], program=world.program, data=base)
    assert error.value.field == "venue"
    with pytest.raises(ServiceError) as error:
        services.event_create(
            actor=world.users["ta_admin"], program=world.program, data={**base, "venue": "Hall"}
        )
    assert error.value.field == "per_grantee_cap"
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=world.users["coach"],
            program=world.program,
            data={**base, "venue": "Hall", "per_grantee_cap": 4},
        )

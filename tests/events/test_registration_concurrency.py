"""The last seat under real concurrency: threads with their own PostgreSQL connections."""

from __future__ import annotations

import pytest
from django_scopes import scope

from events import services
from events.models import Registration
from tests.concurrency import run_in_parallel
from tests.factories import GranteeFactory, MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_50_parallel_registrations_for_the_last_seat_confirm_exactly_one(world):
    event = world.event
    event.capacity = 3  # A and B hold 2; one seat is left
    event.per_grantee_cap = None
    event.save()
    grantees = [GranteeFactory(program=world.program) for _ in range(50)]
    people = [MembershipFactory(grantee=g).user for g in grantees]

    def attempt(i):
        with scope(grantee=[grantees[i].pk]):
            return services.registration_create(
                actor=people[i],
                grantee=grantees[i],
                event=event,
                person=people[i],
                needs="",
                key=f"race-{i}",
            ).status

    outcomes = run_in_parallel(50, attempt)

    assert outcomes.count("confirmed") == 1
    assert outcomes.count("waitlisted") == 49
    waiting = Registration.objects.filter(event=event, status="waitlisted").order_by(
        "waitlist_position"
    )
    # Arrival order (the order the event lock was granted): positions 1..49, no gaps, no repeats.
    assert [r.waitlist_position for r in waiting] == list(range(1, 50))
    assert [r.created_at for r in waiting] == sorted(r.created_at for r in waiting)
    assert Registration.objects.filter(event=event, status="confirmed").count() == 3

"""Shared set-up for event tests."""

from __future__ import annotations

from events import services
from tests.factories import MembershipFactory


def fill_last_seat_and_wait(world):
    """The world's webinar has 3 seats and A's and B's staff hold two: A's lead takes the last
    one and a new person of B joins the waiting list. Returns that waiting registration."""
    services.registration_create(
        actor=world.users["lead"],
        grantee=world.grantee,
        event=world.event,
        person=world.users["lead"],
        needs="",
        key="fill-last-seat",
    )
    waiting_person = MembershipFactory(grantee=world.other_grantee).user
    return services.registration_create(
        actor=waiting_person,
        grantee=world.other_grantee,
        event=world.event,
        person=waiting_person,
        needs="",
        key="join-waiting-list",
    )

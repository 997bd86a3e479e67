"""The compare-and-set stage move under real concurrency (threads with their own PostgreSQL
connections; SQLite serialises every writer, so this proves nothing there)."""

from __future__ import annotations

import pytest
from django_scopes import scope

from partners import services
from partners.models import StageChange
from portal.services import ServiceError
from tests.concurrency import run_in_parallel
from tests.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_moves_from_the_same_stage_yield_one():
    """Ten people press "Forward" on the same card at once: one move is made, nine are told
    someone else moved it."""
    world = build_world()
    lead = world.users["lead"]

    def move(i):
        with scope(grantee=[world.grantee.pk]):  # as the request's middleware would
            try:
                services.partner_move(
                    actor=lead, partner=world.partner, seen="engaged", to="committed"
                )
            except ServiceError as error:
                return error.code
        return "moved"

    results = run_in_parallel(10, move)
    assert sorted(results) == ["moved"] + ["stale"] * 9
    assert StageChange.objects.filter(partner=world.partner).count() == 1

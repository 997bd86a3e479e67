"""Freezing a draft under real concurrency: many submits of "start version 2" at once, each on its
own PostgreSQL connection. One wins; the others are told the draft moved on; one open draft."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from pathways import services
from pathways.models import PathwayStep, PathwayVersion
from portal.services import ServiceError
from tests.concurrency import run_in_parallel
from tests.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_double_submit_storm_makes_one_new_draft():
    world = build_world()
    members = [world.users["lead"], world.users["staff"]]

    def submit(i):
        with scopes_disabled():  # as in a request, which the tenant middleware scopes
            try:
                version = services.version_new(
                    actor=members[i % 2],
                    concept=world.pathway,
                    from_number=1,
                    change_note=f"Submit {i}",
                )
            except ServiceError as error:
                return error.code
            return version.number

    outcomes = run_in_parallel(20, submit)
    assert sorted(outcomes, key=str) == [2] + ["stale"] * 19
    versions = PathwayVersion.objects.filter(concept=world.pathway).order_by("number")
    assert [(v.number, v.is_draft) for v in versions] == [(1, False), (2, True)]
    keys = lambda number: list(  # noqa: E731
        PathwayStep.objects.filter(version__concept=world.pathway, version__number=number)
        .order_by("position")
        .values_list("key", flat=True)
    )
    assert keys(2) == keys(1) and len(keys(1)) == 2


def test_racing_submits_that_each_saw_a_different_draft_still_leave_one_open_draft():
    """Without the person's version number to compare (every racer claims the current draft),
    the concept lock still serializes them: each freezes the one before, never two drafts."""
    world = build_world()
    lead = world.users["lead"]

    def submit(i):
        with scopes_disabled():
            for _attempt in range(30):
                draft = PathwayVersion.objects.get(concept=world.pathway, frozen_at__isnull=True)
                try:
                    return services.version_new(
                        actor=lead,
                        concept=world.pathway,
                        from_number=draft.number,
                        change_note=f"Racer {i}",
                    ).number
                except ServiceError:
                    continue  # another racer froze it first: look again
            return None

    numbers = run_in_parallel(8, submit)
    assert sorted(numbers) == list(range(2, 10))
    assert PathwayVersion.objects.filter(concept=world.pathway, frozen_at__isnull=True).count() == 1
    assert PathwayVersion.objects.filter(concept=world.pathway).count() == 9

"""Autosave under real concurrency: editors racing on one field, each on its own PostgreSQL
connection. One save wins; every other one is told it conflicts, with the winner's text."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from assessments import services
from assessments.models import Answer, Assessment, Item
from tests.concurrency import run_in_parallel
from tests.world import build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(world, field: str, values: list[str], roles=("coach", "ta_admin")):
    editors = [world.users[role] for role in roles]

    def save(i):
        with scopes_disabled():  # as in a request, which the tenant middleware scopes
            return services.assessment_save_field(
                actor=editors[i % len(editors)],
                assessment=world.assessment_draft,
                field=field,
                value=values[i],
                was="",
            )

    return run_in_parallel(len(values), save)


def test_twenty_editors_on_one_narrative_field_one_wins():
    world = build_world()
    values = [f"Strategy {i}" for i in range(20)]
    outcomes = race(world, "system_capacity", values)
    saved = [o for o in outcomes if o.saved]
    assert len(saved) == 1
    stored = Assessment.objects.get(pk=world.assessment_draft.pk).system_capacity
    assert stored == saved[0].current
    assert all(o.current == stored for o in outcomes if not o.saved)


def test_first_answers_to_one_item_race_into_one_row():
    world = build_world()
    # The grantee has not answered this item yet: the racers all create its first answer.
    item = Item.objects.filter(domain__version=world.instrument_version).last()
    assert not Answer.objects.filter(
        assessment=world.assessment_draft, item=item, source="grantee"
    ).exists()
    values = [f"Comment {i}" for i in range(20)]
    outcomes = race(world, f"grantee:{item.pk}:evidence", values, roles=("staff", "lead"))
    assert sum(o.saved for o in outcomes) == 1
    answers = Answer.objects.filter(assessment=world.assessment_draft, item=item, source="grantee")
    assert answers.count() == 1

"""Query budgets: every partner page runs the same number of queries at 1× and 10× data."""

from __future__ import annotations

import itertools

import pytest

from partners.models import Commitment, Partner, StageChange
from tests.budget import assert_constant_queries

pytestmark = pytest.mark.django_db

_counter = itertools.count()


def grower(world):
    """n more partners of every type and stage, each with commitments and a stage history; the
    world's own partner gains commitments and moves too (its page lists them)."""

    def grow(n):
        lead = world.users["lead"]
        for _ in range(n):
            for kind in Partner.Kind.values:
                i = next(_counter)
                stage = Partner.Stage.values[i % 5]
                partner = Partner.objects.create(
                    grantee=world.grantee,
                    name=f"Partner {i}",
                    kind=kind,
                    stage=stage,
                    contact_name=f"Contact {i}",
                    created_by=lead,
                )
                StageChange.objects.create(
                    grantee=world.grantee, partner=partner, to_stage=stage, changed_by=lead
                )
                for commitment_kind in ("wbl_slots", "hiring"):
                    Commitment.objects.create(
                        grantee=world.grantee,
                        partner=partner,
                        kind=commitment_kind,
                        quantity=2,
                        status="confirmed",
                    )
            Commitment.objects.create(
                grantee=world.grantee, partner=world.partner, kind="interviews", quantity=3
            )
            StageChange.objects.create(
                grantee=world.grantee,
                partner=world.partner,
                from_stage="contacted",
                to_stage="engaged",
                changed_by=lead,
            )

    return grow


@pytest.mark.parametrize("role", ["lead", "state"])
@pytest.mark.parametrize(
    "page", ["", "?kind=employer&stage=engaged", "{partner}/", "map/", "pipeline/"]
)
def test_partner_pages_keep_their_query_count(world, client_for, role, page):
    path = f"/g/{world.grantee.slug}/partners/" + page.format(partner=world.partner.pk)
    assert_constant_queries(client_for(role), path, grow=grower(world))


def test_forms_keep_their_query_count(world, client_for):
    client = client_for("staff")
    slug = world.grantee.slug
    for path in (
        f"/g/{slug}/partners/new/",
        f"/g/{slug}/partners/{world.partner.pk}/edit/",
        f"/g/{slug}/partners/{world.partner.pk}/commitments/new/",
        f"/g/{slug}/commitments/{world.commitment.pk}/edit/",
    ):
        assert_constant_queries(client, path, grow=grower(world))

"""The demo partners: every demo grantee gets a varied, consistent set."""

from __future__ import annotations

import pytest
from django.db.models import F

from grantees.management.commands.seed_demo import GRANTEES
from grantees.models import Grantee, Region
from grantees.reference_data import load_reference_data
from partners.demo import seed_partners_demo
from partners.models import Commitment, Partner, StageChange
from tests.factories import MembershipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_demo_grantee_gets_a_varied_consistent_set():
    load_reference_data()
    program = ProgramFactory(slug="demo-program")
    regions = {r.slug: r for r in Region.objects.all()}
    grantees = [
        Grantee.objects.create(program=program, slug=slug, name=name, region=regions[region])
        for slug, name, region, *_rest in GRANTEES
    ]
    lead = UserFactory()
    MembershipFactory(user=lead, grantee=grantees[0], role="lead")

    added = seed_partners_demo(program=program)

    assert added == Partner.objects.filter(grantee__program=program).count() >= 8 * len(grantees)
    for grantee in grantees:
        partners = list(Partner.objects.filter(grantee=grantee).prefetch_related("stage_changes"))
        kinds = {p.kind for p in partners}
        stages = {p.stage for p in partners}
        assert {"adult_school", "employer"} <= kinds and len(kinds) >= 4, grantee.slug
        assert len(stages) >= 4, grantee.slug
        assert sum(p.kind == "employer" for p in partners) >= 4
        assert Commitment.objects.filter(grantee=grantee).exists()
        for partner in partners:
            history = sorted(partner.stage_changes.all(), key=lambda c: c.changed_at)
            # One entry per stage reached, the last one the partner's stage and its date.
            assert [c.to_stage for c in history] == Partner.Stage.values[: partner.stage_index + 1]
            assert history[0].from_stage == ""
            assert abs((history[-1].changed_at - partner.stage_changed_at).total_seconds()) < 5
            assert partner.created_at <= partner.stage_changed_at
    harbor = Partner.objects.filter(grantee=grantees[0])
    assert harbor.filter(created_by=lead).count() == harbor.count()
    assert set(harbor.values_list("kind", flat=True)) == set(Partner.Kind.values)
    # Commitments that need a number have one, and every history row is the grantee's own.
    assert not Commitment.objects.filter(
        kind__in=["wbl_slots", "interviews", "hiring"], quantity__isnull=True
    ).exists()
    assert not StageChange.objects.exclude(grantee=F("partner__grantee")).exists()

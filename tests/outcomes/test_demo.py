"""Demo outcomes: five calendar quarters for every grantee, valid by the form's rules, growing,
and seeded once."""

from __future__ import annotations

import datetime

import pytest

from outcomes import rules
from outcomes.demo import seed_outcomes_demo
from outcomes.models import COUNT_FIELDS, QuarterlyOutcome
from tests.factories import GranteeFactory, MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_every_grantee_gets_five_growing_valid_quarters(client):
    program = ProgramFactory(slug="demo-like")
    grantees = [
        GranteeFactory(program=program, slug=s)
        for s in ("harbor-bay", "golden-foothills", "redwood-coast")
    ]
    member = MembershipFactory(grantee=grantees[0], role="lead").user
    GranteeFactory(program=ProgramFactory(slug="elsewhere"))  # another program: left alone
    assert seed_outcomes_demo(program=program) == 15
    assert QuarterlyOutcome.objects.count() == 15
    for grantee in grantees:
        rows = list(QuarterlyOutcome.objects.filter(grantee=grantee).order_by("quarter_start"))
        assert [r.quarter_start for r in rows] == [
            D(2025, 7, 1),
            D(2025, 10, 1),
            D(2026, 1, 1),
            D(2026, 4, 1),
            D(2026, 7, 1),
        ]
        for row in rows:
            numbers = {name: getattr(row, name) for name in COUNT_FIELDS}
            assert rules.check({**numbers, "median_wage_cents": row.median_wage_cents}) == []
            assert row.enrolled >= 14 and row.level_not_recorded <= 2
        enrolled = [r.enrolled for r in rows]
        assert enrolled == sorted(enrolled) and enrolled[-1] > enrolled[0]
        employed = [r.employed_healthcare for r in rows]
        assert employed[-1] > employed[0]
        wages = [r.median_wage_cents for r in rows]
        assert all(w and 1500 <= w <= 3000 for w in wages) and wages == sorted(wages)
    assert {r.submitted_by for r in QuarterlyOutcome.objects.filter(grantee=grantees[0])} == {
        member
    }
    assert seed_outcomes_demo(program=program) == 0  # once

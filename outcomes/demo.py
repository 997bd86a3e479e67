"""Demo learner outcomes: five calendar quarters (Jul–Sep 2025 to Jul–Sep 2026) for every
grantee of the demo program, growing cohort by cohort, each quarter checked by the same rules as
the form. Call seed_outcomes_demo(program=program) from the demo seeding (after the grantees and
their members exist)."""

from __future__ import annotations

import datetime
import random

from grantees.models import Grantee, Membership, Program
from outcomes import rules
from outcomes.models import QuarterlyOutcome

FIRST_QUARTER = datetime.date(2025, 7, 1)
QUARTERS = 5
# NRS ESL levels 1–6 at entry: healthcare bridges and IETs draw mostly intermediate learners.
LEVEL_MIX = (0.04, 0.10, 0.22, 0.30, 0.22, 0.08)
NOTES = {
    0: "First bridge cohort; CASAS pre-tests for everyone.",
    2: "Second cohort started; clinical partner added evening placements.",
    4: "Largest cohort yet; employment counts for earlier cohorts updated from follow-up calls.",
}


def _quarter(index: int) -> datetime.date:
    month = FIRST_QUARTER.month - 1 + 3 * index
    return datetime.date(FIRST_QUARTER.year + month // 12, month % 12 + 1, 1)


def quarter_values(seed: str, index: int) -> dict:
    """One grantee's quarter `index` (0 = Jul–Sep 2025): cohorts and outcomes that grow."""
    rng = random.Random(f"{seed}:{index}")
    base = random.Random(seed).randint(14, 30)
    enrolled = round(base * (1 + 0.16 * index)) + rng.randint(0, 3)
    levels = [int(enrolled * share) for share in LEVEL_MIX]
    unrecorded = rng.randint(0, 2) if index < 2 else rng.randint(0, 1)
    while sum(levels) > enrolled - unrecorded:
        levels[3] -= 1
    levels[3] += max(enrolled - unrecorded - sum(levels), 0)
    growth = min(index * 0.04, 0.16)
    employed = round(enrolled * (0.12 + growth + rng.uniform(0, 0.06)))
    wage_base = random.Random(seed).uniform(18.5, 23.5)
    values = {
        "enrolled": enrolled,
        **{f"enrolled_esl_{n}": count for n, count in enumerate(levels, start=1)},
        "skill_gains": round(enrolled * (0.50 + growth / 2 + rng.uniform(0, 0.08))),
        "completed_bridge_iet": round(enrolled * (0.42 + growth + rng.uniform(0, 0.08))),
        "credentials_earned": round(enrolled * (0.28 + growth + rng.uniform(0, 0.06))),
        "placed_wbl": round(enrolled * (0.36 + growth + rng.uniform(0, 0.08))),
        "employed_healthcare": employed,
        "median_wage_cents": round((wage_base + 0.35 * index) * 100) if employed else None,
    }
    errors = rules.check(values)
    assert not errors, (seed, index, errors)
    return values


def seed_outcomes_demo(*, program: Program) -> int:
    """Five quarters of outcomes for each active grantee of the program (skips quarters already
    there, so running it twice changes nothing). Returns how many quarters it wrote."""
    leads = {
        m.grantee_id: m.user
        for m in Membership.objects.filter(grantee__program=program).select_related("user")
    }
    written = 0
    for grantee in Grantee.objects.filter(program=program, is_active=True).order_by("pk"):
        have = set(
            QuarterlyOutcome.objects.filter(grantee=grantee).values_list("quarter_start", flat=True)
        )
        for index in range(QUARTERS):
            quarter = _quarter(index)
            if quarter in have:
                continue
            QuarterlyOutcome.objects.create(
                grantee=grantee,
                quarter_start=quarter,
                notes=NOTES.get(index, ""),
                submitted_by=leads.get(grantee.pk),
                **quarter_values(grantee.slug, index),
            )
            written += 1
    return written

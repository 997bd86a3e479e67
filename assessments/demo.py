"""Demo assessments: a finalized baseline for every demo grantee (with the grantee's
self-assessment), a finalized midpoint for two of them, and a midpoint interview in progress."""

from __future__ import annotations

import random
from datetime import date, timedelta

from assessments import selectors, services
from assessments.instrument_data import load_standard_instrument
from assessments.models import Assessment, Goal, Item
from grantees.models import CoachAssignment, Grantee, Membership, Program
from support_hours.models import CoachingSession

ACTIONS = {
    "partnership": ["Draft the consortium MOU with roles", "Invite the WDB to the steering group"],
    "labor-market": [
        "Pull regional LMI for CNA and MA",
        "Ask two employers to commit to interviews",
    ],
    "pathway-design": ["Map the VESL → CNA → LVN sequence", "Meet the college on articulation"],
    "integrated-instruction": ["Schedule paid co-planning time", "Observe an I-BEST class"],
    "navigation": ["Write the navigator's intake checklist", "Add a healthcare orientation"],
    "supports": ["List childcare and transport resources", "Budget exam-fee vouchers"],
    "work-based-learning": ["Sign a second clinical-site agreement", "Brief site supervisors"],
    "data-outcomes": ["Agree shared metrics with the college", "Set up a termly data review"],
}
STATUSES = [Goal.Status.IN_PROGRESS, Goal.Status.NOT_STARTED, Goal.Status.DONE]

EVIDENCE = {
    1: "Adult school and college meet monthly; the WDB joined the last two meetings.",
    2: "Regional LMI pulled once last spring; two hospital HR contacts consulted informally.",
    3: "A VESL bridge into CNA runs; the map to LVN is drafted but articulation is informal.",
    4: "ESL and CNA instructors share a planning hour every other week; not yet paid time.",
    5: "A part-time navigator advises learners; CASAS placement at intake.",
    6: "Scrubs and exam fees covered from CAEP; no childcare or transportation help yet.",
    7: "Clinical slots are negotiated cohort by cohort with one skilled-nursing facility.",
    8: "TOPSpro gains tracked; completions in a spreadsheet; no employment follow-up.",
}
NARRATIVE = {
    "regional_strategy": "The consortium wants one regional pathway into direct-care jobs, "
    "starting with CNA and medical assistant, with the college's allied-health programs as "
    "the next step.",
    "implementation_challenges": "Clinical placements depend on one facility; ESL instructors "
    "have no paid time to co-plan; learners stop out over childcare and shift work.",
    "system_capacity": "Strong adult-school ESL program and a committed dean; data systems "
    "do not talk to each other, and the navigator role is half-time.",
}


def _answer_all(*, assessment: Assessment, actor, source: str, levels: dict[int, int]) -> None:
    for item in Item.objects.filter(domain__version=assessment.version).select_related("domain"):
        position = item.domain.position
        services.assessment_save_field(
            actor=actor,
            assessment=assessment,
            field=f"{source}:{item.pk}:level",
            value=str(levels[position]),
            was="",
        )
        if source == "coach":
            services.assessment_save_field(
                actor=actor,
                assessment=assessment,
                field=f"coach:{item.pk}:evidence",
                value=EVIDENCE[position],
                was="",
            )
        elif levels[position] <= 2 and position % 2:
            services.assessment_save_field(
                actor=actor,
                assessment=assessment,
                field=f"grantee:{item.pk}:flagged",
                value="on",
                was="",
            )


def _narrate(assessment: Assessment, coach) -> None:
    for name, text in NARRATIVE.items():
        services.assessment_save_field(
            actor=coach, assessment=assessment, field=name, value=text, was=""
        )
    services.assessment_save_field(
        actor=coach,
        assessment=assessment,
        field="internal_notes",
        value="Lead is new in the role; pace the plan gently.",
        was="",
    )


def seed_assessment_demo(*, program: Program) -> None:
    version = load_standard_instrument()
    rng = random.Random(2026)
    coaches = {
        a.grantee_id: a.coach
        for a in CoachAssignment.objects.filter(grantee__program=program).select_related("coach")
    }
    members = {}
    for membership in Membership.objects.filter(grantee__program=program).order_by("role"):
        members.setdefault(membership.grantee_id, membership.user)
    for index, grantee in enumerate(Grantee.objects.filter(program=program).order_by("slug")):
        coach = coaches.get(grantee.pk)
        if coach is None:
            continue
        baseline_levels = {n: rng.choice([1, 1, 2, 2, 2, 3]) for n in range(1, 9)}
        baseline = services.assessment_start(
            actor=coach,
            grantee=grantee,
            kind=Assessment.Kind.BASELINE,
            version=version,
            interview_on=date(2026, 8, 18 + index),
        )
        if grantee.pk in members:
            self_levels = {
                n: min(4, level + rng.choice([0, 0, 1])) for n, level in baseline_levels.items()
            }
            _answer_all(
                assessment=baseline,
                actor=members[grantee.pk],
                source="grantee",
                levels=self_levels,
            )
        _answer_all(assessment=baseline, actor=coach, source="coach", levels=baseline_levels)
        _narrate(baseline, coach)
        services.assessment_finalize(actor=coach, assessment=baseline)
        _plan(baseline, coach, members.get(grantee.pk))
        if index % 3 == 2:
            continue
        midpoint_levels = {
            n: min(4, level + rng.choice([0, 1, 1])) for n, level in baseline_levels.items()
        }
        midpoint = services.assessment_start(
            actor=coach,
            grantee=grantee,
            kind=Assessment.Kind.MIDPOINT,
            version=version,
            interview_on=date(2026, 11, 10 + index),
        )
        if index % 3 == 1:
            # Left in progress: a few domains rated, the rest for the interview.
            partial = {n: midpoint_levels[n] for n in range(1, 4)}
            for item in Item.objects.filter(
                domain__version=version, domain__position__in=partial
            ).select_related("domain"):
                services.assessment_save_field(
                    actor=coach,
                    assessment=midpoint,
                    field=f"coach:{item.pk}:level",
                    value=str(partial[item.domain.position]),
                    was="",
                )
            continue
        _answer_all(assessment=midpoint, actor=coach, source="coach", levels=midpoint_levels)
        _narrate(midpoint, coach)
        services.assessment_finalize(actor=coach, assessment=midpoint)


def _plan(assessment: Assessment, coach, lead) -> None:
    """A plan from the proposed priorities, goals in various states, some actions done, and the
    grantee's latest sessions recorded against the first goal."""
    proposed = [p.domain for p in selectors.propose_priorities(assessment) if p.proposed][:4]
    plan = services.plan_create(actor=coach, assessment=assessment, domains=proposed)
    for number, goal in enumerate(plan.goals.select_related("domain")):
        services.goal_save(
            actor=coach,
            plan=plan,
            goal=goal,
            data={
                "owner": lead if number % 2 == 0 else coach,
                "due_on": assessment.interview_on + timedelta(days=90 + 30 * number),
                "status": STATUSES[number % len(STATUSES)],
            },
        )
        for step, text in enumerate(ACTIONS.get(goal.domain.key, [])):
            action = services.goal_action_add(
                actor=coach,
                goal=goal,
                data={
                    "description": text,
                    "owner": lead if step == 0 else coach,
                    "due_on": assessment.interview_on + timedelta(days=45 * (step + 1)),
                },
            )
            if goal.status == Goal.Status.DONE or (step == 0 and number == 0):
                services.goal_action_set_done(actor=coach, action=action, done=True)
    first = plan.goals.order_by("position").first()
    recent = CoachingSession.objects.filter(grantee=assessment.grantee).order_by("-started_at")
    CoachingSession.objects.filter(pk__in=list(recent.values_list("pk", flat=True)[:2])).update(
        plan_goal=first
    )

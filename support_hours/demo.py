"""Demo data for support hours: allocations, months of sessions, a few open requests.

Called by `manage.py seed_demo`. Everything goes through the real services, so the demo ledger
obeys the same rules as production. Deterministic (fixed random seed) so screenshots are stable.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from grantees.models import Grantee, Membership, Program, Topic, User
from portal.models import Notification
from support_hours import services
from support_hours.ledger import ledger_post
from support_hours.models import CoachingSession, HourAccount, LedgerEntry

# What coaches and grantees actually work on (needs-assessment domains, ../shared/data/).
SESSION_THEMES = [
    (
        "Integrated Education and Training (IET)",
        "Walked through the federal IET definition against the CNA course outline; agreed which "
        "learning outcomes the ESL and CNA instructors will share.",
        "Draft a single set of learning outcomes for the CNA IET.",
    ),
    (
        "Contextualized ESL / VESL instruction",
        "Reviewed two VESL lesson plans built on patient-intake vocabulary and planned paired "
        "teaching time with the phlebotomy instructor.",
        "Pilot the intake-vocabulary unit with the evening cohort.",
    ),
    (
        "Work-based learning & clinical placements",
        "Mapped clinical slots per cohort against the two hospital agreements; identified a "
        "gap of eight slots for the spring LVN cohort.",
        "Ask the skilled-nursing partner about four more clinical slots.",
    ),
    (
        "Labor-market data & priority occupations",
        "Pulled COE and EDD data for medical assistants and pharmacy technicians in the region "
        "and compared entry wages with the living wage.",
        "Share the LMI summary with the advisory committee.",
    ),
    (
        "Partnership, governance & sustainability",
        "Worked on the MOU between the adult school and the college: roles, data sharing and "
        "who convenes the advisory committee.",
        "Circulate the MOU draft to both deans.",
    ),
    (
        "Data, outcomes & continuous improvement",
        "Set up a shared tracker for CASAS gains, credential attainment and Q2 employment; "
        "agreed who enters data each term.",
        "Enter fall cohort data in the shared tracker.",
    ),
    (
        "Outreach, intake & navigation",
        "Redesigned intake so background-check and immunization requirements are explained in "
        "Spanish and Vietnamese before enrollment.",
        "Translate the clinical-eligibility checklist.",
    ),
    (
        "Employer engagement",
        "Prepared the ask for two employers: interview guarantees for completers and a "
        "guest-speaker slot in week three.",
        "Send the employer one-pager.",
    ),
]

# How busy each demo grantee is: sessions per month and their usual length (minutes).
PACE = {
    "pacific-gateway": (8, (150, 180, 240)),  # close to running out
    "harbor-bay": (3, (60, 90, 120)),
    "mission-valley": (2.5, (60, 90)),
    "golden-foothills": (2, (60, 90)),
    "desert-palms": (2, (60, 75, 90)),
    "redwood-coast": (0.5, (60,)),  # under-using
}

OPEN_REQUESTS = [
    (
        "harbor-bay",
        "Pharmacy technician bridge for intermediate ELLs",
        "Pathway design & program models",
        "We want a bridge into the college's pharmacy technician program for learners at CASAS "
        "level 4. What entry requirements and sequence have worked elsewhere?",
        "normal",
        None,
    ),
    (
        "mission-valley",
        "Clinical placements for the spring LVN cohort",
        "Work-based learning & clinical placements",
        "Our hospital partner cut its clinical slots. We need help approaching skilled-nursing "
        "facilities before February.",
        "high",
        None,
    ),
    (
        "golden-foothills",
        "Braiding WIOA Title I with CAEP for supportive services",
        "Braided funding & CAEP/WIOA compliance",
        "How can we co-enroll learners with the AJCC so childcare and transport are covered?",
        "low",
        "matched",
    ),
    (
        "channel-islands",
        "Getting started: dental assistant IET design",
        "Integrated Education and Training (IET)",
        "We are new to IET and would like a first conversation about model options.",
        "normal",
        None,
    ),
]


def seed_support_demo(*, program: Program, ta_admin: User, today=None) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = today or timezone.localdate()
    topics = {t.name: t for t in Topic.objects.all()}
    grantees = list(Grantee.objects.filter(program=program).order_by("name"))

    for grantee in grantees:
        account = HourAccount.objects.create(
            grantee=grantee,
            period_starts_on=program.starts_on,
            period_ends_on=program.ends_on,
        )
        ledger_post(
            account=account,
            kind=LedgerEntry.Kind.ALLOCATION,
            minutes=program.default_allocation_minutes,
            key=f"default-allocation:{grantee.pk}",
            actor=ta_admin,
            reason="Default allocation for the program period",
            effective_on=program.starts_on,
        )

    last_day = min(today - timedelta(days=1), program.ends_on)
    for grantee in grantees:
        if grantee.slug not in PACE:
            continue
        per_month, lengths = PACE[grantee.slug]
        coach = User.objects.filter(coach_assignments__grantee=grantee).first()
        members = list(
            User.objects.filter(memberships__grantee=grantee).order_by(
                "memberships__role", "full_name"
            )
        )
        lead = User.objects.filter(
            memberships__grantee=grantee, memberships__role=Membership.Role.LEAD
        ).first()
        if coach is None:
            continue
        theme_name, summary, step = SESSION_THEMES[0]
        request = (
            services.support_request_submit(
                actor=members[0] if members else coach,
                grantee=grantee,
                key=f"demo-request-{grantee.slug}",
                data={
                    "topic": topics[theme_name],
                    "title": "Ongoing coaching on our pathway design",
                    "description": "Regular coaching while we launch the pathway this year.",
                    "urgency": "normal",
                    "preferred_times": "Weekday mornings",
                    "desired_expertise": [topics[theme_name]],
                },
            )
            if members
            else None
        )
        if request is not None:
            services.support_request_assign(actor=ta_admin, request=request, coach=coach)
        day = program.starts_on + timedelta(days=rng.randint(3, 10))
        gap = 30 / per_month
        index = 0
        while day <= last_day:
            theme_name, summary, step = SESSION_THEMES[index % len(SESSION_THEMES)]
            started = datetime.combine(
                day, time(rng.choice((9, 10, 13, 14)), rng.choice((0, 30)))
            ).replace(tzinfo=timezone.get_current_timezone())
            minutes = rng.choice(lengths)
            account = HourAccount.objects.get(grantee=grantee)
            if account.available_minutes < minutes + 240 and grantee.slug == "pacific-gateway":
                break  # leave a few hours: "close to running out", not out
            session = services.session_record(
                actor=coach,
                grantee=grantee,
                key=f"demo-session-{grantee.slug}-{index}",
                data={
                    "started_at": started,
                    "minutes": minutes,
                    "mode": rng.choice(list(CoachingSession.Mode.values)),
                    "attendees": members[:2],
                    "guests": "",
                    "topics": [topics[theme_name]],
                    "summary": summary,
                    "internal_notes": "Team is engaged; follow up on staffing for spring.",
                    "next_steps": step,
                    "request": request,
                    "action_items": [
                        {
                            "description": step,
                            "owner": members[0].full_name if members else "Grantee team",
                            "due_on": day + timedelta(days=14),
                            "status": "done" if day < today - timedelta(days=21) else "open",
                        }
                    ],
                },
            )
            age = (today - day).days
            if age > program.session_auto_confirm_days:
                CoachingSession.objects.filter(pk=session.pk).update(
                    status=CoachingSession.Status.CONFIRMED,
                    confirmed_at=session.created_at,
                    confirmed_by=lead if index % 3 else None,
                )
            index += 1
            day += timedelta(days=max(3, round(gap + rng.uniform(-3, 3))))

    for slug, title, topic_name, description, urgency, status in OPEN_REQUESTS:
        grantee = next((g for g in grantees if g.slug == slug), None)
        member = User.objects.filter(memberships__grantee=grantee).first() if grantee else None
        if member is None:
            continue
        request = services.support_request_submit(
            actor=member,
            grantee=grantee,
            key=f"demo-open-request-{slug}",
            data={
                "topic": topics[topic_name],
                "title": title,
                "description": description,
                "urgency": urgency,
                "preferred_times": "Tuesday or Thursday afternoons",
                "desired_expertise": [topics[topic_name]],
            },
        )
        if status == "matched":
            coach = User.objects.filter(coach_assignments__grantee=grantee).first()
            if coach is not None:
                services.support_request_assign(actor=ta_admin, request=request, coach=coach)

    # One dispute waiting for the TA admin.
    recent = (
        CoachingSession.objects.filter(grantee__slug="mission-valley")
        .order_by("-started_at")
        .first()
    )
    lead = User.objects.filter(
        memberships__grantee__slug="mission-valley", memberships__role=Membership.Role.LEAD
    ).first()
    if recent is not None and lead is not None:
        CoachingSession.objects.filter(pk=recent.pk).update(
            status=CoachingSession.Status.RECORDED, confirmed_at=None, confirmed_by=None
        )
        services.session_dispute(
            actor=lead,
            session=recent,
            comment="We met for 60 minutes, not the time recorded; the last half hour "
            "was cancelled.",
        )

    # The demo's history happened "before" the portal: nobody should get a backlog of e-mails.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())

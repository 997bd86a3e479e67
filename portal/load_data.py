"""A statewide program's worth of data for load tests: `manage.py generate_load_data --scale N`.

At scale 1: 2 programs, 300 grantees, about 3,000 people, 200,000 ledger entries, 60,000
coaching sessions (each booked first), 5,000 events with 100,000 registrations, 20,000 library
resources, and an assessment with a plan for every grantee, plus the workspace (priorities,
partners, pathways, outcomes). Rows go in with bulk inserts, so scale 1 takes about a minute on
PostgreSQL.

Repeatable: every grantee's own rows come from a random generator seeded with (seed, grantee
number), so grantee load-0001 gets the same sessions, bookings and ledger at every scale; only
what spans grantees (people per event, resources) grows with it. The query-budget tests rely on
that: a page is compared between two scales with the same rows of its own.

It writes straight to the tables, skipping the services (which lock, notify and audit one row
at a time); the balances it stores are the ledger's own sums, as `ledger_post` keeps them.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

PASSWORD = "load-pass-2026"
# Every TA admin, coach and state admin of the load data has this TOTP secret (base32), so a
# load generator can pass the MFA step; it is test data, never a real account's.
LOAD_TOTP_SECRET = "LOADDATATOTPSECRETFORBENCHS23456"  # base32: A–Z and 2–7 only
PROGRAM_SLUGS = ("load-a", "load-b")
EMAIL_DOMAIN = "load.example.org"

PACIFIC = ZoneInfo("America/Los_Angeles")
PROGRAM_STARTS, PROGRAM_ENDS = date(2025, 7, 1), date(2027, 6, 30)

# At scale 1; a grantee's own rows are per grantee and do not change with the scale.
GRANTEES = 300
COACHES = 60
EVENTS = 5_000
REGISTRATIONS = 100_000
RESOURCES = 20_000
MEMBERS_PER_GRANTEE = 10  # a lead and nine staff
SESSIONS_PER_GRANTEE = 200
CANCELLED_BOOKINGS_PER_GRANTEE = 30
UPCOMING_BOOKINGS_PER_GRANTEE = 5
ALLOCATION_MINUTES = 100 * 60

BATCH = 5_000
BUCKETS = {
    "allocation": "allocated",
    "adjustment": "allocated",
    "hold": "held",
    "release": "held",
    "debit": "used",
}
POSTING_ORDER = {"allocation": 0, "adjustment": 0, "hold": 0, "release": 1, "debit": 2}


def scaled(count: int, scale: float, least: int) -> int:
    return max(least, round(count * scale))


def grantee_slug(number: int) -> str:
    return f"load-{number:04d}"


def lead_email(number: int) -> str:
    return f"lead-{number:04d}@{EMAIL_DOMAIN}"


def staff_email(number: int, index: int) -> str:
    return f"staff-{number:04d}-{index}@{EMAIL_DOMAIN}"


def coach_email(number: int) -> str:
    return f"coach-{number:03d}@{EMAIL_DOMAIN}"


def seeded_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PACIFIC)


def reset_sequences(*models) -> None:
    """After inserting rows with their own ids, the next insert must not reuse one."""
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def posting(**fields):
    """A ledger entry as ledger_post would write it; its running balance is filled in later."""
    from support_hours.models import LedgerEntry

    return LedgerEntry(bucket=BUCKETS[fields["kind"]], available_after_minutes=0, **fields)


def business_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, rows: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + rows


class LoadData:
    def __init__(self, *, scale: float, seed: int, now: datetime | None = None):
        self.scale, self.seed = scale, seed
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now, PACIFIC)
        self.rng = random.Random(f"{seed}:shared")
        self.summary = Summary()
        self.grantee_count = scaled(GRANTEES, scale, 2)
        self.coach_count = scaled(COACHES, scale, 2)

    def grantee_rng(self, number: int, part: str) -> random.Random:
        return random.Random(f"{self.seed}:{number}:{part}")

    def bulk(self, model, rows: list, label: str | None = None) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH)
        self.summary.add(label or model._meta.verbose_name_plural, len(created))
        return created

    # --- the steps, in dependency order ---------------------------------------------------

    @transaction.atomic
    def generate(self) -> Summary:
        from assessments.instrument_data import load_standard_instrument
        from grantees.reference_data import load_reference_data

        load_reference_data()
        self.instrument = load_standard_instrument()
        self.people()
        self.hours_and_bookings()
        self.assessments()
        self.workspace()
        self.events()
        self.resources()
        return self.summary

    def people(self) -> None:
        from allauth.mfa.models import Authenticator

        from grantees.models import (
            CoachAssignment,
            CoachProfile,
            Grantee,
            Membership,
            Program,
            ProgramRole,
            Region,
            Topic,
            User,
        )

        regions = list(Region.objects.order_by("position", "pk"))
        self.topics = list(Topic.objects.order_by("pk"))
        self.programs = self.bulk(
            Program,
            [
                Program(
                    name=f"Load test program {letter.upper()}",
                    slug=slug,
                    description="Generated by generate_load_data.",
                    starts_on=PROGRAM_STARTS,
                    ends_on=PROGRAM_ENDS,
                )
                for slug, letter in zip(PROGRAM_SLUGS, "ab", strict=True)
            ],
        )
        self.grantees = self.bulk(
            Grantee,
            [
                Grantee(
                    program=self.programs[i % 2],
                    name=f"Load Consortium {i + 1:04d}",
                    slug=grantee_slug(i + 1),
                    region=regions[i % len(regions)],
                    member_agencies="Adult school; community college",
                    pathway_focus="Certified nursing assistant and medical assistant pathways.",
                    contact_email=lead_email(i + 1),
                )
                for i in range(self.grantee_count)
            ],
        )
        password = make_password(PASSWORD)  # one hash for all: hashing 3,000 takes minutes
        users = [
            User(email=f"ta-admin-{s[-1]}@{EMAIL_DOMAIN}", full_name=f"TA Admin {s[-1].upper()}")
            for s in PROGRAM_SLUGS
        ]
        users += [
            User(email=f"state-{s[-1]}@{EMAIL_DOMAIN}", full_name=f"State Admin {s[-1].upper()}")
            for s in PROGRAM_SLUGS
        ]
        users += [
            User(email=coach_email(c + 1), full_name=f"Coach {c + 1:03d}")
            for c in range(self.coach_count)
        ]
        for i in range(self.grantee_count):
            users.append(User(email=lead_email(i + 1), full_name=f"Lead {i + 1:04d}"))
            users += [
                User(email=staff_email(i + 1, s), full_name=f"Staff {i + 1:04d}-{s}")
                for s in range(1, MEMBERS_PER_GRANTEE)
            ]
        for user in users:
            user.password = password
        users = self.bulk(User, users, "people")
        self.ta_admins, self.state_admins = users[0:2], users[2:4]
        self.coaches = users[4 : 4 + self.coach_count]
        member_users = users[4 + self.coach_count :]
        self.members: dict[int, list] = {}  # grantee index → [lead, staff…]
        memberships = []
        for i, grantee in enumerate(self.grantees):
            team = member_users[i * MEMBERS_PER_GRANTEE : (i + 1) * MEMBERS_PER_GRANTEE]
            self.members[i] = team
            memberships += [
                Membership(
                    user=user,
                    grantee=grantee,
                    role="lead" if n == 0 else "staff",
                    title="Consortium director" if n == 0 else "Pathway navigator",
                )
                for n, user in enumerate(team)
            ]
        self.bulk(Membership, memberships)
        roles = [
            ProgramRole(user=self.ta_admins[p], program=program, role=ProgramRole.Role.TA_ADMIN)
            for p, program in enumerate(self.programs)
        ] + [
            ProgramRole(user=self.state_admins[p], program=program, role="state_admin")
            for p, program in enumerate(self.programs)
        ]
        self.bulk(ProgramRole, roles)
        profiles = self.bulk(
            CoachProfile,
            [CoachProfile(user=coach, title="TA coach") for coach in self.coaches],
        )
        self.bulk(
            CoachProfile.expertise.through,
            [
                CoachProfile.expertise.through(
                    coachprofile_id=profile.pk, topic_id=self.topics[(c + k) % len(self.topics)].pk
                )
                for c, profile in enumerate(profiles)
                for k in range(2)
            ],
            "coach expertise",
        )
        # Grantee i has coach i mod C: every coach has grantees in both programs at scale 1.
        self.coach_of = {i: self.coaches[i % self.coach_count] for i in range(self.grantee_count)}
        self.bulk(
            CoachAssignment,
            [
                CoachAssignment(
                    coach=self.coach_of[i], grantee=grantee, assigned_by=self.ta_admins[i % 2]
                )
                for i, grantee in enumerate(self.grantees)
            ],
        )
        for user in self.ta_admins + self.state_admins + self.coaches:
            TOTP.activate(user, LOAD_TOTP_SECRET)
        self.summary.add("authenticators", Authenticator.objects.count())

    def hours_and_bookings(self) -> None:
        """Per grantee: 100 hours, 200 delivered 1:1s (hold → session → release + debit),
        cancelled bookings (hold → release) and upcoming ones (hold), and the running ledger."""
        from booking import services as booking_services
        from booking.models import Booking
        from support_hours.models import CoachingSession, HourAccount, LedgerEntry

        for coach_index, coach in enumerate(self.coaches):
            mornings = coach_index % 2 == 0
            booking_services.schedule_update(
                actor=coach,
                settings={"meeting_url": f"https://meet.example.org/coach-{coach_index + 1}"},
                windows=[
                    {
                        "weekday": day,
                        "starts_at": time(9) if mornings else time(13),
                        "ends_at": time(12) if mornings else time(16),
                    }
                    for day in range(5)
                ],
            )
        for program in self.programs:
            booking_services.office_hours_create(
                actor=self.ta_admins[self.programs.index(program)],
                program=program,
                data={
                    "title": "Monthly office hours: pathway design",
                    "topic": self.topics[0],
                    "description": "Bring a question about your healthcare pathway.",
                    "frequency": "monthly",
                    "week_of_month": 2,
                    "weekday": 1,
                    "starts_at": time(10),
                    "ends_at": time(12),
                    "time_zone": "America/Los_Angeles",
                    "first_date": self.today.replace(day=1),
                    "last_date": min(PROGRAM_ENDS, self.today.replace(day=1) + timedelta(365)),
                    "format": "slots",
                    "slot_minutes": 20,
                    "hosts": self.coaches[:2],
                    "meeting_url": "https://meet.example.org/office-hours",
                },
            )
        accounts = self.bulk(
            HourAccount,
            [
                HourAccount(
                    grantee=grantee, period_starts_on=PROGRAM_STARTS, period_ends_on=PROGRAM_ENDS
                )
                for grantee in self.grantees
            ],
        )
        past_days = business_days(PROGRAM_STARTS + timedelta(days=7), self.today - timedelta(1))
        future_days = business_days(self.today + timedelta(days=3), self.today + timedelta(60))
        sessions, bookings, entries = [], [], []  # entries: (account index, LedgerEntry)
        topic_links = []
        for i, grantee in enumerate(self.grantees):
            rng = self.grantee_rng(i + 1, "hours")
            account = accounts[i]
            coach, team = self.coach_of[i], self.members[i]
            # Some grantees use their hours lightly, some nearly all (minutes per session;
            # 200 sessions of the heaviest mix leave 12 hours, so no balance goes below zero).
            lengths = rng.choice([(15, 15, 15, 30), (15, 15, 30, 30), (15, 30, 30, 30)])
            opened = aware(PROGRAM_STARTS, 8)
            entries.append(
                posting(
                    account=account,
                    kind="allocation",
                    minutes=ALLOCATION_MINUTES,
                    effective_on=PROGRAM_STARTS,
                    idempotency_key=f"load:{grantee.slug}:allocation",
                    actor=self.ta_admins[i % 2],
                    created_at=opened,
                )
            )
            if i % 3 == 0:
                entries.append(
                    posting(
                        account=account,
                        kind="adjustment",
                        minutes=600,
                        effective_on=PROGRAM_STARTS + timedelta(days=90),
                        idempotency_key=f"load:{grantee.slug}:adjustment",
                        reason="Ten more hours for the clinical-placement work.",
                        actor=self.ta_admins[i % 2],
                        created_at=opened + timedelta(days=90),
                    )
                )
            days = sorted(rng.choices(past_days, k=SESSIONS_PER_GRANTEE))
            for n, day in enumerate(days):
                starts = aware(day, 9 + rng.randrange(7))
                minutes = rng.choice(lengths)
                booked_at = starts - timedelta(days=rng.randint(3, 20))
                uid = seeded_uuid(rng)
                awaiting = n >= SESSIONS_PER_GRANTEE - 3
                session = CoachingSession(
                    grantee=grantee,
                    coach=coach,
                    started_at=starts,
                    minutes=minutes,
                    mode="virtual",
                    summary=f"Coaching on the pathway plan, meeting {n + 1}.",
                    next_steps="Draft the bridge course outline.",
                    status="recorded" if awaiting else "confirmed",
                    awaiting_since=starts + timedelta(hours=2),
                    confirmed_at=None if awaiting else starts + timedelta(days=2),
                    confirmed_by=None if awaiting else team[0],
                    idempotency_key=f"load:{grantee.slug}:session:{n}",
                    recorded_by=coach,
                    created_at=starts + timedelta(hours=2),
                )
                sessions.append(session)
                hold = posting(
                    account=account,
                    kind="hold",
                    minutes=-60,
                    effective_on=day,
                    idempotency_key=f"booking:{uid}:hold",
                    reason="1:1 session",
                    actor=team[n % len(team)],
                    created_at=booked_at,
                )
                release = posting(
                    account=account,
                    kind="release",
                    minutes=60,
                    effective_on=day,
                    idempotency_key=f"booking:{uid}:release",
                    reason="Session recorded",
                    actor=coach,
                    corrects=hold,
                    created_at=starts + timedelta(hours=2),
                )
                debit = posting(
                    account=account,
                    kind="debit",
                    minutes=-minutes,
                    effective_on=day,
                    idempotency_key=f"load:{grantee.slug}:session:{n}:debit",
                    session=session,
                    actor=coach,
                    created_at=starts + timedelta(hours=2),
                )
                entries += [hold, release, debit]
                bookings.append(
                    Booking(
                        uid=uid,
                        grantee=grantee,
                        booked_by=team[n % len(team)],
                        kind="one_on_one",
                        coach=coach,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=1),
                        status="completed",
                        hold=hold,
                        session=session,
                        idempotency_key=f"load:{uid}",
                        created_at=booked_at,
                        scheduled_at=booked_at,
                    )
                )
                topic_links.append((session, self.topics[rng.randrange(len(self.topics))]))
            for n in range(CANCELLED_BOOKINGS_PER_GRANTEE):
                day = rng.choice(past_days)
                starts = aware(day, 9 + rng.randrange(7))
                booked_at = starts - timedelta(days=10)
                uid = seeded_uuid(rng)
                hold = posting(
                    account=account,
                    kind="hold",
                    minutes=-60,
                    effective_on=day,
                    idempotency_key=f"booking:{uid}:hold",
                    reason="1:1 session",
                    actor=team[n % len(team)],
                    created_at=booked_at,
                )
                release = posting(
                    account=account,
                    kind="release",
                    minutes=60,
                    effective_on=day,
                    idempotency_key=f"booking:{uid}:release",
                    reason="Cancelled",
                    actor=team[n % len(team)],
                    corrects=hold,
                    created_at=booked_at + timedelta(days=3),
                )
                entries += [hold, release]
                bookings.append(
                    Booking(
                        uid=uid,
                        grantee=grantee,
                        booked_by=team[n % len(team)],
                        kind="one_on_one",
                        coach=coach,
                        starts_at=starts,
                        ends_at=starts + timedelta(hours=1),
                        status="cancelled",
                        hold=hold,
                        idempotency_key=f"load:{uid}",
                        created_at=booked_at,
                        scheduled_at=booked_at,
                        cancelled_at=booked_at + timedelta(days=3),
                        cancelled_by=team[n % len(team)],
                        cancel_reason="Schedule conflict",
                    )
                )
            # Upcoming: a coach's grantees i, i+C, i+2C… each get their own hour of the day,
            # so no two live bookings take the same coach at the same time.
            turn = i // self.coach_count
            for n in range(UPCOMING_BOOKINGS_PER_GRANTEE):
                day = future_days[(n * 5 + turn // 7) % len(future_days)]
                coach_day_start = 9 if self.coaches.index(coach) % 2 == 0 else 13
                starts = aware(day, coach_day_start) + timedelta(minutes=30 * (turn % 6))
                uid = seeded_uuid(rng)
                hold = posting(
                    account=account,
                    kind="hold",
                    minutes=-30,
                    effective_on=day,
                    idempotency_key=f"booking:{uid}:hold",
                    reason="1:1 session",
                    actor=team[n % len(team)],
                    created_at=self.now - timedelta(days=2, minutes=n),
                )
                entries.append(hold)
                bookings.append(
                    Booking(
                        uid=uid,
                        grantee=grantee,
                        booked_by=team[n % len(team)],
                        kind="one_on_one",
                        coach=coach,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=30),
                        status="booked",
                        hold=hold,
                        idempotency_key=f"load:{uid}",
                        created_at=hold.created_at,
                        scheduled_at=hold.created_at,
                    )
                )
        self.bulk(CoachingSession, sessions)
        self.bulk(
            CoachingSession.topics.through,
            [
                CoachingSession.topics.through(coachingsession_id=s.pk, topic_id=t.pk)
                for s, t in topic_links
            ],
            "session topics",
        )
        # The running balance, in posting order per account, as ledger_post writes it.
        by_account: dict[int, list] = {}
        for entry in entries:
            by_account.setdefault(entry.account_id, []).append(entry)
        totals = {}
        for account_id, posted in by_account.items():
            # As a recorded session posts them: its release, then its debit.
            posted.sort(key=lambda e: (e.created_at, POSTING_ORDER[e.kind]))
            available = allocated = held = used = 0
            for entry in posted:
                available += entry.minutes
                entry.available_after_minutes = available
                if entry.bucket == "allocated":
                    allocated += entry.minutes
                elif entry.bucket == "held":
                    held -= entry.minutes
                else:
                    used -= entry.minutes
            totals[account_id] = (allocated, held, used)
        # Ids in posting order, as one ledger_post after another would give them; inserted
        # holds first, because releases point at them.
        next_id = (LedgerEntry.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        for posted in by_account.values():
            for entry in posted:
                entry.pk, next_id = next_id, next_id + 1
        for entry in entries:
            if entry.kind == "release":
                entry.corrects_id = entry.corrects.pk
        self.bulk(LedgerEntry, [e for e in entries if e.kind != "release"], "ledger entries")
        self.bulk(LedgerEntry, [e for e in entries if e.kind == "release"], "ledger entries")
        reset_sequences(LedgerEntry)
        for account in accounts:
            account.allocated_minutes, account.held_minutes, account.used_minutes = totals[
                account.pk
            ]
        HourAccount.objects.bulk_update(
            accounts, ["allocated_minutes", "held_minutes", "used_minutes"], batch_size=BATCH
        )
        for booking in bookings:
            booking.hold_id = booking.hold.pk
            booking.session_id = booking.session.pk if booking.session else None
        self.bulk(Booking, bookings)

    def assessments(self) -> None:
        """A finalized baseline for every grantee (coach's and grantee's answers, domain scores)
        and a TA plan with a goal per weakest domain; every third grantee has a midpoint draft."""
        from assessments import scoring
        from assessments.models import (
            Answer,
            Assessment,
            Domain,
            DomainScore,
            Goal,
            GoalAction,
            Item,
            Plan,
        )

        domains = list(Domain.objects.filter(version=self.instrument).order_by("position"))
        items = list(Item.objects.filter(domain__version=self.instrument).order_by("pk"))
        baselines, drafts, answers, levels_of = [], [], [], []
        for i, grantee in enumerate(self.grantees):
            rng = self.grantee_rng(i + 1, "assessment")
            coach, lead = self.coach_of[i], self.members[i][0]
            interview = PROGRAM_STARTS + timedelta(days=30 + rng.randrange(30))
            levels = {item.pk: rng.randint(1, 4) for item in items}
            by_domain: dict[int, list[int]] = {}
            for item in items:
                by_domain.setdefault(item.domain_id, []).append(levels[item.pk])
            scores = scoring.domain_scores(by_domain)
            baselines.append(
                Assessment(
                    grantee=grantee,
                    version=self.instrument,
                    kind="baseline",
                    status="finalized",
                    coach=coach,
                    interview_on=interview,
                    regional_strategy="Two adult schools feed the college's CNA program.",
                    implementation_challenges="Clinical placements are scarce.",
                    system_capacity="One navigator for the region.",
                    overall_score=scoring.overall_score(scores),
                    finalized_at=aware(interview + timedelta(days=7), 12),
                    finalized_by=coach,
                )
            )
            levels_of.append((levels, scores, lead))
            if i % 3 == 0:
                drafts.append(
                    Assessment(
                        grantee=grantee, version=self.instrument, kind="midpoint", coach=coach
                    )
                )
        baselines = self.bulk(Assessment, baselines, "assessments")
        self.bulk(Assessment, drafts, "assessments")
        domain_scores, plans, goal_rows = [], [], []
        for assessment, (levels, scores, lead) in zip(baselines, levels_of, strict=True):
            coach = assessment.coach
            for item in items:
                answers.append(
                    Answer(
                        assessment=assessment,
                        item=item,
                        source="coach",
                        level=levels[item.pk],
                        updated_by=coach,
                    )
                )
                answers.append(
                    Answer(
                        assessment=assessment,
                        item=item,
                        source="grantee",
                        level=min(4, levels[item.pk] + 1),
                        flagged=levels[item.pk] == 1,
                        updated_by=lead,
                    )
                )
            domain_scores += [
                DomainScore(assessment=assessment, domain_id=domain_id, score=score)
                for domain_id, score in scores.items()
            ]
            plans.append(Plan(grantee=assessment.grantee, assessment=assessment, created_by=coach))
            weakest = sorted(domains, key=lambda d: (scores.get(d.pk, Decimal(4)), d.position))
            goal_rows.append((lead, weakest[:3]))
        self.bulk(Answer, answers)
        self.bulk(DomainScore, domain_scores)
        plans = self.bulk(Plan, plans)
        goals = []
        for plan, (lead, weakest) in zip(plans, goal_rows, strict=True):
            goals += [
                Goal(
                    plan=plan,
                    domain=domain,
                    position=n + 1,
                    title=f"Strengthen {domain.title.lower()}",
                    owner=lead,
                    due_on=PROGRAM_ENDS - timedelta(days=60 * n),
                )
                for n, domain in enumerate(weakest)
            ]
        goals = self.bulk(Goal, goals)
        self.bulk(
            GoalAction,
            [
                GoalAction(goal=goal, description="Meet the college dean", owner=goal.owner)
                for goal in goals
            ],
        )

    def workspace(self) -> None:
        """Priorities, partners with commitments, a pathway (v1 frozen, v2 draft), outcomes,
        a few support requests and a pending invitation per grantee."""
        from grantees.models import Invitation, Occupation
        from labor_market.models import PriorityOccupation
        from outcomes.models import QuarterlyOutcome
        from partners.models import Commitment, Partner
        from pathways.models import PathwayConcept, PathwayStep, PathwayVersion
        from support_hours.models import SupportRequest

        occupations = list(Occupation.objects.order_by("soc_code"))
        priorities, partners, concepts, outcomes, requests, invitations = [], [], [], [], [], []
        for i, grantee in enumerate(self.grantees):
            rng = self.grantee_rng(i + 1, "workspace")
            lead = self.members[i][0]
            for n, occupation in enumerate(rng.sample(occupations, 3)):
                priorities.append(
                    PriorityOccupation(
                        grantee=grantee,
                        occupation=occupation,
                        rationale="Regional demand and a short first credential.",
                        position=n,
                        created_by=lead,
                    )
                )
            for n in range(8):
                kind = ("employer", "employer", "employer", "college", "adult_school")[n % 5]
                partners.append(
                    Partner(
                        grantee=grantee,
                        name=f"{kind.replace('_', ' ').title()} partner {n + 1}",
                        kind=kind,
                        stage=rng.choice(["identified", "contacted", "engaged", "committed"]),
                        contact_name=f"Contact {n + 1}",
                        created_by=lead,
                    )
                )
            concepts.append(
                PathwayConcept(
                    grantee=grantee, title="Certified nursing assistant", created_by=lead
                )
            )
            for q, quarter in enumerate(
                [date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1), date(2026, 4, 1)]
                + [date(2026, 7, 1)]
            ):
                levels = [rng.randint(0, 8) for _ in range(6)]
                enrolled = sum(levels) + rng.randint(0, 5)
                employed = rng.randint(0, min(enrolled, 4))
                outcomes.append(
                    QuarterlyOutcome(
                        grantee=grantee,
                        quarter_start=quarter,
                        enrolled=enrolled,
                        **{f"enrolled_esl_{n + 1}": v for n, v in enumerate(levels)},
                        skill_gains=rng.randint(0, enrolled),
                        completed_bridge_iet=rng.randint(0, enrolled),
                        credentials_earned=rng.randint(0, enrolled),
                        placed_wbl=rng.randint(0, enrolled),
                        employed_healthcare=employed,
                        median_wage_cents=2200 + 50 * q if employed else None,
                        submitted_by=lead,
                    )
                )
            for n in range(5):
                requests.append(
                    SupportRequest(
                        grantee=grantee,
                        requested_by=self.members[i][n % MEMBERS_PER_GRANTEE],
                        topic=self.topics[rng.randrange(len(self.topics))],
                        title=f"Help with the bridge course, part {n + 1}",
                        description="We would like a coach to review our draft.",
                        status="closed" if n < 3 else "submitted",
                        idempotency_key=f"load:{grantee.slug}:request:{n}",
                    )
                )
            invitations.append(
                Invitation(
                    grantee=grantee,
                    email=f"invitee-{i + 1:04d}@{EMAIL_DOMAIN}",
                    full_name="Invited Colleague",
                    role="staff",
                    token_hash=f"load-{self.seed}-{i}",
                    invited_by=lead,
                    expires_at=self.now + timedelta(days=14),
                )
            )
        self.bulk(PriorityOccupation, priorities)
        partners = self.bulk(Partner, partners)
        self.bulk(
            Commitment,
            [
                Commitment(
                    grantee_id=p.grantee_id,
                    partner=p,
                    kind="wbl_slots",
                    quantity=4,
                    status="confirmed",
                    created_by=p.created_by,
                )
                for p in partners
                if p.kind == "employer"
            ],
        )
        concepts = self.bulk(PathwayConcept, concepts)
        versions = []
        for concept in concepts:
            versions.append(
                PathwayVersion(
                    grantee_id=concept.grantee_id,
                    concept=concept,
                    number=1,
                    model="bridge",
                    summary="From ESL to a CNA certificate.",
                    created_by=concept.created_by,
                    frozen_at=self.now - timedelta(days=30),
                )
            )
            versions.append(
                PathwayVersion(
                    grantee_id=concept.grantee_id,
                    concept=concept,
                    number=2,
                    model="bridge",
                    summary="From ESL to a CNA certificate, with a clinical placement.",
                    created_by=concept.created_by,
                )
            )
        versions = self.bulk(PathwayVersion, versions)
        keys = [seeded_uuid(self.rng) for _ in range(4)]
        self.bulk(
            PathwayStep,
            [
                PathwayStep(
                    grantee_id=version.grantee_id,
                    version=version,
                    key=keys[n],
                    position=n,
                    kind=kind,
                    title=title,
                    duration="8 weeks",
                )
                for version in versions
                for n, (kind, title) in enumerate(
                    [
                        ("esl", "Healthcare ESL"),
                        ("bridge", "CNA bridge"),
                        ("training", "CNA training"),
                        ("job", "Certified nursing assistant"),
                    ]
                )
            ],
        )
        self.bulk(QuarterlyOutcome, outcomes)
        self.bulk(SupportRequest, requests)
        self.bulk(Invitation, invitations)

    def events(self) -> None:
        """Events over the two years (drafts, cancelled ones, most published), with 100,000
        registrations (at scale 1) from its program's grantees, checked in once it has happened."""
        from events.models import Event, Registration

        count = scaled(EVENTS, self.scale, 2)
        rng = self.rng
        kinds = ["regional_training", "community_of_practice", "webinar", "convening"]
        span = (PROGRAM_ENDS - PROGRAM_STARTS).days
        events = []
        for n in range(count):
            program = self.programs[n % 2]
            day = PROGRAM_STARTS + timedelta(days=rng.randrange(span))
            starts = aware(day, 9 + rng.randrange(6))
            if n == 0:  # the one the tests and benchmark open: two weeks ahead, registration open
                starts = aware(self.today + timedelta(days=14), 10)
            status = "cancelled" if n % 50 == 7 else "draft" if n % 40 == 3 else "published"
            events.append(
                Event(
                    uid=seeded_uuid(rng),
                    program=program,
                    kind=kinds[n % len(kinds)],
                    title=f"{kinds[n % len(kinds)].replace('_', ' ').capitalize()} {n + 1}",
                    description="Generated event.",
                    topic=self.topics[n % len(self.topics)],
                    format="virtual" if n % 3 else "in_person",
                    venue="" if n % 3 else "Community college, room 101",
                    meeting_url="https://meet.example.org/event" if n % 3 else "",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    capacity=30,
                    registration_opens_at=starts - timedelta(days=45),
                    registration_closes_at=starts - timedelta(hours=1),
                    status=status,
                    created_by=self.ta_admins[n % 2],
                )
            )
        events = self.bulk(Event, events)
        by_program = {p.pk: [] for p in self.programs}
        for i, grantee in enumerate(self.grantees):
            by_program[grantee.program_id] += [(grantee, person) for person in self.members[i]]
        # 100,000 registrations at scale 1, spread evenly over the events that take them.
        open_events = [event for event in events if event.status != "draft"]
        per_event, extra = divmod(round(REGISTRATIONS * self.scale), len(open_events))
        registrations = []
        for n, event in enumerate(open_events):
            people = rng.sample(
                by_program[event.program_id],
                min(per_event + (n < extra), len(by_program[event.program_id]), event.capacity),
            )
            if n == 0 and by_program[event.program_id][0] not in people:
                people[-1] = by_program[event.program_id][0]  # load-0001's lead is going
            past = event.starts_at < self.now
            for seat, (grantee, person) in enumerate(people, start=1):
                registrations.append(
                    Registration(
                        uid=seeded_uuid(rng),
                        event=event,
                        grantee=grantee,
                        person=person,
                        registered_by=person,
                        status="confirmed",
                        seat=seat,
                        idempotency_key=f"load:{event.uid}:{seat}",
                        created_at=event.registration_opens_at + timedelta(days=1),
                        checked_in_at=event.starts_at if past and seat % 5 else None,
                    )
                )
        self.bulk(Registration, registrations)

    def resources(self) -> None:
        from library.sample_text import write_resources

        count = scaled(RESOURCES, self.scale, 20)
        write_resources(random.Random(f"{self.seed}:library"), count, self.programs, self.grantees)
        self.summary.add("library resources", count)


def load_data_exists() -> bool:
    from grantees.models import Program

    return Program.objects.filter(slug__in=PROGRAM_SLUGS).exists()


def generate(*, scale: float, seed: int = 2026, now: datetime | None = None) -> Summary:
    summary = LoadData(scale=scale, seed=seed, now=now).generate()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, before anyone measures
    return summary

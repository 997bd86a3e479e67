"""The grantee progress report: every number read from the ledger, sessions, bookings, event
registrations, assessments and the TA plan of one grantee for one period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from assessments import scoring as assessment_scoring
from assessments import selectors as assessment_selectors
from assessments.models import Assessment, Goal, Plan
from booking.models import Booking
from events.selectors import grantee_participation
from grantees.models import Grantee
from outcomes import selectors as outcome_selectors
from portal.charts import BarChart, bar_chart
from portal.formatting import hours_decimal
from portal.timezones import day_range
from reports.periods import Period
from support_hours import selectors as hour_selectors
from support_hours.models import CoachingSession, LedgerEntry


@dataclass
class HoursSection:
    allocated_minutes: int = 0  # as of the period's end
    used_in_period_minutes: int = 0
    used_to_date_minutes: int = 0  # from the start of the account to the period's end
    held_minutes: int = 0  # scheduled, not yet delivered, as of the period's end
    run_out_on: datetime.date | None = None  # at today's pace
    projected_unused_minutes: int = 0

    @property
    def remaining_minutes(self) -> int:
        return self.allocated_minutes - self.used_to_date_minutes - self.held_minutes


@dataclass
class CountRow:
    label: str
    sessions: int
    minutes: int


@dataclass
class GranteeProgress:
    grantee: Grantee
    period: Period
    generated_at: datetime.datetime
    hours: HoursSection
    sessions: int = 0
    session_minutes: int = 0
    by_topic: list[CountRow] = field(default_factory=list)
    by_coach: list[CountRow] = field(default_factory=list)
    office_hours_attended: int = 0
    office_hours_no_shows: int = 0
    one_on_ones: int = 0
    events: object = None  # events.selectors.ParticipationTotals
    event_rows: list = field(default_factory=list)
    assessment: object = None  # assessments.selectors.ScoreReport of the latest finalized one
    plan: Plan | None = None
    goals_by_status: dict[str, int] = field(default_factory=dict)
    actions_done: int = 0
    actions_total: int = 0
    hours_chart: BarChart | None = None
    topic_chart: BarChart | None = None
    outcomes: object = None  # outcomes.selectors.PeriodOutcomes: the quarters in the period


def hours_section(grantee: Grantee, period: Period) -> HoursSection:
    """Balances from the ledger entries by the day they count for (one query; a grantee with no
    account has none), and the forecast at today's pace from the hour page."""
    sums = LedgerEntry.objects.filter(
        account__grantee=grantee, effective_on__lte=period.ends_on
    ).aggregate(
        allocated=Sum("minutes", filter=Q(bucket=LedgerEntry.Bucket.ALLOCATED)),
        held=Sum("minutes", filter=Q(bucket=LedgerEntry.Bucket.HELD)),
        used=Sum("minutes", filter=Q(bucket=LedgerEntry.Bucket.USED)),
        used_in_period=Sum(
            "minutes",
            filter=Q(bucket=LedgerEntry.Bucket.USED, effective_on__gte=period.starts_on),
        ),
    )
    summary = hour_selectors.hour_summary(grantee=grantee)
    return HoursSection(
        allocated_minutes=sums["allocated"] or 0,
        used_in_period_minutes=-(sums["used_in_period"] or 0),
        used_to_date_minutes=-(sums["used"] or 0),
        held_minutes=-(sums["held"] or 0),
        run_out_on=summary.run_out_on,
        projected_unused_minutes=summary.projected_unused_minutes,
    )


def grantee_progress(
    *,
    grantee: Grantee,
    period: Period,
    now: datetime.datetime | None = None,
    event_rows_limit: int | None = None,
) -> GranteeProgress:
    """The report. `event_rows_limit` lists only the latest registrations (the page); the
    PDF and the workbook list every one. The totals always count all."""
    now = now or timezone.now()
    start, end = day_range(period.starts_on, period.ends_on)
    report = GranteeProgress(
        grantee=grantee,
        period=period,
        generated_at=now,
        hours=hours_section(grantee, period),
    )
    sessions = CoachingSession.objects.filter(
        grantee=grantee, started_at__gte=start, started_at__lt=end
    )
    report.by_topic = [
        CountRow(row["topic__name"], row["n"], row["minutes"] or 0)
        for row in CoachingSession.topics.through.objects.filter(coachingsession__in=sessions)
        .values("topic__name")
        .annotate(n=Count("coachingsession"), minutes=Sum("coachingsession__minutes"))
        .order_by("-minutes", "topic__name")
    ]
    report.by_coach = [
        CountRow(row["coach__full_name"], row["n"], row["minutes"] or 0)
        for row in sessions.values("coach__full_name")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
        .order_by("-minutes", "coach__full_name")
    ]
    # Every session has one coach: the coach rows add up to the period's totals.
    report.sessions = sum(row.sessions for row in report.by_coach)
    report.session_minutes = sum(row.minutes for row in report.by_coach)
    happened = Booking.objects.filter(grantee=grantee, starts_at__gte=start, starts_at__lt=end)
    happened = happened.filter(starts_at__lt=now)
    counts = happened.aggregate(
        office=Count(
            "pk",
            filter=Q(
                kind=Booking.Kind.OFFICE_HOURS,
                status__in=[Booking.Status.BOOKED, Booking.Status.COMPLETED],
            ),
        ),
        no_shows=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
        one_on_ones=Count(
            "pk",
            filter=Q(
                kind=Booking.Kind.ONE_ON_ONE,
                status__in=[Booking.Status.BOOKED, Booking.Status.COMPLETED],
            ),
        ),
    )
    report.office_hours_attended = counts["office"]
    report.office_hours_no_shows = counts["no_shows"]
    report.one_on_ones = counts["one_on_ones"]
    report.events, report.event_rows = grantee_participation(
        grantee=grantee, since=start, until=end, now=now, limit=event_rows_limit
    )
    latest = (
        Assessment.objects.filter(
            grantee=grantee,
            status=Assessment.Status.FINALIZED,
            interview_on__lte=period.ends_on,
        )
        .select_related("version__instrument", "coach")
        .order_by("-interview_on", "-finalized_at")
        .first()
    )
    if latest is not None:
        report.assessment = assessment_selectors.score_report(latest)
    # The latest plan with its goals and actions counted, in one query.
    report.plan = (
        Plan.objects.filter(grantee=grantee, created_at__lt=end)
        .annotate(
            **{
                f"goals_{value}": Count("goals", filter=Q(goals__status=value), distinct=True)
                for value in Goal.Status.values
            },
            actions_total=Count("goals__actions", distinct=True),
            actions_done=Count(
                "goals__actions", filter=Q(goals__actions__done_at__isnull=False), distinct=True
            ),
        )
        .order_by("-created_at")
        .first()
    )
    if report.plan is not None:
        plan = report.plan
        report.goals_by_status = {
            label: getattr(plan, f"goals_{value}") for value, label in Goal.Status.choices
        }
        report.actions_total, report.actions_done = plan.actions_total, plan.actions_done
    report.outcomes = outcome_selectors.period_outcomes(
        grantee=grantee, starts_on=period.starts_on, ends_on=period.ends_on
    )
    report.hours_chart = _hours_chart(report.hours)
    report.topic_chart = _topic_chart(report.by_topic)
    return report


def _hours_chart(hours: HoursSection) -> BarChart:
    rows = [
        ("Allocated", hours.allocated_minutes),
        ("Used in the period", hours.used_in_period_minutes),
        ("Used to date", hours.used_to_date_minutes),
        ("Scheduled", hours.held_minutes),
        ("Remaining", max(hours.remaining_minutes, 0)),
    ]
    top = _nice_top(max([minutes for _, minutes in rows] + [60]) / 60)
    return bar_chart(
        [(label, hours_decimal(minutes), None) for label, minutes in rows],
        scale=(0, top),
        value_label="Hours",
        tick_step=max(top // 5, 1),
    )


def _topic_chart(by_topic: list[CountRow]) -> BarChart | None:
    if not by_topic:
        return None
    top = _nice_top(max(row.minutes for row in by_topic) / 60)
    return bar_chart(
        [(row.label, hours_decimal(row.minutes), None) for row in by_topic[:10]],
        scale=(0, top),
        value_label="Hours",
        tick_step=max(top // 5, 1),
    )


def _nice_top(value: float) -> int:
    """A round axis end at or above the value: 5, 10, 20, 25, 50, 100, 200, …"""
    for top in (1, 2, 5, 10, 20, 25, 50, 100, 150, 200, 250, 500, 1000):
        if value <= top:
            return top
    return int(value) + 1


# --- The program report: one row per grantee --------------------------------------------------


@dataclass
class ProgramRow:
    grantee: Grantee
    allocated_minutes: int = 0
    used_in_period_minutes: int = 0
    used_to_date_minutes: int = 0
    held_minutes: int = 0
    sessions: int = 0
    session_minutes: int = 0
    office_hours_attended: int = 0
    one_on_ones: int = 0
    events_registered: int = 0
    events_attended: int = 0
    assessment_kind: str = ""
    overall_score: Decimal | None = None
    baseline_score: Decimal | None = None
    goals_done: int = 0
    goals_total: int = 0
    # Learner outcomes of the quarters in the period, summed (outcomes.selectors.period_totals).
    outcome_quarters: int = 0
    enrolled: int = 0
    credentials_earned: int = 0
    employed_healthcare: int = 0

    @property
    def remaining_minutes(self) -> int:
        return self.allocated_minutes - self.used_to_date_minutes - self.held_minutes

    @property
    def growth(self) -> Decimal | None:
        if self.overall_score is None or self.baseline_score is None:
            return None
        return self.overall_score - self.baseline_score


SUMMED = (
    "allocated_minutes",
    "used_in_period_minutes",
    "used_to_date_minutes",
    "held_minutes",
    "sessions",
    "session_minutes",
    "office_hours_attended",
    "one_on_ones",
    "events_registered",
    "events_attended",
    "goals_done",
    "goals_total",
    "outcome_quarters",
    "enrolled",
    "credentials_earned",
    "employed_healthcare",
)


def program_grantees(program, region_id: int | None = None):
    grantees = Grantee.objects.filter(program=program, is_active=True)
    if region_id:
        grantees = grantees.filter(region_id=region_id)
    return grantees.select_related("region").order_by("region__name", "name")


def program_rows(
    *, program, period: Period, region_id: int | None = None, now=None
) -> list[ProgramRow]:
    """The progress report's measures for every active grantee of the program (or of one
    region), each from one grouped query over all of them: the same rules as
    grantee_progress, so a grantee's row reconciles with its own report."""
    from django.db.models import OuterRef, Subquery

    from booking.models import Booking
    from events.models import Event, Registration
    from events.selectors import LIVE

    now = now or timezone.now()
    start, end = day_range(period.starts_on, period.ends_on)
    latest = Assessment.objects.filter(
        grantee=OuterRef("pk"),
        status=Assessment.Status.FINALIZED,
        interview_on__lte=period.ends_on,
    ).order_by("-interview_on", "-finalized_at")
    baseline = Assessment.objects.filter(
        grantee=OuterRef("pk"),
        status=Assessment.Status.FINALIZED,
        kind=Assessment.Kind.BASELINE,
        interview_on__lte=period.ends_on,
    ).order_by("-interview_on", "-finalized_at")
    plans = Plan.objects.filter(grantee=OuterRef("pk"), created_at__lt=end).order_by("-created_at")
    grantees = list(
        program_grantees(program, region_id).annotate(
            latest_kind=Subquery(latest.values("kind")[:1]),
            latest_score=Subquery(latest.values("overall_score")[:1]),
            baseline_score=Subquery(baseline.values("overall_score")[:1]),
            plan_id=Subquery(plans.values("pk")[:1]),
        )
    )
    rows = {g.pk: ProgramRow(grantee=g) for g in grantees}
    kinds = dict(Assessment.Kind.choices)
    for g in grantees:
        row = rows[g.pk]
        row.assessment_kind = kinds.get(g.latest_kind, "")
        row.overall_score = g.latest_score
        # Growth is shown for a follow-up only; a baseline has nothing to grow from.
        row.baseline_score = g.baseline_score if g.latest_kind != Assessment.Kind.BASELINE else None
    ids = list(rows)
    for r in (
        LedgerEntry.objects.filter(account__grantee__in=ids, effective_on__lte=period.ends_on)
        .values("account__grantee_id")
        .annotate(
            allocated=Sum("minutes", filter=Q(bucket=LedgerEntry.Bucket.ALLOCATED)),
            held=Sum("minutes", filter=Q(bucket=LedgerEntry.Bucket.HELD)),
            used=Sum("minutes", filter=Q(bucket=LedgerEntry.Bucket.USED)),
            used_in_period=Sum(
                "minutes",
                filter=Q(bucket=LedgerEntry.Bucket.USED, effective_on__gte=period.starts_on),
            ),
        )
    ):
        row = rows[r["account__grantee_id"]]
        row.allocated_minutes = r["allocated"] or 0
        row.held_minutes = -(r["held"] or 0)
        row.used_to_date_minutes = -(r["used"] or 0)
        row.used_in_period_minutes = -(r["used_in_period"] or 0)
    for r in (
        CoachingSession.objects.filter(grantee__in=ids, started_at__gte=start, started_at__lt=end)
        .values("grantee_id")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
    ):
        rows[r["grantee_id"]].sessions = r["n"]
        rows[r["grantee_id"]].session_minutes = r["minutes"] or 0
    held = [Booking.Status.BOOKED, Booking.Status.COMPLETED]
    for r in (
        Booking.objects.filter(grantee__in=ids, starts_at__gte=start, starts_at__lt=min(end, now))
        .values("grantee_id")
        .annotate(
            office=Count("pk", filter=Q(kind=Booking.Kind.OFFICE_HOURS, status__in=held)),
            one=Count("pk", filter=Q(kind=Booking.Kind.ONE_ON_ONE, status__in=held)),
        )
    ):
        rows[r["grantee_id"]].office_hours_attended = r["office"]
        rows[r["grantee_id"]].one_on_ones = r["one"]
    past = Q(status=Registration.Status.CONFIRMED, event__ends_at__lte=now)
    for r in (
        Registration.objects.filter(
            grantee__in=ids,
            status__in=LIVE,
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .values("grantee_id")
        .annotate(
            registered=Count("pk", filter=past),
            attended=Count("pk", filter=past & Q(checked_in_at__isnull=False)),
        )
    ):
        rows[r["grantee_id"]].events_registered = r["registered"]
        rows[r["grantee_id"]].events_attended = r["attended"]
    plan_of = {g.plan_id: g.pk for g in grantees if g.plan_id}
    for r in (
        Goal.objects.filter(plan_id__in=list(plan_of))
        .values("plan_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=Goal.Status.DONE)))
    ):
        rows[plan_of[r["plan_id"]]].goals_total = r["total"]
        rows[plan_of[r["plan_id"]]].goals_done = r["done"]
    outcomes = outcome_selectors.period_totals(
        grantee_ids=ids, starts_on=period.starts_on, ends_on=period.ends_on
    )
    for grantee_id, sums in outcomes.items():
        row = rows[grantee_id]
        row.outcome_quarters = sums["quarters"]
        row.enrolled = sums["enrolled"] or 0
        row.credentials_earned = sums["credentials_earned"] or 0
        row.employed_healthcare = sums["employed_healthcare"] or 0
    return list(rows.values())


def totals(rows: list[ProgramRow], label: str) -> dict:
    """Sums of the counted measures (and the mean overall score) over some rows."""
    summed = {name: sum(getattr(row, name) for row in rows) for name in SUMMED}
    scores = [row.overall_score for row in rows if row.overall_score is not None]
    return {
        "label": label,
        "grantees": len(rows),
        **summed,
        "remaining_minutes": summed["allocated_minutes"]
        - summed["used_to_date_minutes"]
        - summed["held_minutes"],
        "overall_score": assessment_scoring.mean(scores) if scores else None,
    }


def by_region(rows: list[ProgramRow]) -> list[dict]:
    regions: dict[str, list[ProgramRow]] = {}
    for row in rows:
        regions.setdefault(row.grantee.region.name, []).append(row)
    return [totals(members, name) for name, members in regions.items()]


def region_hours_chart(regions: list[dict]) -> BarChart | None:
    if not regions:
        return None
    top = _nice_top(max(t["used_in_period_minutes"] for t in regions) / 60 or 1)
    return bar_chart(
        [(t["label"], hours_decimal(t["used_in_period_minutes"]), None) for t in regions],
        scale=(0, top),
        value_label="Hours used",
        tick_step=max(top // 5, 1),
    )


# --- Issued reports -------------------------------------------------------------------------------


@dataclass
class Correction:
    grantee: str
    measure: str
    issued: str
    now: str


def issued_corrections(issued) -> list[Correction]:
    """Where the live report for the issued quarter now differs from what was issued (a ledger
    correction, a session recorded late). The issued figures stand; these are shown beside
    them."""
    from reports import exports

    period = Period(issued.period_key, issued.starts_on, issued.ends_on)
    live = {
        row.grantee.pk: ["" if v is None else str(v) for v in exports.program_row(row)]
        for row in program_rows(program=issued.program, period=period)
    }
    # By column name: a report issued before a column was added still compares what it has.
    header = exports.program_header()
    changes = []
    for grantee_id, values in zip(issued.grantee_ids, issued.rows, strict=True):
        now = live.get(grantee_id)
        if now is None:
            continue
        current = dict(zip(header, now, strict=True))
        for name, was in zip(issued.header, values, strict=True):
            if name in current and was != current[name]:
                changes.append(Correction(values[0], name, was, current[name]))
    return changes

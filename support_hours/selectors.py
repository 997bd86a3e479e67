"""Scoped reads for support hours. Views read requests, sessions and the ledger only through here;
every function takes the grantee (or program) the access decorator already resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from grantees.models import CoachProfile, Grantee, Membership, Program, User
from support_hours.models import (
    ActionItem,
    CoachingSession,
    HourAccount,
    LedgerEntry,
    SupportRequest,
    SupportRequestEvent,
)

# The burn rate looks at the last eight weeks: long enough to smooth a holiday, short enough to
# follow a grantee that has picked up or slowed down.
BURN_RATE_WEEKS = 8
# Flag a grantee on pace to leave at least this much unused at the end of the period.
UNDERUSE_FLAG_MINUTES = 10 * 60


# --- Hours ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    day: date
    available_minutes: int
    x: float
    y: float


@dataclass(frozen=True)
class MonthRow:
    month: date
    used_minutes: int
    available_minutes: int


@dataclass
class HourSummary:
    account: HourAccount | None
    allocated_minutes: int = 0
    used_minutes: int = 0
    held_minutes: int = 0
    available_minutes: int = 0
    burn_minutes_per_week: int = 0
    run_out_on: date | None = None
    projected_unused_minutes: int = 0
    points: list[ChartPoint] = field(default_factory=list)
    projection: list[ChartPoint] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)
    y_ticks: list[tuple[int, float]] = field(default_factory=list)
    x_ticks: list[tuple[str, float]] = field(default_factory=list)

    @property
    def used_share(self) -> int:
        if not self.allocated_minutes:
            return 0
        return round(100 * self.used_minutes / self.allocated_minutes)

    @property
    def burn_hours_per_week(self) -> float:
        return self.burn_minutes_per_week / 60

    @property
    def on_pace_to_underuse(self) -> bool:
        return self.projected_unused_minutes >= UNDERUSE_FLAG_MINUTES

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def projection_polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.projection)


# The chart's drawing area inside a 640 × 260 SVG viewBox.
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 56, 624, 16, 220


def hour_summary(*, grantee: Grantee, today: date | None = None) -> HourSummary:
    """Balances, burn rate, projection and the burn-down series for the hour page (2 queries)."""
    today = today or timezone.localdate()
    account = HourAccount.objects.filter(grantee=grantee).first()
    if account is None:
        return HourSummary(account=None)
    summary = HourSummary(
        account=account,
        allocated_minutes=account.allocated_minutes,
        used_minutes=account.used_minutes,
        held_minutes=account.held_minutes,
        available_minutes=account.available_minutes,
    )
    # Net minutes per day and bucket, by the day the hours count for.
    daily: dict[date, dict[str, int]] = {}
    for row in (
        LedgerEntry.objects.filter(account=account)
        .values("effective_on", "bucket")
        .annotate(total=Sum("minutes"))
        .order_by("effective_on")
    ):
        daily.setdefault(row["effective_on"], {})[row["bucket"]] = row["total"]

    start, end = account.period_starts_on, account.period_ends_on
    recent_from = today - timedelta(weeks=BURN_RATE_WEEKS)
    recent_used = -sum(
        buckets.get(LedgerEntry.Bucket.USED, 0)
        for day, buckets in daily.items()
        if recent_from < day <= today
    )
    summary.burn_minutes_per_week = max(recent_used, 0) // BURN_RATE_WEEKS
    per_day = summary.burn_minutes_per_week / 7
    available = summary.available_minutes
    if per_day > 0 and available > 0:
        summary.run_out_on = today + timedelta(days=int(available / per_day))
    days_left = max((end - today).days, 0)
    unused = max(int(available - per_day * days_left), 0)
    summary.projected_unused_minutes = unused - unused % 15  # the UI counts quarter hours

    # Available hours at the end of each week, from the period start to today.
    scale_max = max(account.allocated_minutes, max(0, available), 60)
    span_days = max((end - start).days, 1)

    def point(day: date, minutes: int) -> ChartPoint:
        x = CHART_LEFT + (CHART_RIGHT - CHART_LEFT) * (day - start).days / span_days
        clamped = min(max(minutes, 0), scale_max)
        y = CHART_BOTTOM - (CHART_BOTTOM - CHART_TOP) * clamped / scale_max
        return ChartPoint(day, minutes, x, y)

    running = 0
    days = sorted(daily)
    index = 0
    last_day = min(today, end)
    # Anything dated before the period (an early allocation) counts from its first day.
    cursor = start
    while True:
        while index < len(days) and days[index] <= cursor:
            running += sum(daily[days[index]].values())
            index += 1
        summary.points.append(point(cursor, running))
        if cursor >= last_day:
            break
        cursor = min(cursor + timedelta(days=7), last_day)
    if today < end and available > 0:
        finish = min(summary.run_out_on or end, end)
        runs_out_in_period = summary.run_out_on is not None and summary.run_out_on <= end
        remaining_at_finish = 0 if runs_out_in_period else summary.projected_unused_minutes
        summary.projection = [point(last_day, available), point(finish, remaining_at_finish)]

    # Monthly table for screen readers (and anyone who prefers numbers).
    month = date(start.year, start.month, 1)
    running, used_in_month = 0, 0
    month_rows: list[MonthRow] = []
    index = 0
    while month <= last_day:
        next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        used_in_month = 0
        while index < len(days) and days[index] < next_month:
            buckets = daily[days[index]]
            running += sum(buckets.values())
            used_in_month -= buckets.get(LedgerEntry.Bucket.USED, 0)
            index += 1
        month_rows.append(MonthRow(month, used_in_month, running))
        month = next_month
    summary.months = month_rows

    step = 20 * 60 if scale_max > 60 * 60 else 5 * 60
    summary.y_ticks = [
        (minutes // 60, point(start, minutes).y) for minutes in range(0, scale_max + 1, step)
    ]
    summary.x_ticks = [
        (row.month.strftime("%b"), point(row.month, 0).x)
        for row in _month_starts(start, end)
        if row.month >= start
    ]
    return summary


def _month_starts(start: date, end: date) -> list[MonthRow]:
    rows, month = [], date(start.year, start.month, 1)
    while month <= end:
        rows.append(MonthRow(month, 0, 0))
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return rows


def hour_balance(*, grantee: Grantee) -> HourAccount | None:
    """Just the balances (one query), for dashboards."""
    return HourAccount.objects.filter(grantee=grantee).first()


def ledger_entries(*, grantee: Grantee) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(account__grantee=grantee)
        .select_related("session", "actor", "corrects")
        .order_by("-created_at", "-pk")
    )


def program_hours(*, program: Program) -> list[Grantee]:
    """Every active grantee of the program with its hour account (or None), by name."""
    return list(
        Grantee.objects.filter(program=program, is_active=True)
        .select_related("hour_account", "region")
        .order_by("name")
    )


# --- Requests ------------------------------------------------------------------------------------


def grantee_requests(*, grantee: Grantee) -> QuerySet[SupportRequest]:
    return (
        SupportRequest.objects.filter(grantee=grantee)
        .select_related("topic", "requested_by", "assigned_coach")
        .order_by("-created_at", "-pk")
    )


def program_request_queue(*, program: Program, status: str = "") -> QuerySet[SupportRequest]:
    requests = SupportRequest.objects.filter(grantee__program=program, grantee__is_active=True)
    if status == "open":
        requests = requests.exclude(status=SupportRequest.Status.CLOSED)
    elif status:
        requests = requests.filter(status=status)
    return requests.select_related("grantee", "topic", "requested_by", "assigned_coach").order_by(
        "status", "-created_at", "-pk"
    )


def request_detail(*, grantee: Grantee, request_id: int) -> SupportRequest:
    request = (
        SupportRequest.objects.filter(grantee=grantee, pk=request_id)
        .select_related("topic", "requested_by", "assigned_coach")
        .prefetch_related(
            "desired_expertise",
            Prefetch("events", queryset=SupportRequestEvent.objects.select_related("actor")),
            Prefetch(
                "sessions",
                queryset=CoachingSession.objects.select_related("coach").order_by("-started_at"),
            ),
        )
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    return request


@dataclass(frozen=True)
class CoachSuggestion:
    coach: User
    overlap: list[str]
    open_requests: int
    recent_minutes: int


def coach_suggestions(
    *, request: SupportRequest, today: date | None = None
) -> list[CoachSuggestion]:
    """Active coaches ranked by how much of the request's expertise they cover, then by how busy
    they are (open requests, then hours delivered in the last 30 days)."""
    today = today or timezone.localdate()
    wanted = {request.topic_id, *(t.pk for t in request.desired_expertise.all())}
    recent_minutes = (
        CoachingSession.objects.filter(
            coach=OuterRef("user"), started_at__date__gte=today - timedelta(days=30)
        )
        .values("coach")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    open_requests = (
        SupportRequest.objects.filter(assigned_coach=OuterRef("user"))
        .exclude(status=SupportRequest.Status.CLOSED)
        .values("assigned_coach")
        .annotate(n=Count("pk"))
        .values("n")
    )
    profiles = (
        CoachProfile.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("expertise")
        .annotate(
            recent=Coalesce(Subquery(recent_minutes, output_field=IntegerField()), 0),
            open_count=Coalesce(Subquery(open_requests, output_field=IntegerField()), 0),
        )
    )
    suggestions = [
        CoachSuggestion(
            coach=profile.user,
            overlap=sorted(t.name for t in profile.expertise.all() if t.pk in wanted),
            open_requests=profile.open_count,
            recent_minutes=profile.recent,
        )
        for profile in profiles
    ]
    suggestions.sort(
        key=lambda s: (-len(s.overlap), s.open_requests, s.recent_minutes, s.coach.full_name)
    )
    return suggestions


# --- Sessions ------------------------------------------------------------------------------------


def grantee_sessions(*, grantee: Grantee) -> QuerySet[CoachingSession]:
    return (
        CoachingSession.objects.filter(grantee=grantee)
        .select_related("coach")
        .prefetch_related("topics")
        .order_by("-started_at", "-pk")
    )


def session_detail(*, grantee: Grantee, session_id: int) -> CoachingSession:
    session = (
        CoachingSession.objects.filter(grantee=grantee, pk=session_id)
        .select_related(
            "coach",
            "request",
            "plan_goal",
            "confirmed_by",
            "disputed_by",
            "resolved_by",
            "recorded_by",
        )
        .prefetch_related(
            "topics",
            "attendees",
            "action_items",
            "revisions__actor",
            Prefetch(
                "ledger_entries",
                queryset=LedgerEntry.objects.select_related("actor").order_by("created_at", "pk"),
            ),
        )
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def session_for_edit(*, grantee: Grantee, session_id: int) -> CoachingSession:
    session = (
        CoachingSession.objects.filter(grantee=grantee, pk=session_id)
        .prefetch_related("topics", "attendees", "action_items")
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def action_item(*, grantee: Grantee, session_id: int, item_id: int) -> ActionItem:
    item = (
        ActionItem.objects.filter(pk=item_id, session_id=session_id, session__grantee=grantee)
        .select_related("session__grantee")
        .first()
    )
    if item is None:
        raise Http404("No such action item.")
    return item


def grantee_members(*, grantee: Grantee) -> QuerySet[User]:
    return User.objects.filter(
        memberships__grantee=grantee, memberships__role__in=Membership.Role.values, is_active=True
    ).order_by("full_name")


def open_requests_for_grantee(*, grantee: Grantee) -> QuerySet[SupportRequest]:
    return (
        SupportRequest.objects.filter(grantee=grantee)
        .exclude(status=SupportRequest.Status.CLOSED)
        .order_by("-created_at")
    )


def disputed_sessions(*, program: Program) -> QuerySet[CoachingSession]:
    return (
        CoachingSession.objects.filter(
            grantee__program=program, status=CoachingSession.Status.DISPUTED
        )
        .select_related("grantee", "coach", "disputed_by")
        .order_by("disputed_at")
    )


def coach_open_requests(*, coach: User) -> QuerySet[SupportRequest]:
    return (
        SupportRequest.objects.filter(assigned_coach=coach, grantee__is_active=True)
        .exclude(status=SupportRequest.Status.CLOSED)
        .select_related("grantee", "topic")
        .order_by("-created_at")
    )


def coach_recent_sessions(*, coach: User, limit: int = 10) -> list[CoachingSession]:
    return list(
        CoachingSession.objects.filter(coach=coach)
        .select_related("grantee")
        .order_by("-started_at")[:limit]
    )


def pending_confirmations(*, grantee: Grantee) -> QuerySet[CoachingSession]:
    return CoachingSession.objects.filter(
        grantee=grantee, status=CoachingSession.Status.RECORDED
    ).select_related("coach")

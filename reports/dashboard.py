"""The program dashboard: how the hours are being used, who needs attention, coach load and
what is coming up. Every list is a fixed number of grouped queries over the whole program."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from booking.models import Booking
from events.models import Event, Registration
from grantees.models import CoachAssignment, Grantee, Program
from support_hours.models import CoachingSession, HourAccount, LedgerEntry
from support_hours.selectors import BURN_RATE_WEEKS

NO_CONTACT_DAYS = 60
UNDER_USE_SHARE = Decimal("0.25")  # of the hours used when half the period is gone


@dataclass
class Watch:
    grantee: Grantee
    reasons: list[str] = field(default_factory=list)
    available_minutes: int = 0
    used_minutes: int = 0
    allocated_minutes: int = 0
    last_contact: datetime.date | None = None
    run_out_on: datetime.date | None = None


@dataclass
class CoachLoad:
    name: str
    grantees: int
    sessions: int
    minutes: int
    upcoming: int


@dataclass
class RegionUse:
    name: str
    grantees: int = 0
    allocated_minutes: int = 0
    used_minutes: int = 0
    available_minutes: int = 0
    watched: int = 0


@dataclass
class ProgramDashboard:
    allocated_minutes: int
    used_minutes: int
    held_minutes: int
    elapsed_share: Decimal  # of the program period, 0–1
    watch: list[Watch]
    coaches: list[CoachLoad]
    events: list[Event]
    regions: list[RegionUse]

    @property
    def used_share(self) -> Decimal:
        if not self.allocated_minutes:
            return Decimal(0)
        return Decimal(self.used_minutes) / self.allocated_minutes


def program_dashboard(*, program: Program, today: datetime.date | None = None) -> ProgramDashboard:
    now = timezone.now()
    today = today or timezone.localdate()
    span = max((program.ends_on - program.starts_on).days, 1)
    elapsed = Decimal(min(max((today - program.starts_on).days, 0), span)) / span
    grantees = {
        g.pk: g
        for g in Grantee.objects.filter(program=program, is_active=True).select_related("region")
    }
    accounts = {a.grantee_id: a for a in HourAccount.objects.filter(grantee__in=list(grantees))}
    recent_from = today - datetime.timedelta(weeks=BURN_RATE_WEEKS)
    recent = dict(
        LedgerEntry.objects.filter(
            account__grantee__in=list(grantees),
            bucket=LedgerEntry.Bucket.USED,
            effective_on__gt=recent_from,
            effective_on__lte=today,
        )
        .values("account__grantee_id")
        .annotate(used=Sum("minutes"))
        .values_list("account__grantee_id", "used")
    )
    contact = dict(
        CoachingSession.objects.filter(grantee__in=list(grantees))
        .values("grantee_id")
        .annotate(last=Max("started_at"))
        .values_list("grantee_id", "last")
    )
    watch = []
    for pk, grantee in grantees.items():
        account = accounts.get(pk)
        item = Watch(grantee=grantee)
        if account is not None:
            item.allocated_minutes = account.allocated_minutes
            item.used_minutes = account.used_minutes
            item.available_minutes = account.available_minutes
            per_day = max(-(recent.get(pk) or 0), 0) / (BURN_RATE_WEEKS * 7)
            if per_day and account.available_minutes > 0:
                item.run_out_on = today + datetime.timedelta(
                    days=int(account.available_minutes / per_day)
                )
            if item.run_out_on and item.run_out_on < program.ends_on:
                item.reasons.append(f"runs out about {item.run_out_on:%b %-d} at its pace")
            if account.available_minutes <= 0:
                item.reasons.append("no hours left")
            if (
                elapsed >= Decimal("0.5")
                and account.allocated_minutes
                and Decimal(account.used_minutes) / account.allocated_minutes < UNDER_USE_SHARE
            ):
                item.reasons.append("under a quarter of its hours used, half the year gone")
        last = contact.get(pk)
        item.last_contact = timezone.localtime(last).date() if last else None
        if item.last_contact is None or (today - item.last_contact).days > NO_CONTACT_DAYS:
            item.reasons.append(f"no coaching session in {NO_CONTACT_DAYS} days")
        if item.reasons:
            watch.append(item)
    watch.sort(key=lambda w: (-len(w.reasons), w.grantee.name))

    month_ago = now - datetime.timedelta(days=30)
    coach_rows = (
        CoachAssignment.objects.filter(grantee__in=list(grantees))
        .values("coach_id", "coach__full_name")
        .annotate(n=Count("grantee", distinct=True))
        .order_by("coach__full_name")
    )
    sessions = {
        r["coach_id"]: r
        for r in CoachingSession.objects.filter(
            grantee__in=list(grantees), started_at__gte=month_ago
        )
        .values("coach_id")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
    }
    upcoming = dict(
        Booking.objects.filter(
            grantee__in=list(grantees),
            kind=Booking.Kind.ONE_ON_ONE,
            status=Booking.Status.BOOKED,
            starts_at__gte=now,
        )
        .values("coach_id")
        .annotate(n=Count("pk"))
        .values_list("coach_id", "n")
    )
    coaches = [
        CoachLoad(
            name=r["coach__full_name"],
            grantees=r["n"],
            sessions=sessions.get(r["coach_id"], {}).get("n", 0),
            minutes=sessions.get(r["coach_id"], {}).get("minutes", 0) or 0,
            upcoming=upcoming.get(r["coach_id"], 0),
        )
        for r in coach_rows
    ]
    events = list(
        Event.objects.filter(program=program, status=Event.Status.PUBLISHED, ends_at__gt=now)
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            )
        )
        .order_by("starts_at")[:6]
    )
    totals = list(accounts.values())
    regions: dict[str, RegionUse] = {}
    watched = {w.grantee.pk for w in watch}
    for pk, grantee in sorted(grantees.items(), key=lambda item: item[1].region.name):
        region = regions.setdefault(grantee.region.name, RegionUse(grantee.region.name))
        region.grantees += 1
        region.watched += pk in watched
        account = accounts.get(pk)
        if account is not None:
            region.allocated_minutes += account.allocated_minutes
            region.used_minutes += account.used_minutes
            region.available_minutes += account.available_minutes
    return ProgramDashboard(
        regions=list(regions.values()),
        allocated_minutes=sum(a.allocated_minutes for a in totals),
        used_minutes=sum(a.used_minutes for a in totals),
        held_minutes=sum(a.held_minutes for a in totals),
        elapsed_share=elapsed,
        watch=watch,
        coaches=coaches,
        events=events,
    )

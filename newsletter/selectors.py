"""What goes into a newsletter issue, and who receives it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from events.models import Event, Registration
from grantees.models import Grantee, Program, User
from library.models import Resource
from newsletter.models import Issue, Subscription
from portal.timezones import day_range
from support_hours.models import CoachingSession


@dataclass
class IssueContent:
    issue: Issue
    figures: list[tuple[str, str]] = field(default_factory=list)
    upcoming: list[Event] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)


def issue_content(issue: Issue, *, now: datetime.datetime | None = None) -> IssueContent:
    """Key figures of the period across the program, the events coming up, and the library's new
    resources that everyone in the program may see (never a grantee-only one): a newsletter goes
    to the whole program."""
    now = now or timezone.now()
    start, end = day_range(issue.period_starts_on, issue.period_ends_on)
    program = issue.program
    grantees = Grantee.objects.filter(program=program, is_active=True)
    sessions = CoachingSession.objects.filter(
        grantee__program=program, started_at__gte=start, started_at__lt=end
    ).aggregate(n=Count("pk"), minutes=Sum("minutes"))
    held = Event.objects.filter(
        program=program,
        status=Event.Status.PUBLISHED,
        starts_at__gte=start,
        starts_at__lt=end,
        ends_at__lte=now,
    ).aggregate(
        n=Count("pk", distinct=True),
        attended=Count(
            "registrations",
            filter=Q(registrations__checked_in_at__isnull=False)
            & ~Q(registrations__status=Registration.Status.CANCELLED),
        ),
    )
    published = Resource.objects.filter(
        Q(visibility=Resource.Visibility.PORTAL)
        | Q(visibility=Resource.Visibility.PROGRAM, program=program),
        status=Resource.Status.PUBLISHED,
        published_at__gte=start,
        published_at__lt=end,
    ).exclude(pk=issue.resource_id or 0)
    content = IssueContent(issue=issue)
    content.figures = [
        ("Consortia in the program", str(grantees.count())),
        ("Coaching sessions", str(sessions["n"])),
        ("Hours of individualized coaching", f"{(sessions['minutes'] or 0) / 60:.0f}"),
        ("Trainings, CoPs and webinars held", str(held["n"])),
        ("Participants at them", str(held["attended"])),
        ("New library resources", str(published.count())),
    ]
    content.upcoming = list(
        Event.objects.filter(program=program, status=Event.Status.PUBLISHED, starts_at__gt=now)
        .select_related("region")
        .order_by("starts_at")[:6]
    )
    content.resources = list(published.order_by("-published_at")[:8])
    return content


def issues_for(program: Program) -> list[Issue]:
    return list(Issue.objects.filter(program=program).select_related("created_by"))


def issue_in(program: Program, issue_id: int) -> Issue:
    issue = (
        Issue.objects.filter(program=program, pk=issue_id)
        .select_related("program", "created_by", "resource")
        .first()
    )
    if issue is None:
        raise Http404("No such newsletter issue.")
    return issue


def program_people(program: Program):
    """Everyone of the program: its grantees' people and coaches, its TA and state admins."""
    return User.objects.filter(
        Q(memberships__grantee__program=program, memberships__grantee__is_active=True)
        | Q(coach_assignments__grantee__program=program)
        | Q(program_roles__program=program),
        is_active=True,
    ).distinct()


def subscribers(program: Program):
    return program_people(program).filter(newsletter__subscribed=True)


def is_subscribed(user) -> bool:
    return Subscription.objects.filter(user=user, subscribed=True).exists()

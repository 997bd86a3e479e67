"""Scoped reads for events. Events are program-wide; registrations are tenant rows, read inside
the request's scope and filtered by the grantee in the URL (organizers see every grantee's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import Event, EventSeries, Registration, SeriesEnrollment
from grantees.models import Grantee, Program, User
from portal.querysets import count_per_row
from portal.roles import Roles

LIVE = [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]


def _live_count(status: str) -> Coalesce:
    """How many registrations of an event have this status (counted per listed event)."""
    return count_per_row(
        Registration.objects.filter(event_id=OuterRef("pk"), status=status), key="event_id"
    )


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        confirmed_count=_live_count(Registration.Status.CONFIRMED),
        waitlisted_count=_live_count(Registration.Status.WAITLISTED),
    )


def open_to_grantee(events: QuerySet[Event], grantee: Grantee) -> QuerySet[Event]:
    """Events whose audience includes the grantee: no region limit, or the grantee's region."""
    audience = Event.audience_regions.through.objects.filter(event_id=OuterRef("pk"))
    return events.filter(~Exists(audience) | Exists(audience.filter(region_id=grantee.region_id)))


def grantee_events(
    *,
    grantee: Grantee,
    kind: str = "",
    region_id: int | None = None,
    now: datetime | None = None,
    between: tuple[datetime, datetime] | None = None,
) -> QuerySet[Event]:
    """Published events of the grantee's program, soonest first: those not ended yet, or (for
    the month calendar) those starting `between` two instants, past ones included."""
    now = now or timezone.now()
    events = open_to_grantee(
        Event.objects.filter(program_id=grantee.program_id, status=Event.Status.PUBLISHED),
        grantee,
    )
    if between:
        events = events.filter(starts_at__gte=between[0], starts_at__lt=between[1])
    else:
        events = events.filter(ends_at__gt=now)
    if kind:
        events = events.filter(kind=kind)
    if region_id:
        events = events.filter(region_id=region_id)
    with scopes_disabled():  # the counts cover every grantee; nobody's name is read
        return _with_counts(events.select_related("region", "topic", "series")).order_by(
            "starts_at"
        )


def event_for_grantee(*, grantee: Grantee, event_id: int) -> Event:
    event = (
        Event.objects.filter(pk=event_id, program_id=grantee.program_id)
        .exclude(status=Event.Status.DRAFT)
        .select_related("region", "topic", "program", "series")
        .prefetch_related("audience_regions")
        .first()
    )
    if event is None:
        raise Http404("No such event.")
    return event


def team_registrations(*, grantee: Grantee, event: Event) -> list[Registration]:
    return list(
        Registration.objects.filter(grantee=grantee, event=event)
        .select_related("person", "registered_by")
        .order_by("status", "seat", "waitlist_position", "created_at")
    )


def registration_for_grantee(*, grantee: Grantee, registration_id: int) -> Registration:
    registration = (
        Registration.objects.filter(pk=registration_id, grantee=grantee)
        .select_related("event", "person", "registered_by", "grantee", "event__program")
        .first()
    )
    if registration is None:
        raise Http404("No such registration.")
    return registration


def program_events(*, program: Program) -> QuerySet[Event]:
    with scopes_disabled():
        return _with_counts(
            Event.objects.filter(program=program).select_related("region")
        ).order_by("-starts_at")


@dataclass
class SeriesGroup:
    """A series' sessions, shown together in the program's event table."""

    series: EventSeries
    sessions: list[Event]


def program_event_table(*, program: Program) -> list[Event | SeriesGroup]:
    """The program's events, newest first, with each series' sessions gathered (in date order)
    where its latest session falls."""
    rows: list[Event | SeriesGroup] = []
    groups: dict[int, SeriesGroup] = {}
    for event in program_events(program=program).select_related("series"):
        if event.series_id is None:
            rows.append(event)
            continue
        if event.series_id not in groups:
            groups[event.series_id] = SeriesGroup(event.series, [])
            rows.append(groups[event.series_id])
        groups[event.series_id].sessions.insert(0, event)
    return rows


def event_for_program(*, program: Program, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id, program=program).select_related("region").first()
    if event is None:
        raise Http404("No such event.")
    return event


def roster(*, event: Event) -> list[Registration]:
    """Every registration of an event, for its organizers (needs included)."""
    with scopes_disabled():
        return list(
            Registration.objects.filter(event=event)
            .select_related("grantee", "person", "registered_by")
            .order_by("status", "seat", "waitlist_position", "created_at")
        )


def check_in_list(*, event: Event, search: str = "") -> list[Registration]:
    """Confirmed people of an event for the door, by name; `search` matches the name (a walk-in's
    too) or the grantee."""
    with scopes_disabled():
        registrations = Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED
        ).select_related("person", "grantee")
        if search:
            registrations = registrations.filter(
                Q(person__full_name__icontains=search)
                | Q(walk_in_name__icontains=search)
                | Q(grantee__name__icontains=search)
            )
        return list(
            registrations.annotate(name=Coalesce("person__full_name", "walk_in_name")).order_by(
                "name", "pk"
            )
        )


def registration_for_event(*, event: Event, registration_id: int) -> Registration:
    with scopes_disabled():
        registration = (
            Registration.objects.filter(pk=registration_id, event=event)
            .select_related("person", "grantee", "event")
            .first()
        )
    if registration is None:
        raise Http404("No such registration.")
    return registration


def event_for_organizer(*, program: Program, event_id: int, roles: Roles) -> Event:
    """An event the person may run: any of the program's as its TA admin, else one they
    organize; 404 otherwise (its roster is not revealed)."""
    events = Event.objects.filter(pk=event_id, program=program)
    if program.pk not in roles.ta_admin_of:
        events = events.filter(organizers__pk=roles.user_id)
    event = events.select_related("region").first()
    if event is None:
        raise Http404("No such event.")
    return event


def organizer_upcoming_events(*, user, days: int = 60, limit: int = 8) -> list[Event]:
    """Upcoming events a coach organizes (they run check-in on the day)."""
    now = timezone.now()
    return list(
        Event.objects.filter(
            organizers=user,
            status=Event.Status.PUBLISHED,
            ends_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("program")
        .order_by("starts_at")[:limit]
    )


def feed_registrations(*, user, now: datetime | None = None) -> list[Registration]:
    """A person's registrations for their calendar feed, from 90 days back (seats and
    cancellations; a place on the waiting list is not on their calendar yet)."""
    now = now or timezone.now()
    with scopes_disabled():  # the feed token identifies the person; rows are filtered to them
        return list(
            Registration.objects.filter(person=user, event__starts_at__gte=now - timedelta(days=90))
            .exclude(event__status=Event.Status.DRAFT)
            .exclude(status=Registration.Status.WAITLISTED)
            .select_related("event", "person")
            .order_by("event__starts_at")[:500]
        )


def agenda(*, event: Event) -> list:
    return list(event.agenda.all())


def seat_of(*, grantee: Grantee, event: Event, person: User) -> Registration | None:
    """The person's live registration for the event through this grantee, if any."""
    return (
        Registration.objects.filter(grantee=grantee, event=event, person=person)
        .filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED])
        .first()
    )


def materials_for(*, event: Event, registration: Registration | None, now=None) -> list:
    """Materials a person may open: with a seat, "before" ones at once and "after" ones once the
    event is over. Organizers see all (pass registration=None and use event.materials)."""
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return []
    now = now or timezone.now()
    materials = event.materials.all()
    if event.ends_at > now:
        materials = materials.filter(release="before")
    return list(materials)


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    by_rating: list[tuple[int, int]]  # (rating, how many), 5 down to 1
    comments: list[str]


def feedback_summary(*, event: Event) -> FeedbackSummary:
    """The survey's results for organizers: anonymous (no names), comments included."""
    from events.models import Feedback

    with scopes_disabled():
        answers = list(
            Feedback.objects.filter(registration__event=event).values_list("rating", "comments")
        )
    counts = dict.fromkeys(range(1, 6), 0)
    for rating, _ in answers:
        counts[rating] += 1
    return FeedbackSummary(
        count=len(answers),
        average=round(sum(r for r, _ in answers) / len(answers), 1) if answers else None,
        by_rating=[(n, counts[n]) for n in range(5, 0, -1)],
        comments=[c for _, c in answers if c],
    )


# --- Series ---------------------------------------------------------------------------------------


def program_series(*, program: Program) -> list[EventSeries]:
    return list(
        EventSeries.objects.filter(program=program).annotate(session_count=Count("sessions"))
    )


def series_for_program(*, program: Program, series_id: int) -> EventSeries:
    series = EventSeries.objects.filter(pk=series_id, program=program).first()
    if series is None:
        raise Http404("No such series.")
    return series


def series_for_grantee(*, grantee: Grantee, series_id: int) -> EventSeries:
    series = EventSeries.objects.filter(pk=series_id, program_id=grantee.program_id).first()
    if series is None:
        raise Http404("No such series.")
    return series


def series_sessions(*, series: EventSeries, grantee: Grantee | None = None) -> list[Event]:
    """The series' published sessions in order (for a grantee: those open to it), past ones too."""
    sessions = Event.objects.filter(series=series).exclude(status=Event.Status.DRAFT)
    if grantee is not None:
        sessions = open_to_grantee(sessions, grantee)
    with scopes_disabled():
        return list(_with_counts(sessions.select_related("region")).order_by("starts_at"))


def team_enrollments(*, grantee: Grantee, series: EventSeries) -> list[SeriesEnrollment]:
    return list(
        SeriesEnrollment.objects.filter(grantee=grantee, series=series, left_at__isnull=True)
        .select_related("person", "registered_by", "series")
        .order_by("person__full_name")
    )


def enrollment_for_grantee(*, grantee: Grantee, enrollment_id: int) -> SeriesEnrollment:
    enrollment = (
        SeriesEnrollment.objects.filter(pk=enrollment_id, grantee=grantee)
        .select_related("series", "person", "grantee")
        .first()
    )
    if enrollment is None:
        raise Http404("No such registration.")
    return enrollment


# --- The grantee's record -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationTotals:
    registered: int  # people with a seat at events that have ended
    attended: int
    no_shows: int
    upcoming: int  # seats at events still ahead
    waitlisted: int
    walk_ins: int

    @property
    def registrations(self) -> int:
        """Every live registration counted: confirmed (past or ahead) and waitlisted."""
        return self.registered + self.upcoming + self.waitlisted


def grantee_registrations(
    *, grantee: Grantee, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Registration]:
    """Every live registration of the grantee's people (cancelled ones are left out) at
    published events starting in [since, until), latest event first."""
    registrations = Registration.objects.filter(
        grantee=grantee,
        status__in=LIVE,
        event__status=Event.Status.PUBLISHED,
    )
    if since is not None:
        registrations = registrations.filter(event__starts_at__gte=since)
    if until is not None:
        registrations = registrations.filter(event__starts_at__lt=until)
    return registrations.select_related("event", "person").order_by(
        "-event__starts_at", "event_id", "pk"
    )


def participation_totals(
    registrations: QuerySet[Registration], *, now: datetime | None = None
) -> ParticipationTotals:
    """The totals of grantee_registrations(), counted by the database in one query."""
    now = now or timezone.now()
    confirmed = Q(status=Registration.Status.CONFIRMED)
    ended = confirmed & Q(event__ends_at__lte=now)
    counts = registrations.order_by().aggregate(
        registered=Count("pk", filter=ended),
        attended=Count("pk", filter=ended & Q(checked_in_at__isnull=False)),
        no_shows=Count("pk", filter=ended & Q(checked_in_at__isnull=True)),
        upcoming=Count("pk", filter=confirmed & Q(event__ends_at__gt=now)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        walk_ins=Count("pk", filter=confirmed & Q(walk_in=True)),
    )
    return ParticipationTotals(**counts)


def grantee_participation(
    *,
    grantee: Grantee,
    since: datetime | None = None,
    until: datetime | None = None,
    now=None,
    limit: int | None = None,
) -> tuple[ParticipationTotals, list[Registration]]:
    """The grantee's event record: its totals and its registrations, latest event first (only
    the first `limit` of them when given; the totals always count all). The reports issue
    reads the same numbers."""
    registrations = grantee_registrations(grantee=grantee, since=since, until=until)
    totals = participation_totals(registrations, now=now)
    rows = list(registrations if limit is None else registrations[:limit])
    return totals, rows

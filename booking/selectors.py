"""Scoped reads for booking: free slots and seats, a grantee's bookings, a coach's week.

Bookings are tenant rows (django-scopes): pages reach them inside the request's scope and always
filter by the grantee in the URL. Office hours belong to a program: a grantee sees its program's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from booking.models import (
    Booking,
    CalendarFeed,
    CoachSchedule,
    OfficeHourOccurrence,
    OfficeHourSeries,
)
from booking.recurrence import local_to_utc
from grantees.models import CoachAssignment, Grantee, User
from portal.roles import Roles

OFFICE_HOURS_LISTED_DAYS = 120


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    @property
    def value(self) -> str:
        return self.starts_at.isoformat()


@dataclass(frozen=True)
class Place:
    """A bookable office-hour place: one slot, or the drop-in with its seats left."""

    starts_at: datetime
    ends_at: datetime
    taken: bool
    seats_left: int | None = None

    @property
    def value(self) -> str:
        return self.starts_at.isoformat()


# --- Office hours ---------------------------------------------------------------------------------


def places_in(occurrence: OfficeHourOccurrence) -> int:
    series = occurrence.series
    if series.format == OfficeHourSeries.Format.DROP_IN:
        return series.capacity
    return occurrence.minutes // series.slot_minutes


def upcoming_office_hours(
    *, grantee: Grantee, now: datetime | None = None, days: int = OFFICE_HOURS_LISTED_DAYS
) -> list[OfficeHourOccurrence]:
    """The program's scheduled office-hour dates ahead, each with `booked_count` and
    `places_left`."""
    now = now or timezone.now()
    occurrences = list(
        OfficeHourOccurrence.objects.filter(
            series__program_id=grantee.program_id,
            status=OfficeHourOccurrence.Status.SCHEDULED,
            ends_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("series", "series__topic")
        .prefetch_related("series__hosts")
        .annotate(booked_count=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED)))
        .order_by("starts_at")
    )
    for occurrence in occurrences:
        occurrence.places_left = places_in(occurrence) - occurrence.booked_count
    return occurrences


def occurrence_for_grantee(*, grantee: Grantee, occurrence_id: int) -> OfficeHourOccurrence:
    """An office-hour date of the grantee's program, or 404."""
    occurrence = (
        OfficeHourOccurrence.objects.filter(pk=occurrence_id, series__program_id=grantee.program_id)
        .select_related("series", "series__topic", "series__program")
        .prefetch_related("series__hosts")
        .first()
    )
    if occurrence is None:
        raise Http404("No such office hours.")
    return occurrence


def occurrence_places(
    *, occurrence: OfficeHourOccurrence, exclude_booking: Booking | None = None
) -> list[Place]:
    """Every slot of a slotted occurrence (taken or free), or the drop-in's seats left."""
    return _places(occurrence, _taken_starts([occurrence], exclude_booking)[occurrence.pk])


def _taken_starts(
    occurrences: list[OfficeHourOccurrence], exclude_booking: Booking | None
) -> dict[int, Counter]:
    """Per occurrence: how many live bookings start at each time (one query for all)."""
    with scopes_disabled():  # counts only: who booked is not revealed
        booked = Booking.objects.filter(
            occurrence__in=[o.pk for o in occurrences], status=Booking.Status.BOOKED
        )
        if exclude_booking is not None:
            booked = booked.exclude(pk=exclude_booking.pk)
        taken: dict[int, Counter] = {o.pk: Counter() for o in occurrences}
        for occurrence_id, starts_at in booked.values_list("occurrence_id", "starts_at"):
            taken[occurrence_id][starts_at] += 1
    return taken


def series_free_places(
    *, grantee: Grantee, series_id: int, exclude_booking: Booking | None = None
) -> list[tuple[OfficeHourOccurrence, Place]]:
    """Every free place at the upcoming dates of one series (to move a booking to)."""
    occurrences = [o for o in upcoming_office_hours(grantee=grantee) if o.series_id == series_id]
    taken = _taken_starts(occurrences, exclude_booking)
    return [
        (occurrence, place)
        for occurrence in occurrences
        for place in _places(occurrence, taken[occurrence.pk])
        if not place.taken
    ]


def _places(occurrence: OfficeHourOccurrence, taken_starts: Counter) -> list[Place]:
    series = occurrence.series
    if series.format == OfficeHourSeries.Format.DROP_IN:
        left = series.capacity - sum(taken_starts.values())
        return [Place(occurrence.starts_at, occurrence.ends_at, taken=left <= 0, seats_left=left)]
    places = []
    length = timedelta(minutes=series.slot_minutes)
    start = occurrence.starts_at
    while start + length <= occurrence.ends_at:
        places.append(Place(start, start + length, taken=taken_starts[start] > 0))
        start += length
    return places


def series_visible_to(*, roles: Roles) -> QuerySet[OfficeHourSeries]:
    """Series a coach hosts or a TA admin's programs run."""
    return (
        OfficeHourSeries.objects.filter(
            Q(hosts__pk=roles.user_id) | Q(program_id__in=roles.ta_admin_of)
        )
        .distinct()
        .select_related("program", "topic")
        .prefetch_related("hosts")
    )


def series_with_next_date(*, roles: Roles, now: datetime) -> QuerySet[OfficeHourSeries]:
    """The series a person may manage, each with `next_starts_at` (the next scheduled date)."""
    upcoming = OfficeHourOccurrence.objects.filter(
        series=OuterRef("pk"), status=OfficeHourOccurrence.Status.SCHEDULED, ends_at__gt=now
    ).order_by("starts_at")
    return series_visible_to(roles=roles).annotate(
        next_starts_at=Subquery(upcoming.values("starts_at")[:1])
    )


def series_for_staff(*, roles: Roles, series_id: int) -> OfficeHourSeries:
    series = series_visible_to(roles=roles).filter(pk=series_id).first()
    if series is None:
        raise Http404("No such office hours.")
    return series


def series_occurrences(*, series: OfficeHourSeries) -> list[OfficeHourOccurrence]:
    return list(
        series.occurrences.annotate(
            booked_count=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED))
        ).order_by("starts_at")
    )


def occurrence_for_staff(*, series: OfficeHourSeries, occurrence_id: int) -> OfficeHourOccurrence:
    occurrence = series.occurrences.filter(pk=occurrence_id).first()
    if occurrence is None:
        raise Http404("No such office hours.")
    occurrence.series = series
    return occurrence


def occurrence_booking(*, occurrence: OfficeHourOccurrence, booking_id: int) -> Booking:
    """One booking of an office-hour date (for its hosts, whatever the grantee), or 404."""
    with scopes_disabled():
        booking = (
            Booking.objects.filter(pk=booking_id, occurrence=occurrence)
            .select_related("grantee", "grantee__program", "booked_by", "occurrence__series")
            .prefetch_related("occurrence__series__hosts")
            .first()
        )
    if booking is None:
        raise Http404("No such booking at these office hours.")
    return booking


def occurrence_bookings(*, occurrence: OfficeHourOccurrence) -> list[Booking]:
    """Who booked an office-hour date (hosts and TA admins see every grantee's people)."""
    with scopes_disabled():
        return list(
            Booking.objects.filter(occurrence=occurrence)
            .select_related("grantee", "booked_by")
            .order_by("status", "starts_at", "seat")
        )


# --- 1:1 availability -----------------------------------------------------------------------------


def matched_coaches(*, grantee: Grantee) -> list[User]:
    """The grantee's assigned coaches who take 1:1 bookings (have a schedule with windows)."""
    return list(
        User.objects.filter(
            pk__in=CoachAssignment.objects.filter(grantee=grantee).values("coach_id"),
            is_active=True,
            coach_profile__is_active=True,
            booking_schedule__windows__isnull=False,
        )
        .distinct()
        .select_related("booking_schedule", "coach_profile")
        .order_by("full_name")
    )


def coach_for_grantee(*, grantee: Grantee, coach_id: int) -> User:
    for coach in matched_coaches(grantee=grantee):
        if coach.pk == coach_id:
            return coach
    raise Http404("This coach does not take 1:1 bookings from this grantee.")


def schedule_of(coach: User) -> CoachSchedule | None:
    return CoachSchedule.objects.filter(coach=coach).first()


# How far ahead free times are looked for when a day has none.
SUGGESTION_DAYS = 60


@dataclass(frozen=True)
class CoachCalendar:
    """What fills a coach's days over a span: days away, booked 1:1 times, hosted office hours
    and weekly windows. Read once per span, so offering the next free times over two months
    costs the same four queries as one day."""

    schedule: CoachSchedule
    away: list[tuple[date, date]]
    booked: list[tuple[datetime, datetime]]
    hosted: list[tuple[datetime, datetime]]
    windows: list


def coach_calendar(
    *,
    schedule: CoachSchedule,
    first_day: date,
    last_day: date,
    zone: str,
    exclude_booking: Booking | None = None,
) -> CoachCalendar:
    """The coach's calendar for the viewer's days `first_day`…`last_day` (in `zone`)."""
    viewer_zone, coach_zone = ZoneInfo(zone), ZoneInfo(schedule.time_zone)
    span_start = datetime.combine(first_day - timedelta(days=1), time.min, tzinfo=viewer_zone)
    span_end = datetime.combine(last_day + timedelta(days=2), time.min, tzinfo=viewer_zone)
    away = [
        (e.starts_on, e.ends_on)
        for e in schedule.exceptions.filter(
            ends_on__gte=span_start.astimezone(coach_zone).date(),
            starts_on__lte=span_end.astimezone(coach_zone).date(),
        )
    ]
    with scopes_disabled():  # the coach's whole calendar, all grantees: only times are used
        booked = Booking.objects.filter(
            coach_id=schedule.coach_id,
            status=Booking.Status.BOOKED,
            starts_at__lt=span_end,
            ends_at__gt=span_start,
        )
        if exclude_booking is not None:
            booked = booked.exclude(pk=exclude_booking.pk)
        booked = list(booked.values_list("starts_at", "ends_at"))
    hosted = list(
        OfficeHourOccurrence.objects.filter(
            series__hosts__pk=schedule.coach_id,
            status=OfficeHourOccurrence.Status.SCHEDULED,
            starts_at__lt=span_end,
            ends_at__gt=span_start,
        ).values_list("starts_at", "ends_at")
    )
    return CoachCalendar(schedule, away, booked, hosted, list(schedule.windows.all()))


def free_one_on_one_slots(
    *,
    schedule: CoachSchedule,
    day: date,
    zone: str,
    now: datetime | None = None,
    exclude_booking: Booking | None = None,
    minutes: int | None = None,
    calendar: CoachCalendar | None = None,
) -> list[Slot]:
    """The coach's free 1:1 start times on `day` as seen in `zone` (the viewer's time zone).

    Free means: inside a weekly window of the coach's own zone, not on a day away, at least the
    minimum notice ahead and within the horizon, clear of other bookings and hosted office hours
    by the buffer, and on a day with fewer than the daily maximum of 1:1 sessions. `calendar`
    (from `coach_calendar`, covering `day`) saves reading the coach's calendar again.
    """
    now = now or timezone.now()
    length = timedelta(minutes=minutes or schedule.session_minutes)
    buffer = timedelta(minutes=schedule.buffer_minutes)
    viewer_zone, coach_zone = ZoneInfo(zone), ZoneInfo(schedule.time_zone)
    day_start = datetime.combine(day, time.min, tzinfo=viewer_zone)
    day_end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=viewer_zone)
    earliest = max(now + timedelta(hours=schedule.minimum_notice_hours), day_start)
    latest = now + timedelta(days=schedule.horizon_days)
    if earliest >= day_end or latest < day_start:
        return []
    first_local = day_start.astimezone(coach_zone).date()
    last_local = (day_end - timedelta(microseconds=1)).astimezone(coach_zone).date()
    coach_days = [
        first_local + timedelta(days=n) for n in range((last_local - first_local).days + 1)
    ]
    if calendar is None:
        calendar = coach_calendar(
            schedule=schedule,
            first_day=day,
            last_day=day,
            zone=zone,
            exclude_booking=exclude_booking,
        )
    busy = [(s - buffer, e + buffer) for s, e in calendar.booked + calendar.hosted]
    per_day = Counter(s.astimezone(coach_zone).date() for s, _ in calendar.booked)
    slots: list[Slot] = []
    for local_day in coach_days:
        if any(a <= local_day <= b for a, b in calendar.away):
            continue
        if per_day[local_day] >= schedule.max_sessions_per_day:
            continue
        for window in calendar.windows:
            if window.weekday != local_day.weekday():
                continue
            start = local_to_utc(local_day, window.starts_at, schedule.time_zone)
            end = local_to_utc(local_day, window.ends_at, schedule.time_zone)
            while start + length <= end:
                fits = earliest <= start < day_end and start <= latest
                if fits and not any(s < start + length and start < e for s, e in busy):
                    slots.append(Slot(start, start + length))
                start += length
    return sorted(set(slots), key=lambda slot: slot.starts_at)


def next_free_slots(
    *,
    schedule: CoachSchedule,
    zone: str,
    after: date,
    count: int = 5,
    now: datetime | None = None,
    exclude_booking: Booking | None = None,
    minutes: int | None = None,
    calendar: CoachCalendar | None = None,
) -> list[Slot]:
    """The next few free 1:1 times from `after` on (what to offer when a slot was just taken).
    `calendar` must cover `after` and the SUGGESTION_DAYS after it."""
    days = min(schedule.horizon_days, SUGGESTION_DAYS)
    if calendar is None:
        calendar = coach_calendar(
            schedule=schedule,
            first_day=after,
            last_day=after + timedelta(days=days),
            zone=zone,
            exclude_booking=exclude_booking,
        )
    found: list[Slot] = []
    for offset in range(0, days + 1):
        found += free_one_on_one_slots(
            schedule=schedule,
            day=after + timedelta(days=offset),
            zone=zone,
            now=now,
            minutes=minutes,
            calendar=calendar,
        )
        if len(found) >= count:
            break
    return found[:count]


# --- Bookings -------------------------------------------------------------------------------------


def _booking_joins(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related(
        "grantee",
        "grantee__program",
        "booked_by",
        "coach",
        "coach__booking_schedule",
        "occurrence__series",
        "hold",
    ).prefetch_related("occurrence__series__hosts")


def grantee_bookings(*, grantee: Grantee) -> QuerySet[Booking]:
    return _booking_joins(Booking.objects.filter(grantee=grantee))


def booking_for_grantee(*, grantee: Grantee, booking_id: int) -> Booking:
    booking = grantee_bookings(grantee=grantee).filter(pk=booking_id).first()
    if booking is None:
        raise Http404("No such booking.")
    return booking


def coach_agenda(*, user: User, start: datetime, end: datetime) -> tuple[list, list]:
    """A coach's 1:1 bookings and hosted office-hour dates between two instants."""
    with scopes_disabled():  # the coach's own bookings across the grantees they serve
        bookings = list(
            _booking_joins(
                Booking.objects.filter(coach=user, starts_at__lt=end, ends_at__gt=start).exclude(
                    status__in=[Booking.Status.CANCELLED, Booking.Status.LATE_CANCELLED]
                )
            ).order_by("starts_at")
        )
    occurrences = list(
        OfficeHourOccurrence.objects.filter(
            series__hosts=user, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("series")
        .annotate(booked_count=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED)))
        .order_by("starts_at")
    )
    return bookings, occurrences


def feed_bookings(*, user: User, now: datetime | None = None) -> list[Booking]:
    """What a person's calendar feed lists: their bookings and the 1:1s they coach, from 90 days
    back, cancelled ones included so subscribed calendars drop them."""
    now = now or timezone.now()
    with scopes_disabled():  # the feed token identifies the person; rows are filtered to them
        return list(
            _booking_joins(
                Booking.objects.filter(Q(booked_by=user) | Q(coach=user)).filter(
                    starts_at__gte=now - timedelta(days=90)
                )
            ).order_by("starts_at")[:1000]
        )


def feed_owner(*, token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token_hash=CalendarFeed.hash_token(token), user__is_active=True)
        .select_related("user")
        .first()
    )

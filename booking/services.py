"""Writes for booking: office-hour series and dates, 1:1 schedules, bookings, the calendar feed.

Each function is one transaction and states its business rule. A slot or seat is taken at most
once: booking locks the occurrence row (office hours) or the coach's schedule row (1:1), re-checks
that the place is free, and the partial unique constraints (plus PostgreSQL's exclusion constraint
on a coach's time ranges) refuse whatever slips past. Hours move only through support_hours.ledger:
a 1:1 places a hold, cancelling in time releases it, a late cancellation or no-show follows the
program's policy, and recording the session turns the hold into the actual debit.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from booking import calendar, selectors
from booking.models import (
    AvailabilityException,
    Booking,
    CalendarFeed,
    CoachSchedule,
    OfficeHourOccurrence,
    OfficeHourSeries,
    WeeklyAvailability,
)
from booking.recurrence import MAX_OCCURRENCES, local_to_utc, rule_dates
from grantees.models import Grantee, Program, User
from grantees.selectors import furthest_reminder_hours
from portal.formatting import format_hours
from portal.models import Notification
from portal.notifications import Attachment, notify
from portal.roles import Roles, compute_roles
from portal.services import ServiceError
from portal.timezones import known_time_zones
from support_hours.ledger import InsufficientHours, hold_place, hold_release, ledger_post
from support_hours.models import CoachingSession, HourAccount, LedgerEntry
from support_hours.services import session_record

Status = Booking.Status
REMINDER_KIND = "booking-reminder"


class SlotTaken(ServiceError):
    """Someone else took the slot or the last seat a moment ago."""

    def __init__(self, message: str = "That time was just taken. Please pick another one."):
        super().__init__(message, field="starts_at", code="slot_taken")


# --- Who may do what ------------------------------------------------------------------------------


def _ensure_member(roles: Roles, grantee: Grantee) -> None:
    if grantee.pk not in roles.staff_of:
        raise PermissionDenied


def can_manage_series(roles: Roles, series: OfficeHourSeries) -> bool:
    return series.program_id in roles.ta_admin_of or any(
        host.pk == roles.user_id for host in series.hosts.all()
    )


def is_staff_side(roles: Roles, booking: Booking) -> bool:
    """The coach of a 1:1, a host of the office hours, or a TA admin of the program."""
    if booking.grantee.program_id in roles.ta_admin_of:
        return True
    if booking.kind == Booking.Kind.ONE_ON_ONE:
        return booking.coach_id == roles.user_id
    return any(host.pk == roles.user_id for host in booking.occurrence.series.hosts.all())


def can_change_booking(roles: Roles, booking: Booking) -> bool:
    """Cancel or reschedule: the person who booked, their grantee's lead, or the staff side."""
    return (
        booking.booked_by_id == roles.user_id
        or booking.grantee_id in roles.lead_of
        or is_staff_side(roles, booking)
    )


def _ensure_can_change(roles: Roles, booking: Booking) -> None:
    if not can_change_booking(roles, booking):
        raise PermissionDenied


def past_cutoff(booking: Booking, now: datetime | None = None) -> bool:
    return booking.starts_within(booking.grantee.program.booking_cancel_cutoff_hours, now)


# --- Notifications --------------------------------------------------------------------------------


def _staff_recipients(booking: Booking) -> list[User]:
    if booking.kind == Booking.Kind.ONE_ON_ONE:
        return [booking.coach]
    return list(booking.occurrence.series.hosts.all())


OCCASION_SUBJECTS = {
    "booked": "Booked",
    "rescheduled": "Rescheduled",
    "moved": "Moved",
    "cancelled": "Cancelled",
}


def _tell(booking: Booking, *, occasion: str, actor: User | None) -> None:
    """E-mail the person booked and the coach/hosts, each with the current .ics attached."""
    subject = f"{OCCASION_SUBJECTS[occasion]}: {calendar.booking_title(booking)}"
    invite = Attachment(
        filename="invite.ics",
        content=calendar.booking_invite(booking),
        mimetype=(
            f"{calendar.ICS_MIMETYPE}; method="
            + (
                "CANCEL"
                if booking.status in (Status.CANCELLED, Status.LATE_CANCELLED)
                else "REQUEST"
            )
        ),
    )
    notify(
        recipients=[booking.booked_by, *_staff_recipients(booking)],
        kind=f"booking-{occasion}",
        key=f"booking:{booking.pk}:s{booking.sequence}:{occasion}",
        subject=subject,
        template="booking/email/booking_changed.txt",
        context={
            "booking": booking,
            "occasion": occasion,
            "title": calendar.booking_title(booking),
            "meeting_url": calendar.meeting_url(booking) if booking.is_active else "",
            "actor": actor,
        },
        url=reverse("booking_detail", args=[booking.grantee.slug, booking.pk]),
        attachment=invite,
    )


def _drop_pending_reminders(booking: Booking) -> None:
    # A reminder not yet mailed must never go out after a cancellation or for an old time.
    Notification.objects.filter(
        kind=REMINDER_KIND, key__startswith=f"booking:{booking.pk}:", sent_at__isnull=True
    ).delete()


# --- Hours ----------------------------------------------------------------------------------------


def _draws_hours(booking_kind: str, program: Program) -> bool:
    return booking_kind == Booking.Kind.ONE_ON_ONE or program.office_hours_draw_hours


def _place_hold(booking: Booking, actor: User) -> None:
    try:
        account = HourAccount.objects.get(grantee=booking.grantee)
    except HourAccount.DoesNotExist:
        raise ServiceError(
            "Your team has no support hours allocated yet, so this cannot be booked. "
            "Ask your TA admin.",
            field="starts_at",
        ) from None
    try:
        booking.hold = hold_place(
            account=account,
            minutes=booking.minutes,
            key=f"booking:{booking.uid}:hold",
            actor=actor,
            effective_on=timezone.localtime(booking.starts_at).date(),
            reason=calendar.booking_title(booking),
        )
    except InsufficientHours as error:
        raise ServiceError(
            f"This booking needs {format_hours(error.needed)} of support hours, but your team "
            f"has only {format_hours(max(error.available, 0))} available.",
            field="starts_at",
            code="insufficient_hours",
        ) from error
    booking.save(update_fields=["hold"])


def _release_hold(booking: Booking, actor: User | None, why: str) -> None:
    if booking.hold_id is not None:
        hold_release(
            hold=booking.hold, key=f"booking:{booking.uid}:release", actor=actor, reason=why
        )


def _charge_hold(booking: Booking, actor: User | None, why: str) -> None:
    """Late cancellation or no-show under a "charge" policy: the held time becomes used time."""
    if booking.hold_id is None:
        return
    _release_hold(booking, actor, why)
    ledger_post(
        account=booking.hold.account,
        kind=LedgerEntry.Kind.DEBIT,
        minutes=booking.hold.minutes,
        key=f"booking:{booking.uid}:charge",
        actor=actor,
        reason=why,
        effective_on=booking.hold.effective_on,
    )


# --- Office hours: series and dates ---------------------------------------------------------------


def _validate_series(data: dict) -> None:
    if data["ends_at"] <= data["starts_at"]:
        raise ServiceError("The end time must be after the start time.", field="ends_at")
    if data["last_date"] < data["first_date"]:
        raise ServiceError("The last date must be on or after the first date.", field="last_date")
    if data["frequency"] == OfficeHourSeries.Frequency.MONTHLY and not data.get("week_of_month"):
        raise ServiceError("Choose which week of the month.", field="week_of_month")
    minutes = (
        datetime.combine(date.min, data["ends_at"]) - datetime.combine(date.min, data["starts_at"])
    ).seconds // 60
    if data["format"] == OfficeHourSeries.Format.SLOTS:
        slot = data.get("slot_minutes")
        if not slot:
            raise ServiceError("Choose a slot length.", field="slot_minutes")
        if slot > minutes:
            raise ServiceError(
                f"A {slot}-minute slot does not fit in {minutes} minutes.", field="slot_minutes"
            )
    elif not data.get("capacity"):
        raise ServiceError("Give the number of seats.", field="capacity")
    if not data.get("hosts"):
        raise ServiceError("Choose at least one host.", field="hosts")


@transaction.atomic
def office_hours_create(*, actor: User, program: Program, data: dict) -> OfficeHourSeries:
    """A TA admin (or a coach, for office hours they host) sets up a recurring series; every date
    the rule gives is created at once, so each one can be skipped or moved on its own."""
    roles = compute_roles(actor)
    if program.pk not in roles.ta_admin_of and not (
        roles.is_coach and list(data.get("hosts", [])) == [actor]
    ):
        raise PermissionDenied
    _validate_series(data)
    slots = data["format"] == OfficeHourSeries.Format.SLOTS
    series = OfficeHourSeries.objects.create(
        program=program,
        title=data["title"],
        topic=data.get("topic"),
        description=data.get("description", ""),
        frequency=data["frequency"],
        week_of_month=(
            data.get("week_of_month")
            if data["frequency"] == OfficeHourSeries.Frequency.MONTHLY
            else None
        ),
        weekday=data["weekday"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        time_zone=data.get("time_zone") or "America/Los_Angeles",
        first_date=data["first_date"],
        last_date=data["last_date"],
        format=data["format"],
        slot_minutes=data.get("slot_minutes") if slots else None,
        capacity=None if slots else data.get("capacity"),
        meeting_url=data.get("meeting_url", ""),
        created_by=actor,
    )
    series.hosts.set(data["hosts"])
    dates = rule_dates(
        frequency=series.frequency,
        weekday=series.weekday,
        week_of_month=series.week_of_month,
        first=series.first_date,
        last=series.last_date,
    )
    if len(dates) >= MAX_OCCURRENCES:
        raise ServiceError(
            f"That gives more than {MAX_OCCURRENCES} dates; choose an earlier last date.",
            field="last_date",
        )
    if not dates:
        raise ServiceError(
            "The rule gives no date between the first and last date.", field="first_date"
        )
    OfficeHourOccurrence.objects.bulk_create(
        OfficeHourOccurrence(
            series=series,
            rule_date=day,
            starts_at=local_to_utc(day, series.starts_at, series.time_zone),
            ends_at=local_to_utc(day, series.ends_at, series.time_zone),
        )
        for day in dates
    )
    return series


@transaction.atomic
def office_hours_update(*, actor: User, series: OfficeHourSeries, data: dict) -> OfficeHourSeries:
    """Change what a series is about (title, description, link, hosts); the dates stay."""
    if not can_manage_series(compute_roles(actor), series):
        raise PermissionDenied
    if not data.get("hosts"):
        raise ServiceError("Choose at least one host.", field="hosts")
    for name in ("title", "topic", "description", "meeting_url"):
        setattr(series, name, data.get(name, getattr(series, name)))
    series.save()
    series.hosts.set(data["hosts"])
    return series


def _lock_occurrence(occurrence: OfficeHourOccurrence) -> OfficeHourOccurrence:
    locked = (
        OfficeHourOccurrence.objects.select_for_update(of=("self",))
        .select_related("series", "series__program")
        .get(pk=occurrence.pk)
    )
    return locked


@transaction.atomic
def occurrence_skip(*, actor: User, occurrence: OfficeHourOccurrence, note: str) -> int:
    """Skip one date: everyone booked is cancelled (holds released) and told. Returns how many."""
    if not can_manage_series(compute_roles(actor), occurrence.series):
        raise PermissionDenied
    if not note.strip():
        raise ServiceError("Tell the people booked why.", field="note")
    locked = _lock_occurrence(occurrence)
    if locked.status == OfficeHourOccurrence.Status.SKIPPED:
        raise ServiceError("This date is already skipped.")
    if locked.starts_at <= timezone.now():
        raise ServiceError("This date has already started; it can no longer be skipped.")
    locked.status = OfficeHourOccurrence.Status.SKIPPED
    locked.change_note = note.strip()
    locked.save(update_fields=["status", "change_note"])
    with scopes_disabled():  # every grantee booked into this program-wide date
        bookings = list(
            Booking.objects.filter(occurrence=locked, status=Status.BOOKED).select_related(
                "grantee", "grantee__program", "booked_by", "hold", "occurrence__series"
            )
        )
        for booking in bookings:
            _cancel(
                booking, actor=actor, reason=f"Office hours skipped: {note.strip()}", late=False
            )
    return len(bookings)


@transaction.atomic
def occurrence_move(
    *,
    actor: User,
    occurrence: OfficeHourOccurrence,
    new_date: date,
    new_start: time,
    note: str,
    now: datetime | None = None,
) -> OfficeHourOccurrence:
    """Move one date (same length); slots keep their place in it and everyone booked is told."""
    if not can_manage_series(compute_roles(actor), occurrence.series):
        raise PermissionDenied
    locked = _lock_occurrence(occurrence)
    if locked.status == OfficeHourOccurrence.Status.SKIPPED:
        raise ServiceError("A skipped date cannot be moved.")
    if locked.starts_at <= (now or timezone.now()):
        raise ServiceError("This date has already started; it can no longer be moved.")
    starts_at = local_to_utc(new_date, new_start, locked.series.time_zone)
    if starts_at <= (now or timezone.now()):
        raise ServiceError("Move it to a time in the future.", field="new_date")
    shift = starts_at - locked.starts_at
    if not shift:
        raise ServiceError("That is the time it already has.", field="new_start")
    locked.starts_at += shift
    locked.ends_at += shift
    locked.sequence += 1
    locked.change_note = note.strip()
    locked.save(update_fields=["starts_at", "ends_at", "sequence", "change_note"])
    with scopes_disabled():
        bookings = list(
            Booking.objects.filter(occurrence=locked, status=Status.BOOKED)
            .select_related("grantee", "booked_by", "occurrence__series")
            .order_by("-starts_at" if shift.total_seconds() > 0 else "starts_at")
        )
        for booking in bookings:
            booking.starts_at += shift
            booking.ends_at += shift
            booking.sequence += 1
            booking.scheduled_at = timezone.now()
            booking.save(update_fields=["starts_at", "ends_at", "sequence", "scheduled_at"])
            _drop_pending_reminders(booking)
            _tell(booking, occasion="moved", actor=actor)
    return locked


# --- 1:1 schedules --------------------------------------------------------------------------------


SCHEDULE_SETTINGS = {
    "time_zone",
    "session_minutes",
    "buffer_minutes",
    "minimum_notice_hours",
    "max_sessions_per_day",
    "horizon_days",
    "meeting_url",
}


def schedule_for(coach: User) -> CoachSchedule:
    schedule, _ = CoachSchedule.objects.get_or_create(coach=coach)
    return schedule


@transaction.atomic
def schedule_update(*, actor: User, settings: dict, windows: list[dict]) -> CoachSchedule:
    """A coach sets their 1:1 rules and weekly windows (replacing the old windows)."""
    if not compute_roles(actor).is_coach:
        raise PermissionDenied
    unknown = set(settings) - SCHEDULE_SETTINGS
    if unknown:
        raise ValueError(f"Not schedule settings: {sorted(unknown)}")
    if "time_zone" in settings and settings["time_zone"] not in known_time_zones():
        raise ServiceError("Choose a time zone from the list.", field="time_zone")
    by_day: dict[int, list[tuple[time, time]]] = {}
    for window in windows:
        if window["ends_at"] <= window["starts_at"]:
            raise ServiceError("Each window must end after it starts.", field="windows")
        by_day.setdefault(window["weekday"], []).append((window["starts_at"], window["ends_at"]))
    for spans in by_day.values():
        spans.sort()
        if any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)):
            raise ServiceError("Two windows on the same day overlap.", field="windows")
    schedule = CoachSchedule.objects.select_for_update().get(pk=schedule_for(actor).pk)
    for name, value in settings.items():
        setattr(schedule, name, value)
    schedule.save()
    schedule.windows.all().delete()
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(schedule=schedule, **window) for window in windows
    )
    return schedule


@transaction.atomic
def availability_exception_add(
    *, actor: User, starts_on: date, ends_on: date, reason: str
) -> AvailabilityException:
    if not compute_roles(actor).is_coach:
        raise PermissionDenied
    if ends_on < starts_on:
        raise ServiceError("The last day must be on or after the first day.", field="ends_on")
    return AvailabilityException.objects.create(
        schedule=schedule_for(actor), starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )


@transaction.atomic
def availability_exception_remove(*, actor: User, exception_id: int) -> None:
    deleted, _ = AvailabilityException.objects.filter(
        pk=exception_id, schedule__coach=actor
    ).delete()
    if not deleted:
        raise PermissionDenied


# --- Booking --------------------------------------------------------------------------------------


def _existing(key: str) -> Booking | None:
    with scopes_disabled():
        return Booking.objects.filter(idempotency_key=key).first()


def _insert(booking: Booking) -> Booking:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise SlotTaken() from error
    return booking


@transaction.atomic
def book_office_hours(
    *,
    actor: User,
    grantee: Grantee,
    occurrence: OfficeHourOccurrence,
    starts_at: datetime | None,
    note: str,
    key: str,
    now: datetime | None = None,
) -> Booking:
    """Take a slot (or a drop-in seat) at an office-hour date of the grantee's program."""
    roles = compute_roles(actor)
    _ensure_member(roles, grantee)
    existing = _existing(key)
    if existing is not None:
        return existing
    now = now or timezone.now()
    locked = _lock_occurrence(occurrence)  # queues every booking of this date
    series = locked.series
    if series.program_id != grantee.program_id:
        raise PermissionDenied
    if locked.status != OfficeHourOccurrence.Status.SCHEDULED or locked.starts_at <= now:
        raise ServiceError("These office hours can no longer be booked.", field="starts_at")
    with scopes_disabled():
        if Booking.objects.filter(
            occurrence=locked, booked_by=actor, status=Status.BOOKED
        ).exists():
            raise ServiceError("You already have a place at these office hours.", field="starts_at")
    places = selectors.occurrence_places(occurrence=locked)
    if series.format == OfficeHourSeries.Format.DROP_IN:
        place = places[0]
        if place.taken:
            raise SlotTaken("The last seat was just taken.")
        seat = series.capacity - place.seats_left + 1
    else:
        place = next((p for p in places if p.starts_at == starts_at), None)
        if place is None:
            raise ServiceError("Choose one of the listed times.", field="starts_at")
        if place.taken:
            raise SlotTaken()
        seat = 1
    booking = _insert(
        Booking(
            grantee=grantee,
            booked_by=actor,
            kind=Booking.Kind.OFFICE_HOURS,
            occurrence=locked,
            starts_at=place.starts_at,
            ends_at=place.ends_at,
            seat=seat,
            note=note.strip(),
            idempotency_key=key,
        )
    )
    if _draws_hours(booking.kind, grantee.program):
        _place_hold(booking, actor)
    _tell(booking, occasion="booked", actor=actor)
    return booking


def _lock_schedule(coach: User) -> CoachSchedule:
    return CoachSchedule.objects.select_for_update().get(coach=coach)


def _ensure_free(
    schedule: CoachSchedule,
    grantee: Grantee,
    starts_at: datetime,
    now: datetime,
    exclude: Booking | None = None,
    minutes: int | None = None,
) -> datetime:
    zone = schedule.time_zone
    day = starts_at.astimezone(ZoneInfo(zone)).date()
    free = selectors.free_one_on_one_slots(
        schedule=schedule, day=day, zone=zone, now=now, exclude_booking=exclude, minutes=minutes
    )
    slot = next((s for s in free if s.starts_at == starts_at), None)
    if slot is None:
        raise SlotTaken()
    return slot.ends_at


@transaction.atomic
def book_one_on_one(
    *,
    actor: User,
    grantee: Grantee,
    coach: User,
    starts_at: datetime,
    note: str,
    key: str,
    now: datetime | None = None,
) -> Booking:
    """Book a 1:1 with the grantee's matched coach; the planned length is held on the hours."""
    roles = compute_roles(actor)
    _ensure_member(roles, grantee)
    existing = _existing(key)
    if existing is not None:
        return existing
    selectors.coach_for_grantee(grantee=grantee, coach_id=coach.pk)  # matched, takes bookings
    if not note.strip():
        raise ServiceError("Say briefly what you want to work on.", field="note")
    now = now or timezone.now()
    schedule = _lock_schedule(coach)  # queues every 1:1 booking of this coach
    ends_at = _ensure_free(schedule, grantee, starts_at, now)
    booking = _insert(
        Booking(
            grantee=grantee,
            booked_by=actor,
            kind=Booking.Kind.ONE_ON_ONE,
            coach=coach,
            starts_at=starts_at,
            ends_at=ends_at,
            note=note.strip(),
            idempotency_key=key,
        )
    )
    _place_hold(booking, actor)
    _tell(booking, occasion="booked", actor=actor)
    return booking


def _lock_booking(booking: Booking) -> Booking:
    with scopes_disabled():
        return (
            # Lock the booking row only: the joined rows (coach, hold) may be NULL.
            Booking.objects.select_for_update(of=("self",))
            .select_related(
                "grantee", "grantee__program", "booked_by", "coach", "hold", "occurrence__series"
            )
            .get(pk=booking.pk)
        )


@transaction.atomic
def booking_reschedule(
    *,
    actor: User,
    booking: Booking,
    starts_at: datetime,
    occurrence: OfficeHourOccurrence | None = None,
    now: datetime | None = None,
) -> Booking:
    """Move a booking to another free time (same coach, or a date of the same office hours).
    The UID stays and SEQUENCE grows, so calendars update the event in place."""
    roles = compute_roles(actor)
    _ensure_can_change(roles, booking)
    now = now or timezone.now()
    booking = _lock_booking(booking)
    if not booking.is_active:
        raise ServiceError("Only a booked session can be rescheduled.")
    if past_cutoff(booking, now) and not is_staff_side(roles, booking):
        hours = booking.grantee.program.booking_cancel_cutoff_hours
        raise ServiceError(
            f"It is less than {hours} hours before the start, so it can no longer be "
            "rescheduled here. Cancel it, or contact your coach.",
            field="starts_at",
        )
    if booking.kind == Booking.Kind.ONE_ON_ONE:
        schedule = _lock_schedule(booking.coach)
        ends_at = _ensure_free(
            schedule, booking.grantee, starts_at, now, exclude=booking, minutes=booking.minutes
        )
        booking.starts_at, booking.ends_at = starts_at, ends_at
    else:
        target = _lock_occurrence(occurrence or booking.occurrence)
        if target.series_id != booking.occurrence.series_id:
            raise ServiceError("Choose a date of the same office hours.", field="starts_at")
        if target.status != OfficeHourOccurrence.Status.SCHEDULED or target.starts_at <= now:
            raise ServiceError("Those office hours can no longer be booked.", field="starts_at")
        places = selectors.occurrence_places(occurrence=target, exclude_booking=booking)
        if target.series.format == OfficeHourSeries.Format.DROP_IN:
            place = places[0]
            if place.taken:
                raise SlotTaken("That date is full.")
            booking.seat = target.series.capacity - place.seats_left + 1
        else:
            place = next((p for p in places if p.starts_at == starts_at), None)
            if place is None:
                raise ServiceError("Choose one of the listed times.", field="starts_at")
            if place.taken:
                raise SlotTaken()
            booking.seat = 1
        booking.occurrence = target
        booking.starts_at, booking.ends_at = place.starts_at, place.ends_at
    booking.sequence += 1
    booking.scheduled_at = timezone.now()
    try:
        with transaction.atomic():
            booking.save(
                update_fields=[
                    "occurrence",
                    "starts_at",
                    "ends_at",
                    "seat",
                    "sequence",
                    "scheduled_at",
                ]
            )
    except IntegrityError as error:
        raise SlotTaken() from error
    _drop_pending_reminders(booking)
    _tell(booking, occasion="rescheduled", actor=actor)
    return booking


def _cancel(booking: Booking, *, actor: User, reason: str, late: bool) -> Booking:
    policy = booking.grantee.program.late_cancel_policy
    booking.status = Status.LATE_CANCELLED if late else Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = actor
    booking.cancel_reason = reason.strip()[:300]
    booking.sequence += 1
    booking.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "sequence"]
    )
    title = calendar.booking_title(booking)
    if late and policy == "charge":
        _charge_hold(booking, actor, f"Late cancellation: {title}")
    else:
        _release_hold(booking, actor, f"Cancelled: {title}")
    _drop_pending_reminders(booking)
    _tell(booking, occasion="cancelled", actor=actor)
    return booking


@transaction.atomic
def booking_cancel(
    *, actor: User, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel a booking. Before the program's cutoff the hold is released; after it, a
    cancellation by the grantee's side follows the late-cancellation policy (release or charge).
    A cancellation by the coach, host or TA admin never costs the grantee hours."""
    roles = compute_roles(actor)
    _ensure_can_change(roles, booking)
    booking = _lock_booking(booking)
    if not booking.is_active:
        raise ServiceError("This booking is no longer active.")
    now = now or timezone.now()
    if booking.starts_at <= now:
        raise ServiceError("This session has started; ask the coach to record what happened.")
    late = past_cutoff(booking, now) and not is_staff_side(roles, booking)
    return _cancel(booking, actor=actor, reason=reason, late=late)


@transaction.atomic
def booking_mark_no_show(*, actor: User, booking: Booking, now: datetime | None = None) -> Booking:
    """The coach or host records that nobody came; the program's policy releases or charges."""
    roles = compute_roles(actor)
    if not is_staff_side(roles, booking):
        raise PermissionDenied
    booking = _lock_booking(booking)
    if not booking.is_active:
        raise ServiceError("This booking is no longer active.")
    if booking.starts_at > (now or timezone.now()):
        raise ServiceError("A no-show can be recorded only once the session has started.")
    booking.status = Status.NO_SHOW
    booking.save(update_fields=["status"])
    title = calendar.booking_title(booking)
    if booking.grantee.program.late_cancel_policy == "charge":
        _charge_hold(booking, actor, f"No-show: {title}")
    else:
        _release_hold(booking, actor, f"No-show: {title}")
    return booking


@transaction.atomic
def booking_mark_attended(*, actor: User, booking: Booking, now: datetime | None = None) -> Booking:
    """A host confirms someone came to office hours; a held seat becomes used time."""
    roles = compute_roles(actor)
    if booking.kind != Booking.Kind.OFFICE_HOURS or not is_staff_side(roles, booking):
        raise PermissionDenied
    booking = _lock_booking(booking)
    if not booking.is_active:
        raise ServiceError("This booking is no longer active.")
    if booking.starts_at > (now or timezone.now()):
        raise ServiceError("Attendance can be recorded once the office hours have started.")
    booking.status = Status.COMPLETED
    booking.save(update_fields=["status"])
    if booking.hold_id is not None:
        title = calendar.booking_title(booking)
        _release_hold(booking, actor, f"Attended: {title}")
        ledger_post(
            account=booking.hold.account,
            kind=LedgerEntry.Kind.DEBIT,
            minutes=booking.hold.minutes,
            key=f"booking:{booking.uid}:attended",
            actor=actor,
            reason=f"Attended: {title}",
            effective_on=booking.hold.effective_on,
        )
    return booking


@transaction.atomic
def booking_record_session(
    *, actor: User, booking: Booking, data: dict, key: str, override_reason: str = ""
) -> CoachingSession:
    """The coach records the delivered 1:1: the hold is released and the actual time debited,
    in one transaction, so the balance never counts the session twice."""
    if booking.kind != Booking.Kind.ONE_ON_ONE:
        raise ServiceError("Only a 1:1 booking becomes a session record.")
    booking = _lock_booking(booking)
    if booking.session_id is not None:
        return booking.session
    if not booking.is_active:
        raise ServiceError("This booking was cancelled or marked as a no-show.")
    _release_hold(booking, actor, f"Session recorded: {calendar.booking_title(booking)}")
    session = session_record(
        actor=actor, grantee=booking.grantee, data=data, key=key, override_reason=override_reason
    )
    booking.session = session
    booking.status = Status.COMPLETED
    booking.save(update_fields=["session", "status"])
    return session


# --- Program policy -------------------------------------------------------------------------------

BOOKING_POLICY_FIELDS = [
    "booking_cancel_cutoff_hours",
    "late_cancel_policy",
    "office_hours_draw_hours",
    "reminder_hours",
]


@transaction.atomic
def program_booking_policy_update(*, actor: User, program: Program, data: dict) -> Program:
    """A TA admin sets the program's cutoff, late-cancellation policy, whether office hours draw
    hours, and the reminder times. Bookings already made keep their holds as they are."""
    from portal.roles import ensure_program_admin

    ensure_program_admin(actor, program.pk)
    for name in BOOKING_POLICY_FIELDS:
        setattr(program, name, data[name])
    program.full_clean()
    program.save(update_fields=BOOKING_POLICY_FIELDS)
    return program


# --- Reminders ------------------------------------------------------------------------------------


def booking_reminders_sweep(*, now: datetime | None = None) -> int:
    """Beat sweep: send each due reminder (e.g. 24 h and 1 h before) once per person per booking.

    Due means the reminder's moment has passed and the booking still stands. A reminder whose
    moment came before the booking was made (or last moved) is skipped: the confirmation just
    said the same. The key carries the booking's SEQUENCE, so a rescheduled booking is reminded
    of its new time; cancelling deletes unsent reminders (see _drop_pending_reminders).
    """
    now = now or timezone.now()
    furthest = furthest_reminder_hours()
    if not furthest:
        return 0
    with scopes_disabled():
        due_soon = list(
            Booking.objects.filter(
                status=Status.BOOKED,
                starts_at__gt=now,
                starts_at__lte=now + timedelta(hours=furthest),
            ).select_related(
                "grantee",
                "grantee__program",
                "booked_by",
                "coach",
                "coach__booking_schedule",
                "occurrence__series",
            )
        )
    created = 0
    for booking in due_soon:
        for hours in booking.grantee.program.due_reminder_hours(
            starts_at=booking.starts_at, since=booking.scheduled_at, now=now
        ):
            created += len(_remind(booking, hours))
    return created


@transaction.atomic
def _remind(booking: Booking, hours: int) -> list[Notification]:
    booking = _lock_booking(booking)  # a cancellation racing the sweep waits, then wins
    if not booking.is_active:
        return []
    recipients = [booking.booked_by]
    if booking.kind == Booking.Kind.ONE_ON_ONE:
        recipients.append(booking.coach)
    title = calendar.booking_title(booking)
    return notify(
        recipients=recipients,
        kind=REMINDER_KIND,
        key=f"booking:{booking.pk}:s{booking.sequence}:reminder:{hours}h",
        subject=f"Reminder: {title}",
        template="booking/email/reminder.txt",
        context={
            "booking": booking,
            "title": title,
            "hours": hours,
            "meeting_url": calendar.meeting_url(booking),
        },
        url=reverse("booking_detail", args=[booking.grantee.slug, booking.pk]),
    )


# --- Calendar feed --------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, user: User) -> str:
    """Make a new secret feed address (the old one stops working). Returns the token once."""
    token, token_hash = CalendarFeed.new_token()
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": token_hash})
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_feed_touch(feed: CalendarFeed) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())

"""Writes for events: creating events, registering, cancelling, and the waiting list.

Each function is one transaction and states its business rule. Registering and cancelling lock
the event row, so capacity, the per-grantee cap and the waiting-list order are decided one at a
time; partial unique constraints (a seat once, a waiting-list place once, one live registration
per person) refuse whatever slips past.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import Event, EventSeries, Registration, SeriesEnrollment
from grantees.models import Grantee, Membership, Program, User
from portal.ics import ICS_MIMETYPE, calendar_text, vevent
from portal.models import Notification
from portal.notifications import Attachment, notify
from portal.roles import compute_roles, ensure_program_admin
from portal.services import ServiceError
from portal.uploads import attach_upload

Status = Registration.Status


# --- Events ---------------------------------------------------------------------------------------

EVENT_FIELDS = [
    "kind",
    "title",
    "description",
    "topic",
    "region",
    "format",
    "venue",
    "address",
    "parking",
    "accessibility_notes",
    "meeting_url",
    "starts_at",
    "ends_at",
    "time_zone",
    "capacity",
    "per_grantee_cap",
    "registration_opens_at",
    "registration_closes_at",
    "series",
]


def _validate_event(data: dict) -> None:
    if data["ends_at"] <= data["starts_at"]:
        raise ServiceError("The end must be after the start.", field="ends_at")
    if data["registration_closes_at"] <= data["registration_opens_at"]:
        raise ServiceError(
            "Registration must close after it opens.", field="registration_closes_at"
        )
    if data["registration_closes_at"] > data["starts_at"]:
        raise ServiceError("Registration must close by the start.", field="registration_closes_at")
    if data["format"] == Event.Format.IN_PERSON and not data.get("venue", "").strip():
        raise ServiceError("Give the venue of an in-person event.", field="venue")
    if data["format"] == Event.Format.VIRTUAL and not data.get("meeting_url"):
        raise ServiceError("Give the meeting link of a virtual event.", field="meeting_url")
    cap = data.get("per_grantee_cap")
    if cap and cap > data["capacity"]:
        raise ServiceError("Seats per grantee cannot exceed the capacity.", field="per_grantee_cap")


def _check_series(program: Program, data: dict) -> None:
    series = data.get("series")
    if series is not None and series.program_id != program.pk:
        raise ServiceError("Choose a series of this program.", field="series")


@transaction.atomic
def event_create(*, actor: User, program: Program, data: dict) -> Event:
    """A TA admin announces an event of the program (published at once)."""
    ensure_program_admin(actor, program.pk)
    _validate_event(data)
    _check_series(program, data)
    event = Event(program=program, created_by=actor)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.save()
    organizers = list(data.get("organizers") or [])
    if any(not hasattr(o, "coach_profile") for o in organizers):
        raise ServiceError("Organizers must be coaches.", field="organizers")
    event.organizers.set(organizers)
    event.audience_regions.set(data.get("audience_regions") or [])
    if event.series_id and event.series.whole_series:
        _register_enrollments(event)
    return event


# Changes people registered must hear about (and their calendars must follow).
TIME_AND_PLACE = ["starts_at", "ends_at", "format", "venue", "address", "meeting_url"]


@transaction.atomic
def event_update(*, actor: User, event: Event, data: dict) -> Event:
    """A TA admin edits an event. A change of time or place bumps the invite's SEQUENCE and tells
    everyone registered or waiting, with the updated invite for those with a seat."""
    ensure_program_admin(actor, event.program_id)
    _validate_event(data)
    _check_series(event.program, data)
    event = _lock_event(event)
    if event.status == Event.Status.CANCELLED:
        raise ServiceError("A cancelled event cannot be edited.")
    joins_series = data.get("series") is not None and data["series"].pk != event.series_id
    confirmed = _live(event).filter(status=Status.CONFIRMED).count()
    if data["capacity"] < confirmed:
        raise ServiceError(
            f"{confirmed} people already have a seat; the capacity cannot be lower.",
            field="capacity",
        )
    moved = any(
        data.get(name, getattr(event, name)) != getattr(event, name) for name in TIME_AND_PLACE
    )
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    if moved:
        event.sequence += 1
    event.save()
    if "organizers" in data:
        event.organizers.set(data["organizers"] or [])
    if "audience_regions" in data:
        # Narrowing the audience never drops people already registered: they were welcome then.
        event.audience_regions.set(data["audience_regions"] or [])
    if joins_series and event.series.whole_series:
        _register_enrollments(event)
    if moved:
        for registration in _live(event).select_related("grantee", "person", "registered_by"):
            registration.event = event
            _drop_pending_reminders(registration)
            _tell(registration, "changed", "Changed")
    _promote(event, timezone.now())  # a larger capacity seats people waiting
    return event


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str) -> int:
    """Cancel an event: everyone registered or waiting is told (calendars drop it)."""
    ensure_program_admin(actor, event.program_id)
    if not reason.strip():
        raise ServiceError("Tell the people registered why.", field="reason")
    event = _lock_event(event)
    if event.status == Event.Status.CANCELLED:
        raise ServiceError("This event is already cancelled.")
    event.status = Event.Status.CANCELLED
    event.cancel_reason = reason.strip()[:300]
    event.sequence += 1
    event.save(update_fields=["status", "cancel_reason", "sequence"])
    told = 0
    for registration in _live(event).select_related("grantee", "person", "registered_by"):
        registration.event = event
        _drop_pending_reminders(registration)
        _tell(registration, "event-cancelled", "Cancelled")
        told += 1
    return told


# --- Registration ---------------------------------------------------------------------------------


def _event_title_line(event: Event) -> str:
    return f"{event.title} ({event.get_kind_display()})"


def registration_invite(registration: Registration) -> str:
    """The .ics of a registration: REQUEST while confirmed, CANCEL once cancelled."""
    cancelled = _invite_cancelled(registration)
    return calendar_text(
        [registration_vevent(registration)], method="CANCEL" if cancelled else "REQUEST"
    )


def _invite_cancelled(registration: Registration) -> bool:
    return (
        registration.status == Status.CANCELLED
        or registration.event.status == Event.Status.CANCELLED
    )


def registration_vevent(registration: Registration):
    """The calendar event of a registration, for the invite and the person's feed."""
    event = registration.event
    cancelled = _invite_cancelled(registration)
    where = event.meeting_url if event.format == Event.Format.VIRTUAL else event.venue
    if event.format == Event.Format.IN_PERSON and event.address:
        where = f"{event.venue}, {' '.join(event.address.split())}"
    return vevent(
        uid=f"registration-{registration.uid}",
        sequence=registration.sequence + event.sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=event.title,
        description=event.description,
        location="" if cancelled else where,
        attendee=registration.person,
        cancelled=cancelled,
    )


def _tell(registration: Registration, occasion: str, subject: str) -> None:
    if registration.person_id is None:  # a walk-in without an account: nobody to tell
        return
    # A walk-in was "registered by" the organizer at the door, who needs no e-mails about it.
    recipients = {registration.person}
    if not registration.walk_in:
        recipients.add(registration.registered_by)
    attachment = None
    confirmed = registration.status == Status.CONFIRMED
    if occasion in ("confirmed", "promoted", "cancelled", "event-cancelled") or (
        occasion == "changed" and confirmed
    ):
        method = "CANCEL" if occasion in ("cancelled", "event-cancelled") else "REQUEST"
        attachment = Attachment(
            "invite.ics", registration_invite(registration), f"{ICS_MIMETYPE}; method={method}"
        )
    notify(
        recipients=recipients,
        kind=f"registration-{occasion}",
        key=(
            f"registration:{registration.pk}:s{registration.sequence}"
            f":e{registration.event.sequence}:{occasion}"
        ),
        subject=f"{subject}: {registration.event.title}",
        template="events/email/registration.txt",
        context={"registration": registration, "event": registration.event, "occasion": occasion},
        url=reverse("event_detail", args=[registration.grantee.slug, registration.event_id]),
        attachment=attachment,
    )


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _live(event: Event):
    with scopes_disabled():  # capacity counts every grantee's registrations
        return Registration.objects.filter(
            event=event, status__in=[Status.CONFIRMED, Status.WAITLISTED]
        )


def _free_seat(event: Event) -> int | None:
    taken = set(_live(event).filter(status=Status.CONFIRMED).values_list("seat", flat=True))
    return next((n for n in range(1, event.capacity + 1) if n not in taken), None)


def _grantee_confirmed(event: Event, grantee_id: int) -> int:
    return _live(event).filter(status=Status.CONFIRMED, grantee_id=grantee_id).count()


def _ensure_may_register(actor: User, grantee: Grantee, person: User) -> None:
    roles = compute_roles(actor)
    if grantee.pk not in roles.staff_of:
        raise PermissionDenied
    if person.pk != actor.pk:
        # A lead registers colleagues; staff register themselves.
        if grantee.pk not in roles.lead_of:
            raise PermissionDenied
        if not Membership.objects.filter(grantee=grantee, user=person).exists():
            raise ServiceError("Choose a person on your team.", field="person")


@transaction.atomic
def registration_create(
    *,
    actor: User,
    grantee: Grantee,
    event: Event,
    person: User,
    needs: str,
    key: str,
    now: datetime | None = None,
) -> Registration:
    """Register a person of the grantee: a seat if one is free and the grantee is under its cap,
    otherwise the next place on the waiting list."""
    _ensure_may_register(actor, grantee, person)
    with scopes_disabled():
        existing = Registration.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    if event.program_id != grantee.program_id:
        raise PermissionDenied
    event = _lock_event(event)  # queues every registration for this event
    if not event.registration_open(now):
        raise ServiceError(closed_message(event, now), field="person")
    if not event.open_to(grantee):
        raise ServiceError("This event is for grantees in other regions.", field="person")
    if event.series_id and event.series.whole_series:
        raise ServiceError(
            f"Register for the whole series “{event.series.title}” instead.", field="person"
        )
    if _live(event).filter(person=person).exists():
        raise ServiceError(f"{person} is already registered.", field="person")
    registration = _seat_or_wait(
        event, grantee=grantee, person=person, actor=actor, needs=needs, key=key
    )
    if registration.status == Status.CONFIRMED:
        _tell(registration, "confirmed", "Registered")
    else:
        _tell(registration, "waitlisted", "On the waiting list")
    return registration


def closed_message(event: Event, now: datetime | None) -> str:
    now = now or timezone.now()
    if event.status == Event.Status.PUBLISHED and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at)
        return f"Registration opens on {opens:%B} {opens.day}, {opens.year}."
    return "Registration for this event is closed."


def _seat_or_wait(
    event: Event,
    *,
    grantee: Grantee,
    person: User,
    actor: User,
    needs: str,
    key: str,
    enrollment: SeriesEnrollment | None = None,
) -> Registration:
    """Under the event lock: a seat if one is free and the grantee is under its cap, otherwise
    the next place on the waiting list."""
    seat = _free_seat(event)
    under_cap = (
        event.per_grantee_cap is None
        or _grantee_confirmed(event, grantee.pk) < event.per_grantee_cap
    )
    registration = Registration(
        event=event,
        grantee=grantee,
        person=person,
        registered_by=actor,
        needs=needs.strip(),
        idempotency_key=key,
        enrollment=enrollment,
    )
    if seat is not None and under_cap:
        registration.status, registration.seat = Status.CONFIRMED, seat
    else:
        last = _live(event).aggregate(last=Max("waitlist_position"))["last"] or 0
        registration.status, registration.waitlist_position = Status.WAITLISTED, last + 1
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise ServiceError(
            "Someone registered at the same moment; please try again.", field="person"
        ) from error
    return registration


def waitlist_order(event: Event) -> list[Registration]:
    return list(
        _live(event)
        .filter(status=Status.WAITLISTED)
        .select_related("grantee", "person", "registered_by", "event")
        .order_by("waitlist_position")
    )


def _promote(event: Event, now: datetime) -> list[Registration]:
    """Fill free seats from the waiting list in order, skipping people whose grantee is at its
    cap (they keep their place for a later seat). Deterministic: position order only."""
    promoted = []
    for waiting in waitlist_order(event):
        seat = _free_seat(event)
        if seat is None:
            break
        if (
            event.per_grantee_cap is not None
            and _grantee_confirmed(event, waiting.grantee_id) >= event.per_grantee_cap
        ):
            continue
        waiting.status, waiting.seat, waiting.waitlist_position = Status.CONFIRMED, seat, None
        waiting.promoted_at = now
        waiting.sequence += 1
        waiting.save(
            update_fields=["status", "seat", "waitlist_position", "promoted_at", "sequence"]
        )
        _tell(waiting, "promoted", "A seat opened: you are registered")
        promoted.append(waiting)
    return promoted


def can_cancel(actor: User, registration: Registration) -> bool:
    roles = compute_roles(actor)
    return (
        registration.person_id == actor.pk
        or registration.grantee_id in roles.lead_of
        or registration.event.program_id in roles.ta_admin_of
    )


@transaction.atomic
def registration_cancel(
    *, actor: User, registration: Registration, now: datetime | None = None
) -> list[Registration]:
    """Cancel a registration (or leave the waiting list). A freed seat goes to the waiting list at
    once. Returns the registrations promoted."""
    if not can_cancel(actor, registration):
        raise PermissionDenied
    now = now or timezone.now()
    event = _lock_event(registration.event)
    with scopes_disabled():
        registration = Registration.objects.select_related("grantee", "person", "event").get(
            pk=registration.pk
        )
    if not registration.is_live:
        raise ServiceError("This registration is already cancelled.")
    if event.starts_at <= now:
        raise ServiceError("The event has started; it can no longer be cancelled here.")
    return _cancel_locked(registration, event, now)


def _cancel_locked(
    registration: Registration, event: Event, now: datetime, *, tell: bool = True
) -> list[Registration]:
    """Under the event lock: cancel, tell, and give a freed seat to the waiting list."""
    was_confirmed = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED
    registration.seat = registration.waitlist_position = None
    registration.cancelled_at = now
    registration.sequence += 1
    registration.save(
        update_fields=["status", "seat", "waitlist_position", "cancelled_at", "sequence"]
    )
    _drop_pending_reminders(registration)
    if tell and was_confirmed:
        _tell(registration, "cancelled", "Registration cancelled")
    elif tell:
        _tell(registration, "left-waitlist", "You left the waiting list")
    return _promote(event, now) if was_confirmed else []


# --- Series (communities of practice) -------------------------------------------------------------

SERIES_FIELDS = ["title", "description", "registration_mode"]


@transaction.atomic
def series_create(*, actor: User, program: Program, data: dict) -> EventSeries:
    ensure_program_admin(actor, program.pk)
    if not data["title"].strip():
        raise ServiceError("Give the series a title.", field="title")
    return EventSeries.objects.create(
        program=program,
        title=data["title"].strip(),
        description=data.get("description", "").strip(),
        registration_mode=data["registration_mode"],
    )


@transaction.atomic
def series_update(*, actor: User, series: EventSeries, data: dict) -> EventSeries:
    """Edit a series. Switching to per-session registration keeps everyone's seats; switching to
    a whole-series registration applies to people who register from now on."""
    ensure_program_admin(actor, series.program_id)
    series = EventSeries.objects.select_for_update().get(pk=series.pk)
    if not data["title"].strip():
        raise ServiceError("Give the series a title.", field="title")
    series.title = data["title"].strip()
    series.description = data.get("description", "").strip()
    series.registration_mode = data["registration_mode"]
    series.save(update_fields=SERIES_FIELDS)
    return series


def _upcoming_sessions(series: EventSeries, now: datetime) -> list[Event]:
    """Sessions still taking registrations, locked in start order (the same order everywhere,
    so two people enrolling at once never wait on each other in a circle)."""
    return list(
        Event.objects.select_for_update()
        .filter(series=series, status=Event.Status.PUBLISHED, registration_closes_at__gt=now)
        .order_by("starts_at", "pk")
    )


@transaction.atomic
def series_enroll(
    *,
    actor: User,
    grantee: Grantee,
    series: EventSeries,
    person: User,
    needs: str,
    key: str,
    now: datetime | None = None,
) -> tuple[SeriesEnrollment, list[Registration]]:
    """Register a person for a whole series: a seat (or a waiting-list place) at every session
    still open, and at each session announced later, in one confirmation with every invite."""
    _ensure_may_register(actor, grantee, person)
    if series.program_id != grantee.program_id:
        raise PermissionDenied
    with scopes_disabled():
        existing = SeriesEnrollment.objects.filter(idempotency_key=key).first()
        if existing is not None:  # the same form sent twice
            return existing, list(existing.registrations.order_by("event__starts_at"))
    now = now or timezone.now()
    series = EventSeries.objects.select_for_update().get(pk=series.pk)
    if not series.whole_series:
        raise ServiceError("Register for each session of this series separately.", field="person")
    with scopes_disabled():
        if SeriesEnrollment.objects.filter(
            series=series, person=person, left_at__isnull=True
        ).exists():
            raise ServiceError(f"{person} is already registered for this series.", field="person")
    enrollment = SeriesEnrollment.objects.create(
        series=series,
        grantee=grantee,
        person=person,
        registered_by=actor,
        needs=needs.strip(),
        idempotency_key=key,
        created_at=now,
    )
    registrations = []
    for event in _upcoming_sessions(series, now):
        registration = _enroll_in_session(enrollment, event)
        if registration is not None:
            registrations.append(registration)
    _tell_series(enrollment, registrations, "enrolled")
    return enrollment, registrations


def _enroll_in_session(enrollment: SeriesEnrollment, event: Event) -> Registration | None:
    """Under the event lock: the session's place for someone in the series, unless the session
    is not for their region or they already hold a place there."""
    if not event.open_to(enrollment.grantee):
        return None
    existing = _live(event).filter(person=enrollment.person).first()
    if existing is not None:
        return None
    return _seat_or_wait(
        event,
        grantee=enrollment.grantee,
        person=enrollment.person,
        actor=enrollment.registered_by,
        needs=enrollment.needs,
        key=f"series:{enrollment.pk}:{event.pk}",
        enrollment=enrollment,
    )


def _register_enrollments(event: Event) -> None:
    """A session added to a whole-series series: everyone in the series gets a place."""
    if event.status != Event.Status.PUBLISHED or event.registration_closes_at <= timezone.now():
        return
    with scopes_disabled():
        enrollments = list(
            SeriesEnrollment.objects.filter(series_id=event.series_id, left_at__isnull=True)
            .select_related("grantee", "person", "registered_by")
            .order_by("created_at", "pk")  # first in the series, first seated
        )
    for enrollment in enrollments:
        registration = _enroll_in_session(enrollment, event)
        if registration is None:
            continue
        registration.event = event
        if registration.status == Status.CONFIRMED:
            _tell(registration, "confirmed", "Registered")
        else:
            _tell(registration, "waitlisted", "On the waiting list")


def _tell_series(
    enrollment: SeriesEnrollment, registrations: list[Registration], occasion: str
) -> None:
    """One message for the whole series, with one calendar holding every session."""
    seated = [r for r in registrations if r.status == Status.CONFIRMED]
    method = "CANCEL" if occasion == "left" else "REQUEST"
    attachment = None
    if seated:
        attachment = Attachment(
            "series.ics",
            calendar_text([registration_vevent(r) for r in seated], method=method),
            f"{ICS_MIMETYPE}; method={method}",
        )
    notify(
        recipients={enrollment.person, enrollment.registered_by},
        kind=f"series-{occasion}",
        key=f"series-enrollment:{enrollment.pk}:{occasion}",
        subject=(
            f"Registered for the series: {enrollment.series.title}"
            if occasion == "enrolled"
            else f"You left the series: {enrollment.series.title}"
        ),
        template="events/email/series.txt",
        context={
            "enrollment": enrollment,
            "registrations": registrations,
            "occasion": occasion,
        },
        url=reverse("event_series", args=[enrollment.grantee.slug, enrollment.series_id]),
        attachment=attachment,
    )


def can_leave_series(actor: User, enrollment: SeriesEnrollment) -> bool:
    roles = compute_roles(actor)
    return (
        enrollment.person_id == actor.pk
        or enrollment.grantee_id in roles.lead_of
        or enrollment.series.program_id in roles.ta_admin_of
    )


@transaction.atomic
def series_leave(
    *, actor: User, enrollment: SeriesEnrollment, now: datetime | None = None
) -> list[Registration]:
    """Leave a series: the places at sessions not started yet are given up (seats go to the
    waiting lists); past attendance stays on the record. Returns the places given up."""
    if not can_leave_series(actor, enrollment):
        raise PermissionDenied
    now = now or timezone.now()
    series = EventSeries.objects.select_for_update().get(pk=enrollment.series_id)
    with scopes_disabled():
        enrollment = SeriesEnrollment.objects.select_related("grantee", "person", "series").get(
            pk=enrollment.pk
        )
    if enrollment.left_at is not None:
        raise ServiceError("Already left this series.")
    enrollment.left_at = now
    enrollment.save(update_fields=["left_at"])
    given_up = []
    for event in (
        Event.objects.select_for_update().filter(series=series).order_by("starts_at", "pk")
    ):
        if event.starts_at <= now:
            continue
        for registration in (
            _live(event).filter(enrollment=enrollment).select_related("grantee", "person")
        ):
            registration.event = event
            _cancel_locked(registration, event, now, tell=False)
            given_up.append(registration)
    _tell_series(enrollment, given_up, "left")
    return given_up


# --- Walk-ins -------------------------------------------------------------------------------------

WALK_IN_HOURS = 12  # walk-ins are added from this long before the start to this long after the end


@transaction.atomic
def walk_in_add(
    *,
    actor: User,
    event: Event,
    grantee: Grantee,
    full_name: str,
    email: str = "",
    now: datetime | None = None,
) -> tuple[Registration, str]:
    """Someone at the door who did not register: they get a seat (past the capacity if the room
    is full: they are in it) and are checked in. Someone who has an account on the grantee's team
    is matched by e-mail: their own registration is checked in, or their waiting-list place
    becomes a seat. Returns the registration and what happened, to say at the door."""
    from datetime import timedelta

    if not can_organize(actor, event):
        raise PermissionDenied
    if grantee.program_id != event.program_id:
        raise ServiceError("Choose a consortium of this program.", field="grantee")
    full_name, email = full_name.strip(), email.strip().lower()
    if not full_name:
        raise ServiceError("Type the person's name.", field="full_name")
    now = now or timezone.now()
    event = _lock_event(event)
    if event.status != Event.Status.PUBLISHED:
        raise ServiceError("This event is cancelled.")
    margin = timedelta(hours=WALK_IN_HOURS)
    if not event.starts_at - margin <= now <= event.ends_at + margin:
        raise ServiceError("Walk-ins are added on the day of the event.")
    person = None
    if email:
        person = User.objects.filter(
            email__iexact=email, memberships__grantee=grantee, is_active=True
        ).first()
    if person is not None:
        existing = _live(event).filter(person=person).select_related("grantee", "person").first()
        if existing is not None and existing.status == Status.CONFIRMED:
            existing.checked_in_at = existing.checked_in_at or now
            existing.save(update_fields=["checked_in_at"])
            return existing, f"{existing.attendee_name} was registered: checked in."
        if existing is not None:  # on the waiting list, and here: they get a seat
            existing.status, existing.waitlist_position = Status.CONFIRMED, None
            existing.seat = _door_seat(event)
            existing.promoted_at = existing.checked_in_at = now
            existing.save(
                update_fields=[
                    "status",
                    "seat",
                    "waitlist_position",
                    "promoted_at",
                    "checked_in_at",
                ]
            )
            return existing, f"{existing.attendee_name} was waiting: seated and checked in."
    registration = Registration.objects.create(
        event=event,
        grantee=grantee,
        person=person,
        walk_in=True,
        walk_in_name=full_name,
        walk_in_email="" if person else email,
        registered_by=actor,
        status=Status.CONFIRMED,
        seat=_door_seat(event),
        idempotency_key=f"walk-in:{uuid.uuid4()}",
        created_at=now,
        checked_in_at=now,
    )
    return registration, f"{registration.attendee_name} added as a walk-in and checked in."


def _door_seat(event: Event) -> int:
    """A free seat if there is one, else the next number past the capacity."""
    seat = _free_seat(event)
    if seat is not None:
        return seat
    taken = _live(event).filter(status=Status.CONFIRMED).aggregate(last=Max("seat"))["last"]
    return (taken or event.capacity) + 1


# --- Check-in -------------------------------------------------------------------------------------


def can_organize(actor: User, event: Event) -> bool:
    """The program's TA admins and the event's organizers run it on the day."""
    if event.program_id in compute_roles(actor).ta_admin_of:
        return True
    return event.organizers.filter(pk=actor.pk).exists()


@transaction.atomic
def registration_check_in(
    *, actor: User, registration: Registration, undo: bool = False, now: datetime | None = None
) -> Registration:
    """Mark a confirmed person as arrived (or take it back after a wrong tap)."""
    if not can_organize(actor, registration.event):
        raise PermissionDenied
    with scopes_disabled():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status != Status.CONFIRMED:
        raise ServiceError("Only a confirmed registration can be checked in.")
    locked.checked_in_at = None if undo else (locked.checked_in_at or now or timezone.now())
    locked.save(update_fields=["checked_in_at"])
    registration.checked_in_at = locked.checked_in_at
    return registration


# --- Reminders ------------------------------------------------------------------------------------

REMINDER_KIND = "event-reminder"


def event_reminders_sweep(*, now: datetime | None = None) -> int:
    """Beat sweep: remind people with a seat before the event, at the program's reminder hours
    (as for bookings), once per person, event time (SEQUENCE) and reminder hour. A reminder whose
    moment came before the seat was taken is skipped; cancelled seats get none."""
    from datetime import timedelta

    from grantees.selectors import furthest_reminder_hours

    now = now or timezone.now()
    furthest = furthest_reminder_hours()
    if not furthest:
        return 0
    with scopes_disabled():
        seats = list(
            Registration.objects.filter(
                status=Status.CONFIRMED,
                person__isnull=False,
                event__status=Event.Status.PUBLISHED,
                event__starts_at__gt=now,
                event__starts_at__lte=now + timedelta(hours=furthest),
            ).select_related("event", "event__program", "grantee", "person", "registered_by")
        )
    created = 0
    for registration in seats:
        event = registration.event
        seated_at = registration.promoted_at or registration.created_at
        for hours in event.program.due_reminder_hours(
            starts_at=event.starts_at, since=seated_at, now=now
        ):
            created += len(
                notify(
                    recipients=[registration.person],
                    kind=REMINDER_KIND,
                    key=f"registration:{registration.pk}:e{event.sequence}:reminder:{hours}h",
                    subject=f"Reminder: {event.title}",
                    template="events/email/reminder.txt",
                    context={"registration": registration, "event": event, "hours": hours},
                    url=reverse("event_detail", args=[registration.grantee.slug, event.pk]),
                )
            )
    return created


def _drop_pending_reminders(registration: Registration) -> None:
    Notification.objects.filter(
        kind=REMINDER_KIND,
        key__startswith=f"registration:{registration.pk}:",
        sent_at__isnull=True,
    ).delete()


# --- Agenda and materials -------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, actor: User, event: Event, data: dict):
    """Add a part of the agenda; it must sit inside the event's own times."""
    from events.models import AgendaItem

    ensure_program_admin(actor, event.program_id)
    if data["ends_at"] <= data["starts_at"]:
        raise ServiceError("The end must be after the start.", field="end_time")
    if data["starts_at"] < event.starts_at or data["ends_at"] > event.ends_at:
        raise ServiceError("Keep the agenda inside the event's times.", field="start_time")
    return AgendaItem.objects.create(
        event=event,
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        title=data["title"].strip(),
        speakers=data.get("speakers", "").strip(),
    )


@transaction.atomic
def agenda_item_remove(*, actor: User, event: Event, item_id: int) -> None:
    ensure_program_admin(actor, event.program_id)
    event.agenda.filter(pk=item_id).delete()


@transaction.atomic
def material_add(*, actor: User, event: Event, data: dict, upload=None, now=None):
    """Add slides, a handout or a recording, as an uploaded file or a link (one of the two).
    With `file_in_library` (the default for recordings and slides) it is filed in the library
    too, for everyone in the program (`library.services.file_event_material`)."""
    from events.models import Material
    from library.services import file_event_material

    ensure_program_admin(actor, event.program_id)
    title = data.get("title", "").strip()
    if not title:
        raise ServiceError("Give the material a title.", field="title")
    url = data.get("url") or ""
    if upload is not None and url:
        raise ServiceError("Upload a file or give a link, not both.", field="url")
    if upload is None and not url:
        raise ServiceError("Upload a file or give a link.", field="file")
    material = Material(
        event=event,
        title=title,
        kind=data.get("kind") or Material.Kind.HANDOUT,
        url=url,
        release=data["release"],
    )
    if upload is not None:
        attach_upload(material, upload)
    material.save()
    if data.get("file_in_library", material.kind != Material.Kind.HANDOUT):
        material.resource = file_event_material(actor=actor, material=material, now=now)
        material.library_pending = not material.resource.is_published
        material.save(update_fields=["resource", "library_pending"])
    return material


@transaction.atomic
def publish_filed_materials(now: datetime | None = None) -> int:
    """Worker (beat): publish the library copies of materials filed before their event ended,
    once it has. Each is published once: someone who unpublishes it later is not overridden."""
    from events.models import Material
    from library.services import publish_filed

    now = now or timezone.now()
    due = list(
        Material.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(library_pending=True, event__ends_at__lte=now)
        .values_list("pk", "resource_id")
    )
    published = publish_filed([resource for _, resource in due if resource], now=now)
    Material.objects.filter(pk__in=[pk for pk, _ in due]).update(library_pending=False)
    return published


@transaction.atomic
def material_remove(*, actor: User, event: Event, material_id: int) -> None:
    """Remove a material from the event (its file too, once committed); a copy filed in the
    library stays there."""
    ensure_program_admin(actor, event.program_id)
    material = event.materials.filter(pk=material_id).first()
    if material is None:
        return
    if material.file:
        storage, name = material.file.storage, material.file.name
        transaction.on_commit(lambda: storage.delete(name))
    material.delete()


# --- Feedback -------------------------------------------------------------------------------------


@transaction.atomic
def feedback_request_send(*, actor: User, event: Event, now: datetime | None = None) -> int:
    """After the event, ask the people who attended (checked in) for a 1–5 rating and comments.
    Sent once per person (a second click tells nobody again). Returns how many were asked."""
    ensure_program_admin(actor, event.program_id)
    now = now or timezone.now()
    if event.ends_at > now:
        raise ServiceError("The survey goes out once the event is over.")
    event = _lock_event(event)
    event.feedback_requested_at = event.feedback_requested_at or now
    event.save(update_fields=["feedback_requested_at"])
    asked = 0
    with scopes_disabled():
        attendees = Registration.objects.filter(  # walk-ins without an account cannot sign in
            event=event, status=Status.CONFIRMED, checked_in_at__isnull=False, person__isnull=False
        ).select_related("grantee", "person", "event")
    for registration in attendees:
        asked += len(
            notify(
                recipients=[registration.person],
                kind="event-feedback",
                key=f"registration:{registration.pk}:feedback",
                subject=f"How was {event.title}?",
                template="events/email/feedback.txt",
                context={"registration": registration, "event": event},
                url=reverse("event_feedback", args=[registration.grantee.slug, registration.pk]),
            )
        )
    return asked


def can_give_feedback(actor: User, registration: Registration) -> bool:
    return (
        registration.person_id == actor.pk
        and registration.status == Status.CONFIRMED
        and registration.checked_in_at is not None
        and registration.event.feedback_requested_at is not None
    )


@transaction.atomic
def feedback_submit(*, actor: User, registration: Registration, rating: int, comments: str):
    """An attendee answers the survey; answering again replaces the first answer."""
    from events.models import Feedback

    if registration.person_id != actor.pk:
        raise PermissionDenied
    if not can_give_feedback(actor, registration):
        raise ServiceError("Only people who attended can answer this survey.", field="rating")
    if not 1 <= rating <= 5:
        raise ServiceError("Choose a rating from 1 to 5.", field="rating")
    feedback, _ = Feedback.objects.update_or_create(
        registration=registration, defaults={"rating": rating, "comments": comments.strip()}
    )
    return feedback

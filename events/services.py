"""Writes for events: creating events, registering, cancelling, and the waiting list.

Each function is one transaction and states its business rule. Registering and cancelling lock
the event row, so capacity, the per-grantee cap and the waiting-list order are decided one at a
time; partial unique constraints (a seat once, a waiting-list place once, one live registration
per person) refuse whatever slips past.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from events.models import Event, Registration
from grantees.models import Grantee, Membership, Program, User
from portal.ics import ICS_MIMETYPE, calendar_text, vevent
from portal.models import Notification
from portal.notifications import Attachment, notify
from portal.roles import compute_roles, ensure_program_admin
from portal.services import ServiceError

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


@transaction.atomic
def event_create(*, actor: User, program: Program, data: dict) -> Event:
    """A TA admin announces an event of the program (published at once)."""
    ensure_program_admin(actor, program.pk)
    _validate_event(data)
    event = Event(program=program, created_by=actor)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.save()
    organizers = list(data.get("organizers") or [])
    if any(not hasattr(o, "coach_profile") for o in organizers):
        raise ServiceError("Organizers must be coaches.", field="organizers")
    event.organizers.set(organizers)
    return event


# Changes people registered must hear about (and their calendars must follow).
TIME_AND_PLACE = ["starts_at", "ends_at", "format", "venue", "address", "meeting_url"]


@transaction.atomic
def event_update(*, actor: User, event: Event, data: dict) -> Event:
    """A TA admin edits an event. A change of time or place bumps the invite's SEQUENCE and tells
    everyone registered or waiting, with the updated invite for those with a seat."""
    ensure_program_admin(actor, event.program_id)
    _validate_event(data)
    event = _lock_event(event)
    if event.status == Event.Status.CANCELLED:
        raise ServiceError("A cancelled event cannot be edited.")
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
        if name in data and name not in ("registration_opens_at",):
            setattr(event, name, data[name])
    if moved:
        event.sequence += 1
    event.save()
    if "organizers" in data:
        event.organizers.set(data["organizers"] or [])
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
        recipients={registration.person, registration.registered_by},
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
        raise ServiceError("Registration for this event is closed.", field="person")
    if _live(event).filter(person=person).exists():
        raise ServiceError(f"{person} is already registered.", field="person")
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
    if registration.status == Status.CONFIRMED:
        _tell(registration, "confirmed", "Registered")
    else:
        _tell(registration, "waitlisted", "On the waiting list")
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
    was_confirmed = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED
    registration.seat = registration.waitlist_position = None
    registration.cancelled_at = now
    registration.sequence += 1
    registration.save(
        update_fields=["status", "seat", "waitlist_position", "cancelled_at", "sequence"]
    )
    _drop_pending_reminders(registration)
    if was_confirmed:
        _tell(registration, "cancelled", "Registration cancelled")
    else:
        _tell(registration, "left-waitlist", "You left the waiting list")
    return _promote(event, now) if was_confirmed else []


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
def material_add(*, actor: User, event: Event, data: dict):
    from events.models import Material

    ensure_program_admin(actor, event.program_id)
    return Material.objects.create(
        event=event, title=data["title"].strip(), url=data["url"], release=data["release"]
    )


@transaction.atomic
def material_remove(*, actor: User, event: Event, material_id: int) -> None:
    ensure_program_admin(actor, event.program_id)
    event.materials.filter(pk=material_id).delete()


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
        attendees = Registration.objects.filter(
            event=event, status=Status.CONFIRMED, checked_in_at__isnull=False
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

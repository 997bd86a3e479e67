"""Grantee-side booking pages: pick office hours or a 1:1, see, reschedule and cancel bookings.
Thin: check, validate, call one service or selector, render (the slot list alone for HTMX)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from booking import calendar, selectors, services
from booking.forms.grantee import (
    CancelForm,
    DayForm,
    OfficeHoursRescheduleForm,
    PlaceChoiceForm,
    SeatForm,
    parse_day,
)
from booking.models import Booking, OfficeHourSeries
from portal.access import Rule, grantee_access
from portal.roles import roles_for
from portal.services import ServiceError
from support_hours.selectors import hour_balance

PAST_PER_PAGE = 20


def _zone(request: HttpRequest) -> str:
    return request.user.time_zone


def _balance_context(grantee, minutes: int | None) -> dict:
    """What the booking does to the grantee's hours: available before and after."""
    account = hour_balance(grantee=grantee)
    if account is None or not minutes:
        return {"balance": account, "hold_minutes": 0}
    return {
        "balance": account,
        "hold_minutes": minutes,
        "available_after": account.available_minutes - minutes,
    }


# --- Booking hub ----------------------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_MEMBER)
def book_hub(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    now = timezone.now()
    context = {
        "grantee": grantee,
        "occurrences": selectors.upcoming_office_hours(grantee=grantee, now=now, days=60),
        "coaches": selectors.matched_coaches(grantee=grantee),
        "upcoming": list(
            selectors.grantee_bookings(grantee=grantee).filter(
                booked_by=request.user, status=Booking.Status.BOOKED, ends_at__gt=now
            )[:5]
        ),
        "balance": hour_balance(grantee=grantee),
        "office_hours_draw": grantee.program.office_hours_draw_hours,
    }
    return render(request, "booking/book.html", context)


# --- Office hours ---------------------------------------------------------------------------------


def _office_hours_page(request, occurrence, form, *, status=200):
    grantee = request.grantee
    places = selectors.occurrence_places(occurrence=occurrence)
    draws = grantee.program.office_hours_draw_hours
    place_minutes = (
        int((places[0].ends_at - places[0].starts_at).total_seconds() // 60) if places else 0
    )
    context = {
        "grantee": grantee,
        "occurrence": occurrence,
        "series": occurrence.series,
        "places": places,
        "free_places": [p for p in places if not p.taken],
        "form": form,
        "is_drop_in": occurrence.series.format == OfficeHourSeries.Format.DROP_IN,
        **_balance_context(grantee, place_minutes if draws else None),
    }
    return render(request, "booking/office_hours_book.html", context, status=status)


def _office_hours_form(occurrence, data=None):
    if occurrence.series.format == OfficeHourSeries.Format.DROP_IN:
        return SeatForm(data)
    free = [p for p in selectors.occurrence_places(occurrence=occurrence) if not p.taken]
    return PlaceChoiceForm(data, places=free, note_required=False)


@grantee_access(Rule.GRANTEE_MEMBER)
def office_hours_book(request: HttpRequest, slug: str, occurrence_id: int) -> HttpResponse:
    grantee = request.grantee
    occurrence = selectors.occurrence_for_grantee(grantee=grantee, occurrence_id=occurrence_id)
    form = _office_hours_form(occurrence, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book_office_hours(
                actor=request.user,
                grantee=grantee,
                occurrence=occurrence,
                starts_at=data.get("starts_at"),
                note=data["note"],
                key=f"office-hours:{data['form_key']}",
            )
        except ServiceError as error:
            form = _office_hours_form(occurrence, request.POST)
            form.is_valid()
            error.add_to(form)
        else:
            messages.success(request, "Booked. The calendar invite is on its way by e-mail.")
            return redirect("booking_detail", slug=slug, booking_id=booking.pk)
    status = 422 if request.method == "POST" else 200
    return _office_hours_page(request, occurrence, form, status=status)


# --- 1:1 sessions ---------------------------------------------------------------------------------


def _first_free_day(schedule, zone: str):
    found = selectors.next_free_slots(
        schedule=schedule, zone=zone, after=timezone.localdate(), count=1
    )
    return timezone.localtime(found[0].starts_at).date() if found else timezone.localdate()


def _slot_context(request, *, schedule, day, exclude=None, minutes=None) -> dict:
    zone = _zone(request)
    # One read of the coach's calendar serves the day and, when it is full, the suggestions.
    calendar = selectors.coach_calendar(
        schedule=schedule,
        first_day=day,
        last_day=day + timedelta(days=selectors.SUGGESTION_DAYS + 1),
        zone=zone,
        exclude_booking=exclude,
    )
    slots = selectors.free_one_on_one_slots(
        schedule=schedule, day=day, zone=zone, minutes=minutes, calendar=calendar
    )
    suggestions = (
        []
        if slots
        else selectors.next_free_slots(
            schedule=schedule,
            zone=zone,
            after=day + timedelta(days=1),
            count=3,
            minutes=minutes,
            calendar=calendar,
        )
    )
    return {"day": day, "slots": slots, "suggestions": suggestions}


@grantee_access(Rule.GRANTEE_MEMBER)
def one_on_one_book(request: HttpRequest, slug: str, coach_id: int) -> HttpResponse:
    grantee = request.grantee
    coach = selectors.coach_for_grantee(grantee=grantee, coach_id=coach_id)
    schedule = coach.booking_schedule
    source = request.POST if request.method == "POST" else request.GET
    day = parse_day(source.get("day"), default=None) or _first_free_day(schedule, _zone(request))
    slot_context = _slot_context(request, schedule=schedule, day=day)
    form = PlaceChoiceForm(request.POST or None, places=slot_context["slots"])
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.book_one_on_one(
                    actor=request.user,
                    grantee=grantee,
                    coach=coach,
                    starts_at=data["starts_at"],
                    note=data["note"],
                    key=f"one-on-one:{data['form_key']}",
                )
            except ServiceError as error:
                if error.code == "slot_taken":
                    status = 409
                    slot_context = _slot_context(request, schedule=schedule, day=day)
                    form = PlaceChoiceForm(request.POST, places=slot_context["slots"])
                    form.is_valid()
                    form.errors.pop("starts_at", None)
                error.add_to(form)
            else:
                messages.success(
                    request,
                    "Booked. The hours are held for your team, and the calendar invite is on "
                    "its way by e-mail.",
                )
                return redirect("booking_detail", slug=slug, booking_id=booking.pk)
    context = {
        "grantee": grantee,
        "coach": coach,
        "schedule": schedule,
        "form": form,
        "day_form": DayForm(initial={"day": day}),
        **slot_context,
        **_balance_context(grantee, schedule.session_minutes),
    }
    if request.htmx and request.htmx.target == "slots":
        return render(request, "booking/one_on_one_book.html#slots", context)
    return render(request, "booking/one_on_one_book.html", context, status=status)


# --- A grantee's bookings -------------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_PARTICIPATE)
def booking_list(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    now = timezone.now()
    bookings = selectors.grantee_bookings(grantee=grantee)
    upcoming = list(bookings.filter(status=Booking.Status.BOOKED, ends_at__gt=now))
    past = Paginator(
        bookings.exclude(status=Booking.Status.BOOKED, ends_at__gt=now).order_by("-starts_at"),
        PAST_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "grantee": grantee,
        "upcoming": upcoming,
        "past": past,
        "can_book": grantee.pk in roles_for(request).staff_of,
    }
    return render(request, "booking/bookings.html", context)


def _sees_meeting_link(request, booking) -> bool:
    """The video-meeting link is for the person booked and the coach/host side only."""
    return booking.booked_by_id == request.user.pk or services.is_staff_side(
        roles_for(request), booking
    )


def _detail_context(request, booking) -> dict:
    roles = roles_for(request)
    now = timezone.now()
    staff_side = services.is_staff_side(roles, booking)
    can_change = services.can_change_booking(roles, booking)
    grantee_side_late = services.past_cutoff(booking, now) and not staff_side
    started = booking.starts_at <= now
    return {
        "grantee": request.grantee,
        "booking": booking,
        "title": calendar.booking_title(booking),
        "meeting_url": (
            calendar.meeting_url(booking)
            if booking.is_active and _sees_meeting_link(request, booking)
            else ""
        ),
        "can_cancel": can_change and booking.is_active and not started,
        "can_reschedule": can_change
        and booking.is_active
        and not started
        and not grantee_side_late,
        "late": grantee_side_late and booking.is_active and not started,
        "policy": booking.grantee.program.get_late_cancel_policy_display(),
        "cutoff_hours": booking.grantee.program.booking_cancel_cutoff_hours,
        "can_record": (
            booking.kind == Booking.Kind.ONE_ON_ONE
            and booking.is_active
            and started
            and roles.can_coach_grantee(booking.grantee_id, booking.grantee.program_id)
        ),
        "can_mark_no_show": (
            booking.kind == Booking.Kind.ONE_ON_ONE and booking.is_active and started and staff_side
        ),
    }


@grantee_access(Rule.GRANTEE_PARTICIPATE)
def booking_detail(request: HttpRequest, slug: str, booking_id: int) -> HttpResponse:
    booking = selectors.booking_for_grantee(grantee=request.grantee, booking_id=booking_id)
    return render(request, "booking/booking_detail.html", _detail_context(request, booking))


@grantee_access(Rule.GRANTEE_PARTICIPATE)
def booking_invite(request: HttpRequest, slug: str, booking_id: int) -> HttpResponse:
    booking = selectors.booking_for_grantee(grantee=request.grantee, booking_id=booking_id)
    invite = calendar.booking_invite(booking, with_link=_sees_meeting_link(request, booking))
    response = HttpResponse(invite, content_type=f"{calendar.ICS_MIMETYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


def _ensure_can_change(request, booking) -> None:
    if not services.can_change_booking(roles_for(request), booking):
        raise PermissionDenied


@grantee_access(Rule.GRANTEE_PARTICIPATE)
def booking_cancel(request: HttpRequest, slug: str, booking_id: int) -> HttpResponse:
    booking = selectors.booking_for_grantee(grantee=request.grantee, booking_id=booking_id)
    _ensure_can_change(request, booking)
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_cancel(
                actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            error.add_to(form)
            status = 422
        else:
            charged = booking.status == Booking.Status.LATE_CANCELLED and (
                booking.grantee.program.late_cancel_policy == "charge"
            )
            messages.success(
                request,
                "Cancelled. The held hours were charged under the late-cancellation policy."
                if charged
                else "Cancelled. Everyone booked has been told.",
            )
            return redirect("booking_detail", slug=slug, booking_id=booking.pk)
    context = {**_detail_context(request, booking), "form": form}
    return render(request, "booking/booking_cancel.html", context, status=status)


@grantee_access(Rule.GRANTEE_PARTICIPATE)
def booking_reschedule(request: HttpRequest, slug: str, booking_id: int) -> HttpResponse:
    booking = selectors.booking_for_grantee(grantee=request.grantee, booking_id=booking_id)
    _ensure_can_change(request, booking)
    if booking.kind == Booking.Kind.ONE_ON_ONE:
        return _reschedule_one_on_one(request, booking)
    return _reschedule_office_hours(request, booking)


def _reschedule_one_on_one(request, booking):
    schedule = booking.coach.booking_schedule
    source = request.POST if request.method == "POST" else request.GET
    day = parse_day(source.get("day"), default=timezone.localtime(booking.starts_at).date())
    slot_context = _slot_context(
        request, schedule=schedule, day=day, exclude=booking, minutes=booking.minutes
    )
    # Its own time is free once the booking is set aside, but "moving" there changes nothing.
    slot_context["slots"] = [s for s in slot_context["slots"] if s.starts_at != booking.starts_at]
    form = PlaceChoiceForm(request.POST or None, places=slot_context["slots"], with_note=False)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.booking_reschedule(
                    actor=request.user, booking=booking, starts_at=form.cleaned_data["starts_at"]
                )
            except ServiceError as error:
                error.add_to(form)
                status = 409 if error.code == "slot_taken" else 422
            else:
                messages.success(request, "Rescheduled. An updated invite is on its way.")
                return redirect("booking_detail", slug=booking.grantee.slug, booking_id=booking.pk)
    context = {
        **_detail_context(request, booking),
        "form": form,
        "day_form": DayForm(initial={"day": day}),
        "coach": booking.coach,
        "schedule": schedule,
        "rescheduling": True,
        **slot_context,
    }
    if request.htmx and request.htmx.target == "slots":
        return render(request, "booking/one_on_one_book.html#slots", context)
    return render(request, "booking/booking_reschedule.html", context, status=status)


def _reschedule_office_hours(request, booking):
    options = [
        (occurrence, place)
        for occurrence, place in selectors.series_free_places(
            grantee=booking.grantee,
            series_id=booking.occurrence.series_id,
            exclude_booking=booking,
        )
        if not (occurrence.pk == booking.occurrence_id and place.starts_at == booking.starts_at)
    ]
    form = OfficeHoursRescheduleForm(request.POST or None, options=options)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            occurrence_id, starts_at = form.cleaned_data["place"]
            occurrence = next(o for o, _ in options if o.pk == occurrence_id)
            try:
                services.booking_reschedule(
                    actor=request.user,
                    booking=booking,
                    starts_at=starts_at,
                    occurrence=occurrence,
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, "Rescheduled. An updated invite is on its way.")
                return redirect("booking_detail", slug=booking.grantee.slug, booking_id=booking.pk)
    context = {**_detail_context(request, booking), "form": form, "options": options}
    return render(request, "booking/booking_reschedule.html", context, status=status)


@grantee_access(Rule.GRANTEE_COACH)
@require_POST
def booking_no_show(request: HttpRequest, slug: str, booking_id: int) -> HttpResponse:
    booking = selectors.booking_for_grantee(grantee=request.grantee, booking_id=booking_id)
    try:
        services.booking_mark_no_show(actor=request.user, booking=booking)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Recorded as a no-show.")
    return redirect("booking_detail", slug=slug, booking_id=booking.pk)

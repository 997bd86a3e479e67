"""Pages for events: the grantee's event list, an event with the team's registrations, register
and cancel; the program's event admin (announce, roster). Thin: check, validate, call one service
or selector, render."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from events import selectors, services
from events.forms import (
    AgendaItemForm,
    EventCancelForm,
    EventForm,
    FeedbackForm,
    MaterialForm,
    RegistrationForm,
    SeriesForm,
    WalkInForm,
    event_initial,
)
from events.models import Event, Registration
from grantees.models import Region, User
from portal.access import Rule, grantee_access, program_access
from portal.exports import csv_response, xlsx_response
from portal.roles import roles_for
from portal.services import ServiceError
from portal.uploads import private_file_response

# Service fields → the form fields people typed them in.
FORM_FIELD_OF = {
    "starts_at": "start_time",
    "ends_at": "end_time",
    "registration_opens_at": "registration_opens_on",
    "registration_closes_at": "registration_closes_on",
}


def _add_event_error(error: ServiceError, form) -> None:
    error.field = FORM_FIELD_OF.get(error.field, error.field)
    error.add_to(form)


def _people_for(request: HttpRequest):
    """Who this person may register: themselves, or (a lead) anyone on the team."""
    grantee = request.grantee
    if grantee.pk in roles_for(request).lead_of:
        return User.objects.filter(memberships__grantee=grantee, is_active=True).order_by(
            "full_name"
        )
    return User.objects.filter(pk=request.user.pk)


# --- Grantee side ---------------------------------------------------------------------------------


EVENTS_PER_PAGE = 25
RECORD_PER_PAGE = 50  # registrations a page of the grantee's event record lists


@grantee_access(Rule.GRANTEE_VIEW)
def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    kind = request.GET.get("kind", "")
    kind = kind if kind in Event.Kind.values else ""
    region = request.GET.get("region", "")
    region_id = int(region) if region.isdigit() else None
    events = Paginator(
        selectors.grantee_events(grantee=grantee, kind=kind, region_id=region_id), EVENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "grantee": grantee,
        "events": events,
        "page": events,
        "kinds": Event.Kind.choices,
        "regions": Region.objects.all(),
        "kind": kind,
        "region_id": region_id,
    }
    if request.htmx and request.htmx.target == "event-results":
        return render(request, "events/event_list.html#results", context)
    return render(request, "events/event_list.html", context)


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


def _month(value: str, today: date) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


@grantee_access(Rule.GRANTEE_VIEW)
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The month at a glance (weeks start on Sunday), with the list's kind and region filters."""
    grantee = request.grantee
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    first = _month(request.GET.get("month", ""), today)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Event.Kind.values else ""
    region = request.GET.get("region", "")
    region_id = int(region) if region.isdigit() else None
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], time.min, tzinfo=zone)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=zone)
    days = {
        day: CalendarDay(day, day.month == first.month, day == today)
        for week in weeks
        for day in week
    }
    for event in selectors.grantee_events(
        grantee=grantee, kind=kind, region_id=region_id, between=(start, end)
    ):
        days[timezone.localtime(event.starts_at).date()].events.append(event)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    context = {
        "grantee": grantee,
        "month": first,
        "weeks": [[days[day] for day in week] for week in weeks],
        "weekdays": [weeks[0][i].strftime("%A") for i in range(7)],
        "previous": previous,
        "following": following,
        "kinds": Event.Kind.choices,
        "regions": Region.objects.all(),
        "kind": kind,
        "region_id": region_id,
    }
    return render(request, "events/event_calendar.html", context)


def _event_page(request, event, *, form=None, status=200):
    grantee = request.grantee
    registrations = selectors.team_registrations(grantee=grantee, event=event)
    roles = roles_for(request)
    is_member = grantee.pk in roles.staff_of
    for registration in registrations:  # the person, or their lead, may cancel
        registration.can_cancel = (
            registration.person_id == request.user.pk or grantee.pk in roles.lead_of
        )
    mine = next((r for r in registrations if r.person_id == request.user.pk and r.is_live), None)
    open_to_us = event.open_to(grantee)
    whole_series = event.series is not None and event.series.whole_series
    if is_member and form is None:
        form = RegistrationForm(people=_people_for(request))
    context = {
        "grantee": grantee,
        "event": event,
        "registrations": registrations,
        "mine": mine,
        "open_to_us": open_to_us,
        "whole_series": whole_series,
        "closed_reason": None
        if event.registration_open()
        else services.closed_message(event, timezone.now()),
        # Staff register only themselves: once registered, there is nobody left to register.
        # A refused form is shown with its message; otherwise only while registration is open.
        "form": form
        if (form is not None and form.is_bound)
        or (
            is_member
            and open_to_us
            and not whole_series
            and event.registration_open()
            and (mine is None or grantee.pk in roles.lead_of)
        )
        else None,
        # The meeting link and materials are for people with a confirmed seat.
        "show_link": mine is not None and mine.status == Registration.Status.CONFIRMED,
        "agenda": selectors.agenda(event=event),
        "materials": selectors.materials_for(event=event, registration=mine),
        "feedback_open": mine is not None and services.can_give_feedback(request.user, mine),
    }
    return render(request, "events/event_detail.html", context, status=status)


@grantee_access(Rule.GRANTEE_VIEW)
def event_detail(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_grantee(grantee=request.grantee, event_id=event_id)
    return _event_page(request, event)


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def event_register(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_grantee(grantee=request.grantee, event_id=event_id)
    form = RegistrationForm(request.POST, people=_people_for(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                actor=request.user,
                grantee=request.grantee,
                event=event,
                person=data["person"],
                needs=data["needs"],
                key=f"register:{data['form_key']}",
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, "Registered. The calendar invite is on its way.")
            else:
                messages.info(
                    request,
                    f"The event is full: on the waiting list at place "
                    f"{registration.waitlist_position}. You will be told if a seat opens.",
                )
            return redirect("event_detail", slug=slug, event_id=event.pk)
    return _event_page(request, event, form=form, status=422)


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def registration_cancel(request: HttpRequest, slug: str, registration_id: int) -> HttpResponse:
    registration = selectors.registration_for_grantee(
        grantee=request.grantee, registration_id=registration_id
    )
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Cancelled. The seat goes to the next person waiting.")
    return redirect("event_detail", slug=slug, event_id=registration.event_id)


@grantee_access(Rule.GRANTEE_MEMBER)
def registration_invite(request: HttpRequest, slug: str, registration_id: int) -> HttpResponse:
    from portal.ics import ICS_MIMETYPE

    registration = selectors.registration_for_grantee(
        grantee=request.grantee, registration_id=registration_id
    )
    response = HttpResponse(
        services.registration_invite(registration),
        content_type=f"{ICS_MIMETYPE}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{registration.event_id}.ics"'
    return response


# --- Program side (TA admins) ---------------------------------------------------------------------


@program_access(Rule.PROGRAM_VIEW)
def program_event_list(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    context = {
        "program": program,
        "rows": selectors.program_event_table(program=program),
        "series_list": selectors.program_series(program=program),
        "can_manage": program.pk in roles_for(request).ta_admin_of,
    }
    return render(request, "events/program_events.html", context)


@program_access(Rule.PROGRAM_MANAGE)
def program_event_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    form = EventForm(
        request.POST or None, initial={"time_zone": "America/Los_Angeles"}, program=program
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                event = services.event_create(
                    actor=request.user, program=program, data=form.cleaned_data
                )
            except ServiceError as error:
                _add_event_error(error, form)
            else:
                messages.success(request, f"“{event.title}” is announced to the program.")
                return redirect("program_event", program_slug=program.slug, event_id=event.pk)
    context = {"program": program, "form": form}
    return render(request, "events/event_form.html", context, status=status)


@program_access(Rule.PROGRAM_MANAGE)
def program_event_edit(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    program = request.program
    event = selectors.event_for_program(program=program, event_id=event_id)
    form = EventForm(request.POST or None, initial=event_initial(event), program=program)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.event_update(actor=request.user, event=event, data=form.cleaned_data)
            except ServiceError as error:
                _add_event_error(error, form)
            else:
                messages.success(
                    request, "Saved. If the time or place changed, everyone registered was told."
                )
                return redirect("program_event", program_slug=program.slug, event_id=event.pk)
    context = {"program": program, "form": form, "event": event}
    return render(request, "events/event_form.html", context, status=status)


@program_access(Rule.PROGRAM_MANAGE)
def program_event_cancel(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    program = request.program
    event = selectors.event_for_program(program=program, event_id=event_id)
    form = EventCancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                told = services.event_cancel(
                    actor=request.user, event=event, reason=form.cleaned_data["reason"]
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, f"Event cancelled; {told} people were told.")
                return redirect("program_event", program_slug=program.slug, event_id=event.pk)
    context = {"program": program, "event": event, "form": form}
    return render(request, "events/event_cancel.html", context, status=status)


def _program_event_page(request, event, *, agenda_form=None, material_form=None, status=200):
    registrations = selectors.roster(event=event)
    context = {
        "program": request.program,
        "event": event,
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waitlisted": [r for r in registrations if r.status == Registration.Status.WAITLISTED],
        "cancelled": [r for r in registrations if r.status == Registration.Status.CANCELLED],
        "attended": sum(1 for r in registrations if r.checked_in_at),
        "agenda": selectors.agenda(event=event),
        "materials": list(event.materials.all()),
        "agenda_form": agenda_form or AgendaItemForm(event=event),
        "material_form": material_form or MaterialForm(),
        "feedback": selectors.feedback_summary(event=event),
        "is_over": event.ends_at <= timezone.now(),
    }
    return render(request, "events/program_event.html", context, status=status)


@program_access(Rule.PROGRAM_MANAGE)
def program_event(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_program(program=request.program, event_id=event_id)
    return _program_event_page(request, event)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def event_agenda_add(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_program(program=request.program, event_id=event_id)
    form = AgendaItemForm(request.POST, event=event)
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, event=event, data=form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Added to the agenda.")
            return redirect(reverse("program_event", args=[program_slug, event.pk]) + "#agenda")
    return _program_event_page(request, event, agenda_form=form, status=422)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def event_agenda_remove(
    request: HttpRequest, program_slug: str, event_id: int, agenda_id: int
) -> HttpResponse:
    event = selectors.event_for_program(program=request.program, event_id=event_id)
    services.agenda_item_remove(actor=request.user, event=event, item_id=agenda_id)
    messages.success(request, "Removed from the agenda.")
    return redirect(reverse("program_event", args=[program_slug, event.pk]) + "#agenda")


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def event_material_add(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_program(program=request.program, event_id=event_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file") or None
        try:
            material = services.material_add(
                actor=request.user, event=event, data=data, upload=upload
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            message = "Material added; people with a seat can open it."
            if material.resource_id:
                message += (
                    " Filed in the library; it is published there once the event is over."
                    if material.library_pending
                    else " Filed in the library and published there."
                )
            messages.success(request, message)
            return redirect(reverse("program_event", args=[program_slug, event.pk]) + "#materials")
    return _program_event_page(request, event, material_form=form, status=422)


def _material_file(material) -> HttpResponse:
    if not material.file:
        return redirect(material.url)
    return private_file_response(
        material.file, filename=material.file_name, mimetype=material.file_type
    )


@program_access(Rule.PROGRAM_MANAGE)
def program_event_material(
    request: HttpRequest, program_slug: str, event_id: int, material_id: int
) -> HttpResponse:
    event = selectors.event_for_program(program=request.program, event_id=event_id)
    return _material_file(get_object_or_404(event.materials, pk=material_id))


@grantee_access(Rule.GRANTEE_MEMBER)
def event_material(
    request: HttpRequest, slug: str, event_id: int, material_id: int
) -> HttpResponse:
    """A material for someone with a seat, under the same release rule as the event page."""
    event = selectors.event_for_grantee(grantee=request.grantee, event_id=event_id)
    seat = selectors.seat_of(grantee=request.grantee, event=event, person=request.user)
    materials = selectors.materials_for(event=event, registration=seat)
    material = next((m for m in materials if m.pk == material_id), None)
    if material is None:
        raise Http404("No such material.")
    return _material_file(material)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def event_material_remove(
    request: HttpRequest, program_slug: str, event_id: int, material_id: int
) -> HttpResponse:
    event = selectors.event_for_program(program=request.program, event_id=event_id)
    services.material_remove(actor=request.user, event=event, material_id=material_id)
    messages.success(request, "Material removed.")
    return redirect(reverse("program_event", args=[program_slug, event.pk]) + "#materials")


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def event_feedback_send(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_program(program=request.program, event_id=event_id)
    try:
        asked = services.feedback_request_send(actor=request.user, event=event)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Survey sent to {asked} attendee(s) not asked before.")
    return redirect(reverse("program_event", args=[program_slug, event.pk]) + "#feedback")


@grantee_access(Rule.GRANTEE_MEMBER)
def event_feedback(request: HttpRequest, slug: str, registration_id: int) -> HttpResponse:
    registration = selectors.registration_for_grantee(
        grantee=request.grantee, registration_id=registration_id
    )
    if not services.can_give_feedback(request.user, registration):
        if request.method == "POST":
            raise PermissionDenied
        # Seen by a colleague, or before the survey opens: say who may answer, and when.
        context = {"grantee": request.grantee, "registration": registration, "form": None}
        return render(request, "events/feedback.html", context)
    existing = getattr(registration, "feedback", None)
    initial = {"rating": existing.rating, "comments": existing.comments} if existing else None
    form = FeedbackForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.feedback_submit(
                    actor=request.user,
                    registration=registration,
                    rating=form.cleaned_data["rating"],
                    comments=form.cleaned_data["comments"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, "Thank you for your feedback.")
                return redirect("event_detail", slug=slug, event_id=registration.event_id)
    context = {"grantee": request.grantee, "registration": registration, "form": form}
    return render(request, "events/feedback.html", context, status=status)


# --- On the day (organizers: TA admins and the program's coaches) ---------------------------------


def _check_in_page(
    request: HttpRequest, event: Event, search: str, *, walk_in_form=None, status=200
) -> HttpResponse:
    attendees = selectors.check_in_list(event=event, search=search)
    context = {
        "program": request.program,
        "event": event,
        "attendees": attendees,
        "search": search,
        "arrived": sum(1 for r in attendees if r.checked_in_at),
        "over_capacity": max(0, len(attendees) - event.capacity) if not search else 0,
        "is_program_admin": request.program.pk in roles_for(request).ta_admin_of,
        "walk_in_form": walk_in_form or WalkInForm(program=request.program),
    }
    if request.htmx and request.htmx.target == "attendees":
        return render(request, "events/check_in.html#attendees", context)
    return render(request, "events/check_in.html", context, status=status)


@program_access(Rule.EVENT_ORGANIZE)
def event_check_in(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_organizer(
        program=request.program, event_id=event_id, roles=roles_for(request)
    )
    return _check_in_page(request, event, request.GET.get("q", "").strip()[:100])


@program_access(Rule.EVENT_ORGANIZE)
@require_POST
def event_check_in_person(
    request: HttpRequest, program_slug: str, event_id: int, registration_id: int
) -> HttpResponse:
    event = selectors.event_for_organizer(
        program=request.program, event_id=event_id, roles=roles_for(request)
    )
    registration = selectors.registration_for_event(event=event, registration_id=registration_id)
    try:
        services.registration_check_in(
            actor=request.user, registration=registration, undo=request.POST.get("undo") == "1"
        )
    except ServiceError as error:
        messages.error(request, error.messages[0])
    search = request.POST.get("q", "").strip()[:100]
    if request.htmx:  # the list again, so the count and the row agree
        return _check_in_page(request, event, search)
    url = reverse("event_check_in", args=[program_slug, event.pk])
    return redirect(f"{url}?q={quote(search)}" if search else url)


@program_access(Rule.EVENT_ORGANIZE)
@require_POST
def event_walk_in(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_organizer(
        program=request.program, event_id=event_id, roles=roles_for(request)
    )
    form = WalkInForm(request.POST, program=request.program)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _, said = services.walk_in_add(
                actor=request.user,
                event=event,
                grantee=data["grantee"],
                full_name=data["full_name"],
                email=data["email"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, said)
            return redirect("event_check_in", program_slug=program_slug, event_id=event.pk)
    return _check_in_page(request, event, "", walk_in_form=form, status=422)


ROSTER_HEADER = [
    "status",
    "seat",
    "waitlist_position",
    "name",
    "email",
    "grantee",
    "needs",
    "registered_at",
    "checked_in_at",
    "walk_in",
]


def _roster_rows(event: Event):
    """The roster with attendance, for organizers (needs included: organizers may see them).
    The export helpers make text cells formula-safe, so a name like "=HYPERLINK(…)" stays text
    in a spreadsheet."""
    for r in selectors.roster(event=event):
        yield [
            r.status,
            r.seat or "",
            r.waitlist_position or "",
            r.attendee_name,
            r.attendee_email,
            r.grantee.name,
            r.needs,
            timezone.localtime(r.created_at).isoformat(timespec="minutes"),
            timezone.localtime(r.checked_in_at).isoformat(timespec="minutes")
            if r.checked_in_at
            else "",
            "yes" if r.walk_in else "",
        ]


@program_access(Rule.EVENT_ORGANIZE)
def event_roster_csv(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    event = selectors.event_for_organizer(
        program=request.program, event_id=event_id, roles=roles_for(request)
    )
    return csv_response(ROSTER_HEADER, _roster_rows(event), f"event-{event.pk}-roster")


@program_access(Rule.EVENT_ORGANIZE)
def event_roster_xlsx(request: HttpRequest, program_slug: str, event_id: int) -> HttpResponse:
    """The same roster as a spreadsheet, with a header row and frozen panes."""
    event = selectors.event_for_organizer(
        program=request.program, event_id=event_id, roles=roles_for(request)
    )
    return xlsx_response(
        [("Roster", ROSTER_HEADER, _roster_rows(event))], f"event-{event.pk}-roster"
    )


# --- Series (communities of practice) -------------------------------------------------------------


def _series_page(request: HttpRequest, series, *, form=None, status=200) -> HttpResponse:
    grantee = request.grantee
    roles = roles_for(request)
    is_member = grantee.pk in roles.staff_of
    enrollments = selectors.team_enrollments(grantee=grantee, series=series)
    for enrollment in enrollments:
        enrollment.can_leave = (
            enrollment.person_id == request.user.pk or grantee.pk in roles.lead_of
        )
    mine = next((e for e in enrollments if e.person_id == request.user.pk), None)
    lead = grantee.pk in roles.lead_of
    if is_member and form is None:
        form = RegistrationForm(people=_people_for(request))
    context = {
        "grantee": grantee,
        "series": series,
        "sessions": selectors.series_sessions(series=series, grantee=grantee),
        "enrollments": enrollments,
        # A refused form is shown with its message; otherwise only while someone is left to add.
        "form": form
        if form is not None and (form.is_bound or (series.whole_series and (mine is None or lead)))
        else None,
    }
    return render(request, "events/series_detail.html", context, status=status)


@grantee_access(Rule.GRANTEE_VIEW)
def event_series(request: HttpRequest, slug: str, event_series_id: int) -> HttpResponse:
    series = selectors.series_for_grantee(grantee=request.grantee, series_id=event_series_id)
    return _series_page(request, series)


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def event_series_enroll(request: HttpRequest, slug: str, event_series_id: int) -> HttpResponse:
    series = selectors.series_for_grantee(grantee=request.grantee, series_id=event_series_id)
    form = RegistrationForm(request.POST, people=_people_for(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            _, registrations = services.series_enroll(
                actor=request.user,
                grantee=request.grantee,
                series=series,
                person=data["person"],
                needs=data["needs"],
                key=f"series:{data['form_key']}",
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            waiting = sum(1 for r in registrations if r.status == Registration.Status.WAITLISTED)
            said = f"Registered for the series: {len(registrations) - waiting} session(s) booked"
            if waiting:
                said += f", {waiting} on the waiting list"
            messages.success(request, said + ". Sessions announced later are added for you.")
            return redirect("event_series", slug=slug, event_series_id=series.pk)
    return _series_page(request, series, form=form, status=422)


@grantee_access(Rule.GRANTEE_MEMBER)
@require_POST
def series_enrollment_leave(request: HttpRequest, slug: str, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_for_grantee(
        grantee=request.grantee, enrollment_id=enrollment_id
    )
    try:
        given_up = services.series_leave(actor=request.user, enrollment=enrollment)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Left the series; {len(given_up)} upcoming place(s) given up.")
    return redirect("event_series", slug=slug, event_series_id=enrollment.series_id)


def _series_form_page(request, *, series=None) -> HttpResponse:
    program = request.program
    initial = None
    if series is not None:
        initial = {
            "title": series.title,
            "description": series.description,
            "registration_mode": series.registration_mode,
        }
    form = SeriesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                if series is None:
                    series = services.series_create(
                        actor=request.user, program=program, data=form.cleaned_data
                    )
                else:
                    services.series_update(
                        actor=request.user, series=series, data=form.cleaned_data
                    )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, f"Series “{form.cleaned_data['title']}” saved.")
                return redirect(reverse("program_events", args=[program.slug]) + "#series")
    context = {"program": program, "form": form, "series": series}
    return render(request, "events/series_form.html", context, status=status)


@program_access(Rule.PROGRAM_MANAGE)
def program_series_new(request: HttpRequest, program_slug: str) -> HttpResponse:
    return _series_form_page(request)


@program_access(Rule.PROGRAM_MANAGE)
def program_series_edit(
    request: HttpRequest, program_slug: str, event_series_id: int
) -> HttpResponse:
    series = selectors.series_for_program(program=request.program, series_id=event_series_id)
    return _series_form_page(request, series=series)


# --- The grantee's record -------------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_VIEW)
def event_record(request: HttpRequest, slug: str) -> HttpResponse:
    """Which events the grantee's people registered for and attended."""
    registrations = selectors.grantee_registrations(grantee=request.grantee)
    context = {
        "grantee": request.grantee,
        "totals": selectors.participation_totals(registrations),
        "registrations": Paginator(registrations, RECORD_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "now": timezone.now(),
    }
    return render(request, "events/event_record.html", context)

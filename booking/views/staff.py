"""Pages for coaches and TA admins: a coach's week, their 1:1 availability and days away, and
office-hour series with their dates (roster, attendance, skip, move). Thin: check, validate, call
one service or selector, render (the fragment for an HTMX request)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from booking import selectors, services
from booking.forms.staff import (
    AttendanceForm,
    AwayForm,
    MoveForm,
    ScheduleForm,
    SeriesEditForm,
    SeriesForm,
    SkipForm,
    WindowFormSet,
)
from booking.models import (
    DEFAULT_TIME_ZONE,
    Booking,
    CoachSchedule,
    OfficeHourOccurrence,
    OfficeHourSeries,
)
from grantees.models import Grantee, Program, User
from grantees.selectors import available_coaches
from portal.access import Rule, office_hours_access, role_required
from portal.roles import Roles, roles_for
from portal.services import ServiceError
from portal.timezones import known_time_zones

DATE_AND_TIME = "D, M j, Y, g:i A T"


def _zone(request: HttpRequest) -> ZoneInfo:
    """The signed-in person's own zone (UserTimeZoneMiddleware activated it)."""
    return timezone.get_current_timezone()


def _when(instant: datetime, zone=None) -> str:
    return dateformat.format(timezone.localtime(instant, zone), DATE_AND_TIME)


def _people_told(count: int) -> str:
    if count == 0:
        return "Nobody was booked."
    if count == 1:
        return "The 1 person booked was told."
    return f"The {count} people booked were told."


# --- A coach's week -------------------------------------------------------------------------------


@dataclass
class AgendaItem:
    starts_at: datetime
    ends_at: datetime
    booking: Booking | None = None
    occurrence: OfficeHourOccurrence | None = None


@dataclass
class AgendaDay:
    day: date
    is_today: bool
    items: list[AgendaItem] = field(default_factory=list)


def _week_start(value: str | None, today: date) -> date:
    """The Monday of the week `?week=` names (any day of it will do); this week otherwise."""
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


@role_required(Rule.COACH)
def coach_schedule(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    today = timezone.localdate(timezone=zone)
    monday = _week_start(request.GET.get("week"), today)
    sunday = monday + timedelta(days=6)
    start = datetime.combine(monday, time.min, tzinfo=zone)
    end = datetime.combine(sunday + timedelta(days=1), time.min, tzinfo=zone)
    bookings, occurrences = selectors.coach_agenda(user=request.user, start=start, end=end)
    days = {
        monday + timedelta(days=n): AgendaDay(monday + timedelta(days=n), is_today=False)
        for n in range(7)
    }
    items = [AgendaItem(b.starts_at, b.ends_at, booking=b) for b in bookings] + [
        AgendaItem(o.starts_at, o.ends_at, occurrence=o) for o in occurrences
    ]
    for item in sorted(items, key=lambda i: i.starts_at):
        # Something that started late the Sunday before still shows, on Monday.
        local_day = min(max(timezone.localtime(item.starts_at, zone).date(), monday), sunday)
        days[local_day].items.append(item)
    if today in days:
        days[today].is_today = True
    this_monday = today - timedelta(days=today.weekday())
    context = {
        "days": list(days.values()),
        "has_items": bool(items),
        "week_start": monday,
        "week_end": sunday,
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "this_week": this_monday,
        "is_this_week": monday == this_monday,
        "zone_name": str(zone),
    }
    if request.htmx and request.htmx.target == "agenda":
        return render(request, "booking/staff/schedule.html#agenda", context)
    return render(request, "booking/staff/schedule.html", context)


# --- 1:1 availability and days away ---------------------------------------------------------------


def _schedule(request: HttpRequest) -> CoachSchedule:
    """The coach's saved schedule, or an unsaved one with the defaults (a GET writes nothing)."""
    return selectors.schedule_of(request.user) or CoachSchedule(coach=request.user)


def _availability_page(
    request: HttpRequest,
    *,
    form: ScheduleForm | None = None,
    windows=None,
    windows_error: str = "",
    away_form: AwayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    schedule = _schedule(request)
    saved = schedule.pk is not None
    if form is None:
        form = ScheduleForm(instance=schedule)
    if windows is None:
        windows = WindowFormSet(
            prefix="windows",
            initial=[
                {"weekday": w.weekday, "starts_at": w.starts_at, "ends_at": w.ends_at}
                for w in (schedule.windows.all() if saved else [])
            ],
        )
    today = timezone.localdate(timezone=_zone(request))
    context = {
        "schedule": schedule,
        "form": form,
        "windows": windows,
        "windows_error": windows_error,
        "away_form": away_form or AwayForm(prefix="away"),
        "away": list(schedule.exceptions.filter(ends_on__gte=today)) if saved else [],
    }
    return render(request, "booking/staff/availability.html", context, status=status)


@role_required(Rule.COACH)
def coach_availability(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _availability_page(request)
    form = ScheduleForm(request.POST, instance=_schedule(request))
    windows = WindowFormSet(request.POST, prefix="windows")
    windows_error = ""
    if all([form.is_valid(), windows.is_valid()]):
        try:
            services.schedule_update(
                actor=request.user, settings=form.settings, windows=windows.windows()
            )
        except ServiceError as error:
            if error.field == "windows":
                windows_error = error.messages[0]
            else:
                error.add_to(form)
        else:
            messages.success(request, "Your 1:1 availability is saved.")
            return redirect("coach_availability")
    return _availability_page(request, form=form, windows=windows, windows_error=windows_error)


@role_required(Rule.COACH)
@require_POST
def away_add(request: HttpRequest) -> HttpResponse:
    form = AwayForm(request.POST, prefix="away")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.availability_exception_add(
                actor=request.user,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                reason=data["reason"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            first, last = data["starts_on"], data["ends_on"]
            span = f"{first:%b} {first.day}" + (
                f" to {last:%b} {last.day}" if last != first else ""
            )
            messages.success(
                request,
                f"Saved: away {span}. No new 1:1s can be booked then; "
                "sessions already booked stay in your schedule.",
            )
            return redirect(reverse("coach_availability") + "#away-heading")
    return _availability_page(request, away_form=form, status=422)


@role_required(Rule.COACH)
@require_POST
def away_remove(request: HttpRequest, exception_id: int) -> HttpResponse:
    # Someone else's days away: the service refuses (403), revealing nothing about them.
    services.availability_exception_remove(actor=request.user, exception_id=exception_id)
    messages.success(request, "Removed; those days can be booked again.")
    return redirect(reverse("coach_availability") + "#away-heading")


# --- Office-hour series ---------------------------------------------------------------------------


@role_required(Rule.TA_STAFF)
def series_list(request: HttpRequest) -> HttpResponse:
    series = selectors.series_with_next_date(roles=roles_for(request), now=timezone.now())
    return render(request, "booking/staff/series_list.html", {"series_list": series})


def _programs_for_new_series(roles: Roles) -> QuerySet[Program]:
    """A TA admin's programs; for a coach, the programs of the grantees they coach."""
    if roles.is_ta_admin:
        return Program.objects.filter(pk__in=roles.ta_admin_of).order_by("name")
    coached = Grantee.objects.filter(pk__in=roles.coach_of).values("program_id")
    return Program.objects.filter(pk__in=coached, is_active=True).order_by("name")


def _default_time_zone(request: HttpRequest) -> str:
    zone = request.user.time_zone
    return zone if zone in known_time_zones() else DEFAULT_TIME_ZONE


@role_required(Rule.TA_STAFF)
def series_new(request: HttpRequest) -> HttpResponse:
    roles = roles_for(request)
    programs = _programs_for_new_series(roles)
    program_list = list(programs)
    initial = {
        "time_zone": _default_time_zone(request),
        "first_date": timezone.localdate(timezone=_zone(request)),
    }
    if len(program_list) == 1:
        initial["program"] = program_list[0].pk
    form = SeriesForm(
        request.POST or None,
        programs=programs,
        # A coach who runs no program hosts their own office hours; TA admins pick the hosts.
        hosts=available_coaches() if roles.is_ta_admin else None,
        actor=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.office_hours_create(
                actor=request.user, program=data["program"], data=data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            count = series.occurrences.count()
            messages.success(
                request, f"Office hours “{series.title}” created with {count} date(s)."
            )
            return redirect("office_hours_series", series_id=series.pk)
    return render(
        request,
        "booking/staff/series_form.html",
        {"form": form, "has_programs": bool(program_list)},
    )


@dataclass
class DateRow:
    occurrence: OfficeHourOccurrence
    state: str  # scheduled, moved or skipped
    places: int  # slots, or seats of a drop-in
    is_past: bool


def _date_state(occurrence: OfficeHourOccurrence) -> str:
    if occurrence.status == OfficeHourOccurrence.Status.SKIPPED:
        return "skipped"
    return "moved" if occurrence.is_moved else "scheduled"


def _host_choices(series: OfficeHourSeries) -> QuerySet[User]:
    """Active coaches, plus the current hosts even if no longer active (so saving keeps them)."""
    current = [host.pk for host in series.hosts.all()]
    return User.objects.filter(
        Q(pk__in=available_coaches().values("pk")) | Q(pk__in=current)
    ).order_by("full_name", "email")


@office_hours_access
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = request.series
    can_manage = services.can_manage_series(roles_for(request), series)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = None
    if can_manage:
        form = SeriesEditForm(
            request.POST or None,
            hosts=_host_choices(series),
            initial={
                "title": series.title,
                "topic": series.topic_id,
                "description": series.description,
                "meeting_url": series.meeting_url,
                "hosts": list(series.hosts.all()),
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.office_hours_update(actor=request.user, series=series, data=form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Office hours updated. The dates stay as they were.")
            return redirect("office_hours_series", series_id=series.pk)
    now = timezone.now()
    rows = [
        DateRow(o, _date_state(o), selectors.places_in(o), is_past=o.ends_at <= now)
        for o in selectors.series_occurrences(series=series)
    ]
    context = {
        "series": series,
        "form": form,
        "upcoming": [row for row in rows if not row.is_past],
        "past": [row for row in rows if row.is_past],
    }
    return render(request, "booking/staff/series_detail.html", context)


# --- One date of a series -------------------------------------------------------------------------


@dataclass
class RosterRow:
    booking: Booking
    can_mark: bool  # attendance can be recorded now


def _occurrence_page(
    request: HttpRequest,
    occurrence: OfficeHourOccurrence,
    *,
    skip_form: SkipForm | None = None,
    move_form: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    series = request.series
    now = timezone.now()
    can_manage = services.can_manage_series(roles_for(request), series)
    roster = selectors.occurrence_bookings(occurrence=occurrence)
    rows = [
        RosterRow(b, can_mark=can_manage and b.is_active and b.starts_at <= now) for b in roster
    ]
    can_change = (
        can_manage
        and occurrence.status == OfficeHourOccurrence.Status.SCHEDULED
        and occurrence.starts_at > now
    )
    local_start = timezone.localtime(occurrence.starts_at, ZoneInfo(series.time_zone))
    context = {
        "series": series,
        "occurrence": occurrence,
        "state": _date_state(occurrence),
        "places": selectors.places_in(occurrence),
        "booked": sum(1 for b in roster if b.is_active),
        "rows": rows,
        "can_change": can_change,
        "skip_form": skip_form or SkipForm(prefix="skip"),
        "move_form": move_form
        or MoveForm(
            prefix="move",
            initial={"new_date": local_start.date(), "new_start": local_start.time()},
        ),
        "series_zone": series.time_zone,
    }
    if request.htmx and request.htmx.target == "roster":
        return render(request, "booking/staff/occurrence_detail.html#roster", context)
    return render(request, "booking/staff/occurrence_detail.html", context, status=status)


@office_hours_access
def occurrence_detail(request: HttpRequest, series_id: int, occurrence_id: int) -> HttpResponse:
    occurrence = selectors.occurrence_for_staff(series=request.series, occurrence_id=occurrence_id)
    return _occurrence_page(request, occurrence)


@office_hours_access
@require_POST
def occurrence_skip(request: HttpRequest, series_id: int, occurrence_id: int) -> HttpResponse:
    occurrence = selectors.occurrence_for_staff(series=request.series, occurrence_id=occurrence_id)
    form = SkipForm(request.POST, prefix="skip")
    if form.is_valid():
        try:
            count = services.occurrence_skip(
                actor=request.user, occurrence=occurrence, note=form.cleaned_data["note"]
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request, f"Skipped {_when(occurrence.starts_at)}. {_people_told(count)}"
            )
            return redirect(
                "office_hours_occurrence", series_id=series_id, occurrence_id=occurrence_id
            )
    return _occurrence_page(request, occurrence, skip_form=form, status=422)


@office_hours_access
@require_POST
def occurrence_move(request: HttpRequest, series_id: int, occurrence_id: int) -> HttpResponse:
    occurrence = selectors.occurrence_for_staff(series=request.series, occurrence_id=occurrence_id)
    form = MoveForm(request.POST, prefix="move")
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.occurrence_move(
                actor=request.user,
                occurrence=occurrence,
                new_date=data["new_date"],
                new_start=data["new_start"],
                note=data["note"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            count = sum(1 for b in selectors.occurrence_bookings(occurrence=moved) if b.is_active)
            messages.success(request, f"Moved to {_when(moved.starts_at)}. {_people_told(count)}")
            return redirect(
                "office_hours_occurrence", series_id=series_id, occurrence_id=occurrence_id
            )
    return _occurrence_page(request, occurrence, move_form=form, status=422)


@office_hours_access
@require_POST
def occurrence_attendance(
    request: HttpRequest, series_id: int, occurrence_id: int, booking_id: int
) -> HttpResponse:
    occurrence = selectors.occurrence_for_staff(series=request.series, occurrence_id=occurrence_id)
    booking = selectors.occurrence_booking(occurrence=occurrence, booking_id=booking_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the person attended or did not show up.")
    else:
        attended = form.cleaned_data["outcome"] == "attended"
        mark = services.booking_mark_attended if attended else services.booking_mark_no_show
        try:
            mark(actor=request.user, booking=booking)
        except ServiceError as error:
            messages.error(request, error.messages[0])
        else:
            who = booking.booked_by.full_name or booking.booked_by.email
            messages.success(
                request, f"{who}: {'attended' if attended else 'marked as a no-show'}."
            )
    if request.htmx:
        return _occurrence_page(request, occurrence)
    return redirect("office_hours_occurrence", series_id=series_id, occurrence_id=occurrence_id)

"""Pages for support hours: the hour page and ledger, requests, sessions. Thin: check, validate,
call one service or selector, render (the fragment for an HTMX request)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments import selectors as plan_selectors
from booking import selectors as booking_selectors
from booking import services as booking_services
from portal.access import Rule, grantee_access, program_access
from portal.exports import csv_response
from portal.formatting import format_hours
from portal.roles import roles_for
from portal.services import ServiceError
from support_hours import selectors, services
from support_hours.forms import (
    ActionItemFormSet,
    AdjustForm,
    AllocateForm,
    DisputeForm,
    RequestAssignForm,
    RequestMoveForm,
    ResolveForm,
    SessionForm,
    SessionReviseForm,
    SupportRequestForm,
)
from support_hours.models import ActionItem, CoachingSession, SupportRequest

ENTRIES_PER_PAGE = 25
ROWS_PER_PAGE = 25


def _page(request: HttpRequest, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# --- Hours ---------------------------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_VIEW)
def hours(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    roles = roles_for(request)
    entries = _page(request, selectors.ledger_entries(grantee=grantee), ENTRIES_PER_PAGE)
    context = {
        "grantee": grantee,
        "entries": entries,
        "can_administer": roles.can_administer_grantee(grantee.program_id),
    }
    if request.htmx and request.htmx.target == "entries":
        return render(request, "support_hours/hours.html#entries", context)
    context["summary"] = selectors.hour_summary(grantee=grantee)
    return render(request, "support_hours/hours.html", context)


CSV_HEADER = [
    "posted_at",
    "effective_on",
    "kind",
    "minutes",
    "hours",
    "available_after_hours",
    "session_id",
    "session_date",
    "reason",
    "override_reason",
    "corrects_entry",
    "entry_id",
]


@grantee_access(Rule.GRANTEE_VIEW)
def hours_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Every ledger entry, oldest first, streamed so a long history never sits in memory."""
    grantee = request.grantee
    entries = selectors.ledger_entries(grantee=grantee).order_by("created_at", "pk").iterator(2000)

    def rows():
        for entry in entries:
            session = entry.session
            yield [
                timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                entry.effective_on.isoformat(),
                entry.kind,
                entry.minutes,
                f"{entry.minutes / 60:.2f}",
                f"{entry.available_after_minutes / 60:.2f}",
                session.pk if session else "",
                timezone.localtime(session.started_at).date().isoformat() if session else "",
                entry.reason,  # csv_response defuses formula-looking text
                entry.override_reason,
                entry.corrects_id or "",
                entry.pk,
            ]

    stamp = timezone.localdate().isoformat()
    return csv_response(CSV_HEADER, rows(), f"{grantee.slug}-hours-{stamp}")


@grantee_access(Rule.GRANTEE_ADMIN)
def hours_allocate(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    default_hours = grantee.program.default_allocation_minutes / 60
    form = AllocateForm(request.POST or None, initial={"hours": f"{default_hours:g}"})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.hours_allocate(
                actor=request.user,
                grantee=grantee,
                minutes=form.cleaned_data["hours"],
                key=f"allocate:{form.cleaned_data['form_key']}",
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"Allocated {format_hours(entry.minutes)} to {grantee}.")
            return redirect("hours", slug=slug)
    return render(
        request,
        "support_hours/hours_form.html",
        {"grantee": grantee, "form": form, "action": "allocate"},
    )


@grantee_access(Rule.GRANTEE_ADMIN)
def hours_adjust(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.hours_adjust(
                actor=request.user,
                grantee=grantee,
                minutes=data["hours"],
                reason=data["reason"],
                override_reason=data["override_reason"],
                key=f"adjust:{data['form_key']}",
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            verb = "Added" if entry.minutes > 0 else "Removed"
            messages.success(request, f"{verb} {format_hours(abs(entry.minutes))}.")
            return redirect("hours", slug=slug)
    return render(
        request,
        "support_hours/hours_form.html",
        {
            "grantee": grantee,
            "form": form,
            "action": "adjust",
            "balance": selectors.hour_balance(grantee=grantee),
        },
    )


@program_access(Rule.PROGRAM_VIEW)
def program_hours(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    grantees = selectors.program_hours(program=program)
    accounts = [g.hour_account for g in grantees if hasattr(g, "hour_account")]
    totals = {
        "allocated": sum(a.allocated_minutes for a in accounts),
        "used": sum(a.used_minutes for a in accounts),
        "held": sum(a.held_minutes for a in accounts),
        "available": sum(a.available_minutes for a in accounts),
    }
    context = {
        "program": program,
        "grantees": grantees,
        "totals": totals,
        "unallocated": len(grantees) - len(accounts),
        "can_manage": program.pk in roles_for(request).ta_admin_of,
    }
    return render(request, "support_hours/program_hours.html", context)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def program_allocate_defaults(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    count = services.program_allocate_defaults(actor=request.user, program=program)
    hours = format_hours(program.default_allocation_minutes)
    if count:
        messages.success(request, f"Allocated {hours} to {count} grantee(s).")
    else:
        messages.info(request, "Every grantee already has hours allocated.")
    return redirect("program_hours", program_slug=program.slug)


# --- Requests ------------------------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_VIEW)
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    page = _page(request, selectors.grantee_requests(grantee=grantee), ROWS_PER_PAGE)
    context = {
        "grantee": grantee,
        "page": page,
        "can_submit": grantee.pk in roles_for(request).staff_of,
    }
    return render(request, "support_hours/requests.html", context)


@grantee_access(Rule.GRANTEE_MEMBER)
def request_new(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support_request = services.support_request_submit(
                actor=request.user,
                grantee=grantee,
                data=form.cleaned_data,
                key=form.cleaned_data["form_key"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Request sent. A TA admin will match you with a coach.")
            return redirect("support_request_detail", slug=slug, request_id=support_request.pk)
    return render(request, "support_hours/request_form.html", {"grantee": grantee, "form": form})


def _request_moves(request: HttpRequest, support_request: SupportRequest) -> set[str]:
    roles = roles_for(request)
    grantee = request.grantee
    if (
        grantee.program_id in roles.ta_admin_of
        or support_request.assigned_coach_id == request.user.pk
    ):
        return services.MANUAL_MOVES.get(support_request.status, set())
    if grantee.pk in roles.staff_of and support_request.status == SupportRequest.Status.SUBMITTED:
        return {SupportRequest.Status.CLOSED}
    return set()


def _request_page(request, support_request, *, assign_form=None, move_form=None, status=200):
    roles = roles_for(request)
    grantee = request.grantee
    can_administer = roles.can_administer_grantee(grantee.program_id)
    suggestions = (
        selectors.coach_suggestions(request=support_request)
        if can_administer and support_request.is_open
        else []
    )
    if can_administer and assign_form is None:
        from grantees.selectors import available_coaches

        assign_form = RequestAssignForm(coaches=available_coaches())
    moves = _request_moves(request, support_request)
    if moves and move_form is None:
        move_form = RequestMoveForm(moves=moves)
    context = {
        "grantee": grantee,
        "support_request": support_request,
        "suggestions": suggestions,
        "assign_form": assign_form if can_administer and support_request.is_open else None,
        "move_form": move_form if moves else None,
        "can_record": roles.can_coach_grantee(grantee.pk, grantee.program_id),
    }
    return render(request, "support_hours/request_detail.html", context, status=status)


@grantee_access(Rule.GRANTEE_VIEW)
def request_detail(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    support_request = selectors.request_detail(grantee=request.grantee, request_id=request_id)
    return _request_page(request, support_request)


@grantee_access(Rule.GRANTEE_ADMIN)
@require_POST
def request_assign(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    from grantees.selectors import available_coaches

    support_request = selectors.request_detail(grantee=request.grantee, request_id=request_id)
    form = RequestAssignForm(request.POST, coaches=available_coaches())
    if form.is_valid():
        coach = form.cleaned_data["coach"]
        try:
            services.support_request_assign(
                actor=request.user,
                request=support_request,
                coach=coach,
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"Matched with {coach.full_name}; both have been told.")
            return redirect("support_request_detail", slug=slug, request_id=request_id)
    return _request_page(request, support_request, assign_form=form, status=422)


@grantee_access(Rule.GRANTEE_PARTICIPATE)
@require_POST
def request_move(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    support_request = selectors.request_detail(grantee=request.grantee, request_id=request_id)
    moves = _request_moves(request, support_request)
    if not moves:
        raise PermissionDenied
    form = RequestMoveForm(request.POST, moves=moves)
    if form.is_valid():
        try:
            services.support_request_move(
                actor=request.user,
                request=support_request,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Request updated.")
            return redirect("support_request_detail", slug=slug, request_id=request_id)
    return _request_page(request, support_request, move_form=form, status=422)


@program_access(Rule.PROGRAM_MANAGE)
def program_requests(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    status = request.GET.get("status", "open")
    valid = {"open", "", *SupportRequest.Status.values}
    if status not in valid:
        status = "open"
    page = _page(
        request, selectors.program_request_queue(program=program, status=status), ROWS_PER_PAGE
    )
    context = {
        "program": program,
        "page": page,
        "status": status,
        "statuses": [("open", "All open"), *SupportRequest.Status.choices, ("", "All")],
        "disputed": selectors.disputed_sessions(program=program),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "support_hours/program_requests.html#results", context)
    return render(request, "support_hours/program_requests.html", context)


# --- Sessions ------------------------------------------------------------------------------------


@grantee_access(Rule.GRANTEE_VIEW)
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    roles = roles_for(request)
    page = _page(request, selectors.grantee_sessions(grantee=grantee), ROWS_PER_PAGE)
    context = {
        "grantee": grantee,
        "page": page,
        "can_record": roles.can_coach_grantee(grantee.pk, grantee.program_id),
        "is_lead": grantee.pk in roles.lead_of,
    }
    return render(request, "support_hours/sessions.html", context)


def _session_form_kwargs(request: HttpRequest, *, current_goal_id: int | None = None) -> dict:
    grantee = request.grantee
    roles = roles_for(request)
    goals = plan_selectors.open_goals(grantee=grantee)
    if current_goal_id:  # a session keeps its goal when edited, even once that goal is done
        goals = goals | plan_selectors.goals_by_ids(grantee=grantee, ids=[current_goal_id])
    return {
        "requests": selectors.open_requests_for_grantee(grantee=grantee),
        "members": selectors.grantee_members(grantee=grantee),
        "goals": goals,
        "time_zone": request.user.time_zone,
        "allow_override": roles.can_administer_grantee(grantee.program_id),
    }


def _session_data(form, items_formset) -> dict:
    data = dict(form.cleaned_data)
    data["action_items"] = [
        item.cleaned_data
        for item in items_formset.forms
        if item.cleaned_data and not item.cleaned_data.get("DELETE")
    ]
    return data


@grantee_access(Rule.GRANTEE_COACH)
def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    initial = {"date": timezone.localdate()}
    if request.GET.get("request", "").isdigit():
        initial["request"] = int(request.GET["request"])
    # Recording a booked 1:1 turns its hold into the actual debit (booking.services).
    booking = _booking_to_record(request)
    if booking is not None:
        start = timezone.localtime(booking.starts_at)
        initial.update(
            {"date": start.date(), "start_time": start.time(), "minutes": booking.minutes}
        )
        initial["attendees"] = [booking.booked_by_id]
    form = SessionForm(request.POST or None, initial=initial, **_session_form_kwargs(request))
    items = ActionItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        record_kwargs = {
            "actor": request.user,
            "data": _session_data(form, items),
            "key": form.cleaned_data["form_key"],
            "override_reason": form.cleaned_data.get("override_reason", ""),
        }
        try:
            if booking is not None:
                session = booking_services.booking_record_session(booking=booking, **record_kwargs)
            else:
                session = services.session_record(grantee=grantee, **record_kwargs)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                f"Session recorded; {format_hours(session.minutes)} drawn from "
                f"{grantee.name}'s hours.",
            )
            return redirect("session_detail", slug=slug, session_id=session.pk)
    context = {
        "grantee": grantee,
        "form": form,
        "items": items,
        "balance": selectors.hour_balance(grantee=grantee),
        "booking": booking,
    }
    return render(request, "support_hours/session_form.html", context)


def _booking_to_record(request: HttpRequest):
    """The booked 1:1 named by ?booking= (GET or the form's action), or None."""
    value = request.GET.get("booking", "")
    if not value.isdigit():
        return None
    return booking_selectors.booking_for_grantee(grantee=request.grantee, booking_id=int(value))


@grantee_access(Rule.GRANTEE_VIEW)
def session_detail(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    grantee = request.grantee
    roles = roles_for(request)
    session = selectors.session_detail(grantee=grantee, session_id=session_id)
    is_ta_staff = roles.can_coach_grantee(grantee.pk, grantee.program_id)
    is_admin = roles.can_administer_grantee(grantee.program_id)
    context = {
        "grantee": grantee,
        "session": session,
        "show_internal": is_ta_staff,
        "can_edit": is_admin
        or (
            is_ta_staff
            and session.status in (CoachingSession.Status.RECORDED, CoachingSession.Status.DISPUTED)
        ),
        "can_confirm": grantee.pk in roles.lead_of
        and session.status == CoachingSession.Status.RECORDED,
        "can_resolve": is_admin and session.status == CoachingSession.Status.DISPUTED,
        "can_update_items": grantee.pk in roles.staff_of or is_ta_staff,
        "resolve_form": ResolveForm(),
        "item_statuses": ActionItem.Status.choices,
        "auto_confirm_on": session.awaiting_since
        + timedelta(days=grantee.program.session_auto_confirm_days),
    }
    return render(request, "support_hours/session_detail.html", context)


@grantee_access(Rule.GRANTEE_COACH)
def session_edit(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    grantee = request.grantee
    session = selectors.session_for_edit(grantee=grantee, session_id=session_id)
    local_start = timezone.localtime(session.started_at, ZoneInfo(request.user.time_zone))
    initial = {
        "date": local_start.date(),
        "start_time": local_start.time().replace(second=0, microsecond=0),
        "minutes": session.minutes,
        "mode": session.mode,
        "request": session.request_id,
        "plan_goal": session.plan_goal_id,
        "topics": list(session.topics.all()),
        "attendees": list(session.attendees.all()),
        "guests": session.guests,
        "summary": session.summary,
        "next_steps": session.next_steps,
        "internal_notes": session.internal_notes,
    }
    form = SessionReviseForm(
        request.POST or None,
        initial=initial,
        **_session_form_kwargs(request, current_goal_id=session.plan_goal_id),
    )
    items = ActionItemFormSet(
        request.POST or None,
        prefix="items",
        initial=[
            {
                "description": item.description,
                "owner": item.owner,
                "due_on": item.due_on,
                "status": item.status,
            }
            for item in session.action_items.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            services.session_revise(
                actor=request.user,
                session=session,
                data=_session_data(form, items),
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Session corrected; the earlier version is kept.")
            return redirect("session_detail", slug=slug, session_id=session.pk)
    context = {
        "grantee": grantee,
        "form": form,
        "items": items,
        "session": session,
        "balance": selectors.hour_balance(grantee=grantee),
    }
    return render(request, "support_hours/session_form.html", context)


@grantee_access(Rule.GRANTEE_LEAD)
@require_POST
def session_confirm(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = selectors.session_detail(grantee=request.grantee, session_id=session_id)
    try:
        services.session_confirm(actor=request.user, session=session)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Thank you: the session is confirmed.")
    return redirect("session_detail", slug=slug, session_id=session_id)


@grantee_access(Rule.GRANTEE_LEAD)
def session_dispute(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    grantee = request.grantee
    session = selectors.session_detail(grantee=grantee, session_id=session_id)
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_dispute(
                actor=request.user, session=session, comment=form.cleaned_data["comment"]
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Dispute sent to your TA admin.")
            return redirect("session_detail", slug=slug, session_id=session_id)
    return render(
        request,
        "support_hours/session_dispute.html",
        {"grantee": grantee, "session": session, "form": form},
    )


@grantee_access(Rule.GRANTEE_ADMIN)
@require_POST
def session_resolve(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = selectors.session_detail(grantee=request.grantee, session_id=session_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.session_resolve(
                actor=request.user, session=session, note=form.cleaned_data["note"]
            )
        except ServiceError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Dispute resolved; the lead and the coach have been told.")
    else:
        messages.error(request, "Explain how the dispute was resolved.")
    return redirect("session_detail", slug=slug, session_id=session_id)


@grantee_access(Rule.GRANTEE_PARTICIPATE)
@require_POST
def action_item_status(
    request: HttpRequest, slug: str, session_id: int, item_id: int
) -> HttpResponse:
    item = selectors.action_item(grantee=request.grantee, session_id=session_id, item_id=item_id)
    try:
        services.action_item_set_status(
            actor=request.user, item=item, status=request.POST.get("status", "")
        )
    except ServiceError as error:
        messages.error(request, error.messages[0])
    if request.htmx:
        return render(
            request,
            "support_hours/partials/action_item.html",
            {
                "item": item,
                "grantee": request.grantee,
                "session_id": session_id,
                "can_update_items": True,
                "item_statuses": ActionItem.Status.choices,
                "focus_after_swap": True,
            },
        )
    return redirect("session_detail", slug=slug, session_id=session_id)

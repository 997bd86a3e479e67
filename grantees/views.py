"""Pages for grantees, programs and people. Thin: check, validate, call a service or selector."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from grantees import selectors, services
from grantees.forms import (
    CoachAssignForm,
    GranteeProfileForm,
    InvitationAcceptForm,
    InvitationForm,
    PeopleSearchForm,
    ProgramInvitationForm,
)
from grantees.models import Invitation, Program, User
from portal.access import Rule, declare, grantee_access, program_access, role_required, signed_in
from portal.redirects import redirect_to_next
from portal.roles import roles_for, scope_fragment_key
from portal.services import ServiceError


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the dashboard of their main role; people with none get a notice."""
    roles = roles_for(request)
    if roles.is_ta_admin:
        return redirect("ta_dashboard")
    if roles.is_state_admin:
        program = Program.objects.filter(pk__in=roles.state_admin_of).order_by("-starts_on").first()
        return redirect("program_overview", program_slug=program.slug)
    if roles.is_coach:
        return redirect("coach_dashboard")
    grantee = selectors.visible_grantees(roles=roles).first()
    if grantee is not None:
        return redirect("grantee_dashboard", slug=grantee.slug)
    return render(request, "grantees/no_role.html")


@grantee_access(Rule.GRANTEE_VIEW)
def grantee_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    from labor_market.selectors import priority_occupations
    from support_hours import selectors as support

    roles = roles_for(request)
    grantee = request.grantee  # read with its program and region by grantee_access
    can_manage = roles.can_manage_grantee(grantee.pk, grantee.program_id)
    context = {
        "hours": support.hour_balance(grantee=grantee),
        "awaiting_confirmation": support.pending_confirmations(grantee=grantee).count()
        if grantee.pk in roles.lead_of
        else 0,
        "can_record": roles.can_coach_grantee(grantee.pk, grantee.program_id),
        "is_member": grantee.pk in roles.staff_of,
        "grantee": grantee,
        "team": selectors.grantee_team(grantee=grantee),
        "coaches": selectors.grantee_coaches(grantee=grantee),
        "can_manage": can_manage,
        "can_administer": roles.can_administer_grantee(grantee.program_id),
        "invitations": selectors.open_invitations(grantees=[grantee]) if can_manage else [],
        "priorities": priority_occupations(grantee=grantee),
    }
    return render(request, "grantees/grantee_dashboard.html", context)


@grantee_access(Rule.GRANTEE_MANAGE)
def grantee_profile_edit(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    form = GranteeProfileForm(request.POST or None, instance=grantee)
    if request.method == "POST" and form.is_valid():
        try:
            services.grantee_profile_update(
                actor=request.user, grantee=grantee, data=form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Profile saved.")
            return redirect("grantee_dashboard", slug=grantee.slug)
    return render(request, "grantees/profile_edit.html", {"grantee": grantee, "form": form})


@grantee_access(Rule.GRANTEE_MANAGE)
def grantee_invite(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                invited_by=request.user, grantee=grantee, **form.cleaned_data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("grantee_dashboard", slug=grantee.slug)
    return render(request, "grantees/invite.html", {"grantee": grantee, "form": form})


@grantee_access(Rule.GRANTEE_MANAGE)
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id, grantee=request.grantee)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"Invitation for {invitation.email} withdrawn.")
    return redirect_to_next(request, reverse("grantee_dashboard", args=[slug]))


@grantee_access(Rule.GRANTEE_ADMIN)
def grantee_coaches(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    assigned = selectors.grantee_coaches(grantee=grantee)
    coaches = selectors.available_coaches().exclude(pk__in=[a.coach_id for a in assigned])
    form = CoachAssignForm(request.POST or None, coaches=coaches)
    if request.method == "POST":
        if "unassign" in request.POST:
            coach = get_object_or_404(
                User, pk=request.POST["unassign"], coach_assignments__grantee=grantee
            )
            services.coach_unassign(actor=request.user, grantee=grantee, coach=coach)
            messages.success(request, f"{coach} is no longer assigned to {grantee}.")
            return redirect("grantee_coaches", slug=slug)
        if form.is_valid():
            try:
                services.coach_assign(
                    actor=request.user, grantee=grantee, coach=form.cleaned_data["coach"]
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, f"{form.cleaned_data['coach']} now coaches {grantee}.")
                return redirect("grantee_coaches", slug=slug)
    return render(
        request, "grantees/coaches.html", {"grantee": grantee, "assigned": assigned, "form": form}
    )


@role_required(Rule.COACH)
def coach_dashboard(request: HttpRequest) -> HttpResponse:
    roles = roles_for(request)
    from events.selectors import organizer_upcoming_events
    from support_hours import selectors as support

    context = {
        "grantees": selectors.coach_grantees(roles=roles),
        "profile": selectors.coach_profile_for(user=request.user),
        "open_requests": support.coach_open_requests(coach=request.user),
        "recent_sessions": support.coach_recent_sessions(coach=request.user),
        "events": organizer_upcoming_events(user=request.user),
    }
    return render(request, "grantees/coach_dashboard.html", context)


@role_required(Rule.TA_ADMIN)
def ta_dashboard(request: HttpRequest) -> HttpResponse:
    roles = roles_for(request)
    page = request.GET.get("page")
    context = {
        # The programs and grantees are rendered from the cache until one of them (or a team
        # or coach assignment) changes: read only when that fragment is missing or out of date.
        "programs": selectors.programs_run_by(roles=roles),
        "grantees": SimpleLazyObject(
            lambda: Paginator(
                selectors.program_grantees(program_ids=roles.ta_admin_of), 25
            ).get_page(page)
        ),
        "page_key": page or "",
        "fragment_seconds": settings.ROLES_CACHE_SECONDS,
        "scope_key": scope_fragment_key(request),
        "invitations": selectors.program_open_invitations(program_ids=roles.ta_admin_of)[:20],
    }
    return render(request, "grantees/ta_dashboard.html", context)


@program_access(Rule.PROGRAM_VIEW)
def program_overview(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = request.program
    return render(
        request,
        "grantees/program_overview.html",
        {
            "program": program,
            # Read only when the cached grantee list is missing or out of date.
            "groups": SimpleLazyObject(
                lambda: selectors.program_grantees_by_region(program=program)
            ),
            "can_manage": program.pk in roles_for(request).ta_admin_of,
            "fragment_seconds": settings.ROLES_CACHE_SECONDS,
            "scope_key": scope_fragment_key(request),
        },
    )


@program_access(Rule.PROGRAM_MANAGE)
def program_people(request: HttpRequest, program_slug: str) -> HttpResponse:
    form = PeopleSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    people = Paginator(
        selectors.program_people(program=request.program, search=search), 25
    ).get_page(request.GET.get("page"))
    context = {"program": request.program, "form": form, "people": people, "search": search}
    template = "grantees/people.html#results" if request.htmx else "grantees/people.html"
    return render(request, template, context)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def person_deactivate(request: HttpRequest, program_slug: str, user_id: int) -> HttpResponse:
    person = selectors.program_person(program=request.program, user_id=user_id)
    try:
        services.person_deactivate(actor=request.user, program=request.program, person=person)
    except ServiceError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{person} is deactivated and signed out everywhere.")
    return redirect("program_people", program_slug=program_slug)


@program_access(Rule.PROGRAM_MANAGE)
@require_POST
def person_reactivate(request: HttpRequest, program_slug: str, user_id: int) -> HttpResponse:
    person = selectors.program_person(program=request.program, user_id=user_id)
    services.person_reactivate(actor=request.user, program=request.program, person=person)
    messages.success(request, f"{person} can sign in again.")
    return redirect("program_people", program_slug=program_slug)


@program_access(Rule.PROGRAM_MANAGE)
def program_invite(request: HttpRequest, program_slug: str) -> HttpResponse:
    grantees = selectors.program_grantees(program_ids=[request.program.pk]).filter(is_active=True)
    form = ProgramInvitationForm(request.POST or None, grantees=grantees)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        grantee = data.pop("grantee")
        try:
            invitation, _token = services.invitation_create(
                invited_by=request.user, grantee=grantee, **data
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"Invitation sent to {invitation.email} for {grantee}.")
            return redirect("ta_dashboard")
    return render(
        request, "grantees/program_invite.html", {"program": request.program, "form": form}
    )


@declare(Rule.PUBLIC)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the token is the credential. Creates an account or links the signed-in one."""
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        return render(request, "grantees/invitation_invalid.html", status=404)
    context = {"invitation": invitation}
    if not invitation.is_open:
        return render(request, "grantees/invitation_closed.html", context, status=410)
    user = request.user if request.user.is_authenticated else None
    account_exists = user is None and User.objects.filter(email__iexact=invitation.email).exists()
    wrong_account = user is not None and user.email.lower() != invitation.email.lower()
    form = (
        None
        if (user or account_exists)
        else InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    )
    if (
        request.method == "POST"
        and not account_exists
        and not wrong_account
        and (form is None or form.is_valid())
    ):
        try:
            membership = services.invitation_accept(
                token=token,
                user=user,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except ServiceError as error:
            if form is None:
                messages.error(request, error.messages[0])
                return redirect(request.path)
            error.add_to(form)
        else:
            if user is None:
                login(
                    request,
                    membership.user,
                    backend="django.contrib.auth.backends.ModelBackend",
                )
            messages.success(request, f"Welcome to {membership.grantee.name}.")
            return redirect("grantee_dashboard", slug=membership.grantee.slug)
    context.update(form=form, account_exists=account_exists, wrong_account=wrong_account)
    return render(request, "grantees/invitation_accept.html", context)

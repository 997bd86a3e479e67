"""TA plan pages: propose priorities from a finalized assessment, the plan with its goals,
actions and recommendations, and editing goals and actions (leads, coaches, TA admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.forms import GoalActionForm, GoalForm, PlanForm
from assessments.models import Domain, Goal
from portal.access import Rule, grantee_access
from portal.roles import roles_for
from portal.services import ServiceError


def _can_plan(request: HttpRequest) -> bool:
    grantee = request.grantee
    return roles_for(request).can_plan_for_grantee(grantee.pk, grantee.program_id)


def _plan_url(slug: str, goal: Goal | None = None) -> str:
    url = reverse("ta_plan", kwargs={"slug": slug})
    return f"{url}#goal-{goal.pk}" if goal else url


@grantee_access(Rule.GRANTEE_VIEW)
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    plan = selectors.latest_plan(grantee)
    can_plan = _can_plan(request)
    people = list(selectors.plan_people(grantee)) if plan and can_plan else []
    context = {
        "people": people,
        "grantee": grantee,
        "plan": plan,
        "view": selectors.plan_view(plan=plan, roles=roles_for(request)) if plan else None,
        "can_plan": can_plan,
        "action_form": GoalActionForm(people=selectors.plan_people(grantee)) if can_plan else None,
        "ready": None
        if plan
        else next(
            (a for a in selectors.assessments_for(grantee) if a.is_final),
            None,
        ),
    }
    return render(request, "assessments/plan.html", context)


@grantee_access(Rule.GRANTEE_PLAN)
def plan_new(request: HttpRequest, slug: str, assessment_id: int) -> HttpResponse:
    grantee = request.grantee
    assessment = selectors.assessment_in(grantee, assessment_id)
    if hasattr(assessment, "plan"):
        return redirect("ta_plan", slug=grantee.slug)
    priorities = selectors.propose_priorities(assessment)
    initial = {"domains": [p.domain.pk for p in priorities if p.proposed]}
    # An empty POST (nothing ticked) must still be validated, so not `request.POST or None`.
    form = PlanForm(
        request.POST if request.method == "POST" else None, priorities=priorities, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_create(
                actor=request.user,
                assessment=assessment,
                domains=list(form.cleaned_data["domains"]),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Plan created. Give each goal actions, an owner and a date.")
            return redirect("ta_plan", slug=grantee.slug)
    return render(
        request,
        "assessments/plan_new.html",
        {"grantee": grantee, "assessment": assessment, "form": form, "priorities": priorities},
        status=422 if form.errors else 200,
    )


def _goal_form(request: HttpRequest, plan, goal: Goal | None = None) -> GoalForm:
    initial = {"status": Goal.Status.NOT_STARTED}
    if goal is not None:
        initial = {
            name: getattr(goal, f"{name}_id" if name in ("domain", "owner") else name)
            for name in services.GOAL_FIELDS
        }
    return GoalForm(
        request.POST or None,
        initial=initial,
        domains=Domain.objects.filter(version=plan.assessment.version_id),
        people=selectors.plan_people(request.grantee),
    )


@grantee_access(Rule.GRANTEE_PLAN)
def goal_new(request: HttpRequest, slug: str) -> HttpResponse:
    grantee = request.grantee
    plan = selectors.latest_plan(grantee)
    if plan is None:
        messages.error(request, "Create the plan from a finalized assessment first.")
        return redirect("ta_plan", slug=grantee.slug)
    return _goal_page(request, plan, goal=None)


@grantee_access(Rule.GRANTEE_PLAN)
def goal_edit(request: HttpRequest, slug: str, goal_id: int) -> HttpResponse:
    goal = selectors.goal_in(request.grantee, goal_id)
    return _goal_page(request, goal.plan, goal=goal)


def _goal_page(request: HttpRequest, plan, *, goal: Goal | None) -> HttpResponse:
    form = _goal_form(request, plan, goal)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.goal_save(
                actor=request.user, plan=plan, data=form.cleaned_data, goal=goal
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, "Goal saved.")
            return redirect(_plan_url(request.grantee.slug, saved))
    return render(
        request,
        "assessments/goal_form.html",
        {"grantee": request.grantee, "goal": goal, "form": form},
        status=422 if form.errors else 200,
    )


@grantee_access(Rule.GRANTEE_PLAN)
@require_POST
def goal_actions(request: HttpRequest, slug: str, goal_id: int) -> HttpResponse:
    """Add an action to a goal; HTMX gets the goal's action list back."""
    grantee = request.grantee
    goal = selectors.goal_in(grantee, goal_id)
    people = selectors.plan_people(grantee)
    form = GoalActionForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.goal_action_add(actor=request.user, goal=goal, data=form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            form = GoalActionForm(people=people)
    if not request.htmx:
        if form.errors:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_plan_url(grantee.slug, goal))
    return render(
        request,
        "assessments/partials/goal_actions.html",
        {
            "grantee": grantee,
            "goal": goal,
            "actions": list(goal.actions.select_related("owner")),
            "action_form": form,
            "people": people,
            "can_plan": True,
            "focus_new": True,
        },
        status=422 if form.errors else 200,
    )


@grantee_access(Rule.GRANTEE_PLAN)
@require_POST
def goal_action(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    """Tick an action done or not, or delete it."""
    grantee = request.grantee
    action = selectors.action_in(grantee, action_id)
    goal = action.goal
    if request.POST.get("do") == "delete":
        services.goal_action_delete(actor=request.user, action=action)
    else:
        services.goal_action_set_done(
            actor=request.user, action=action, done=request.POST.get("do") == "done"
        )
    if not request.htmx:
        return redirect(_plan_url(grantee.slug, goal))
    goal.refresh_from_db(fields=["status"])  # ticking an action may have started the goal
    return render(
        request,
        "assessments/partials/goal_actions.html",
        {
            "grantee": grantee,
            "goal": goal,
            "actions": list(goal.actions.select_related("owner")),
            "action_form": GoalActionForm(people=selectors.plan_people(grantee)),
            "people": selectors.plan_people(grantee),
            "can_plan": True,
            "status_oob": True,
        },
    )

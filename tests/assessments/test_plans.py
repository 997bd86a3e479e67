"""TA plans: proposed priorities, goals and actions, recommendations and session progress."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments import selectors, services
from assessments.models import Domain, Goal, GoalAction, Item, Plan
from grantees.models import Topic
from library import services as library_services
from portal.roles import compute_roles
from portal.services import ServiceError
from support_hours.services import session_record
from tests.budget import assert_constant_queries
from tests.factories import CoachProfileFactory, UserFactory
from tests.world import MARKER

pytestmark = pytest.mark.django_db


def finalize_with(world, levels: dict[int, int], flagged=()):
    """Finalize A's midpoint with these coach levels per domain position."""
    draft, coach = world.assessment_draft, world.users["coach"]
    for item in Item.objects.filter(domain__version=draft.version).select_related("domain"):
        position = item.domain.position
        services.assessment_save_field(
            actor=coach,
            assessment=draft,
            field=f"coach:{item.pk}:level",
            value=str(levels[position]),
            was="3",
        )
        if position in flagged:
            services.assessment_save_field(
                actor=world.users["staff"],
                assessment=draft,
                field=f"grantee:{item.pk}:flagged",
                value="on",
                was="",
            )
    services.assessment_set_date(actor=coach, assessment=draft, interview_on=draft.created_at)
    return services.assessment_finalize(actor=coach, assessment=draft)


def test_proposal_is_the_three_lowest_plus_flagged(world):
    final = finalize_with(world, {1: 4, 2: 1, 3: 3, 4: 2, 5: 4, 6: 2, 7: 3, 8: 4}, flagged=(5,))
    priorities = selectors.propose_priorities(final)
    proposed = [(p.domain.position, p.score, p.reason) for p in priorities if p.proposed]
    # 2 (1.00), then 4 and 6 tied at 2.00, and 5 because the grantee flagged it.
    assert proposed == [
        (2, Decimal("1.00"), "among the lowest scores"),
        (4, Decimal("2.00"), "among the lowest scores"),
        (6, Decimal("2.00"), "among the lowest scores"),
        (5, Decimal("4.00"), "flagged by the grantee"),
    ]
    assert len(priorities) == 8


def test_ties_at_the_cutoff_are_all_proposed(world):
    final = finalize_with(world, dict.fromkeys(range(1, 9), 3) | {1: 1})
    assert sum(p.proposed for p in selectors.propose_priorities(final)) == 8


def test_plan_from_chosen_priorities(world):
    final = finalize_with(world, {1: 4, 2: 1, 3: 3, 4: 2, 5: 4, 6: 2, 7: 3, 8: 4})
    domains = list(Domain.objects.filter(version=final.version, position__in=[2, 4]))
    plan = services.plan_create(actor=world.users["lead"], assessment=final, domains=domains)
    assert [g.title for g in plan.goals.all()] == [
        "Strengthen Labor-market alignment & employer engagement",
        "Strengthen Integrated instruction for English language learners",
    ]
    with pytest.raises(ServiceError):
        services.plan_create(actor=world.users["coach"], assessment=final, domains=domains)


def test_plan_rules(world):
    version = world.instrument_version
    with pytest.raises(ServiceError) as error:
        services.plan_create(
            actor=world.users["coach"], assessment=world.assessment_draft, domains=[]
        )
    assert "Finalize" in error.value.messages[0]
    other_final = finalize_with(world, dict.fromkeys(range(1, 9), 2))
    with pytest.raises(ServiceError) as error:
        services.plan_create(actor=world.users["coach"], assessment=other_final, domains=[])
    assert error.value.messages == ["Choose at least one priority."]
    with pytest.raises(PermissionDenied):  # staff read the plan; leads and coaches shape it
        services.plan_create(
            actor=world.users["staff"], assessment=other_final, domains=[version.domains.first()]
        )
    with pytest.raises(PermissionDenied):
        services.goal_save(actor=world.users["other_coach"], plan=world.goal.plan, data={})


def test_goal_owner_must_belong_to_the_grantee(world):
    with pytest.raises(ServiceError) as error:
        services.goal_save(
            actor=world.users["lead"],
            plan=world.goal.plan,
            goal=world.goal,
            data={"owner": world.users["other_staff"]},
        )
    assert error.value.field == "owner"
    goal = services.goal_save(
        actor=world.users["lead"],
        plan=world.goal.plan,
        goal=world.goal,
        data={"owner": world.users["staff"], "status": Goal.Status.IN_PROGRESS},
    )
    assert goal.owner == world.users["staff"]


def test_ticking_an_action_starts_the_goal(world):
    action = world.goal.actions.get()
    assert world.goal.status == Goal.Status.NOT_STARTED
    services.goal_action_set_done(actor=world.users["coach"], action=action, done=True)
    world.goal.refresh_from_db()
    action.refresh_from_db()
    assert action.done_at is not None and world.goal.status == Goal.Status.IN_PROGRESS


def test_sessions_against_a_goal_show_as_progress(world):
    topic = Topic.objects.first()
    for key in ("one", "two"):
        session_record(
            actor=world.users["coach"],
            grantee=world.grantee,
            key=f"goal-{key}",
            data={
                "started_at": timezone.now() - timedelta(days=1),
                "minutes": 45,
                "mode": "virtual",
                "topics": [topic],
                "summary": "Worked on the goal",
                "plan_goal": world.goal,
            },
        )
    view = selectors.plan_view(plan=world.goal.plan, roles=compute_roles(world.users["lead"]))
    goal = next(g for g in view.goals if g.pk == world.goal.pk)
    assert (goal.progress.sessions, goal.progress.minutes) == (2, 90)
    with pytest.raises(ServiceError) as error:  # a goal of another grantee's plan
        session_record(
            actor=world.users["other_coach"],
            grantee=world.other_grantee,
            key="wrong-goal",
            data={
                "started_at": timezone.now() - timedelta(days=1),
                "minutes": 45,
                "mode": "virtual",
                "topics": [topic],
                "summary": "x",
                "plan_goal": world.goal,
            },
        )
    assert error.value.field == "plan_goal"


def test_recommendations_follow_the_goal_topics_and_the_viewer(world):
    goal = world.goal
    topic = goal.domain.topics.first()
    resource = library_services.resource_create(
        actor=world.users["ta_admin"],
        data={
            "title": "Partnership MOU template",
            "summary": "A template",
            "kind": "tool",
            "audience": "leaders",
            "visibility": "portal",
            "external_url": "https://example.org/mou",
            "publish": True,
            "topics": [topic],
        },
    )
    expert = CoachProfileFactory(user=UserFactory(full_name="Expert Elena"))
    expert.expertise.set([topic])
    view = selectors.plan_view(plan=goal.plan, roles=compute_roles(world.users["lead"]))
    recs = next(g for g in view.goals if g.pk == goal.pk).recommendations
    assert resource in recs.resources
    assert "Expert Elena" in [c.user.full_name for c in recs.experts]
    # A resource only for grantee B is never recommended to A's people.
    only_b = library_services.resource_create(
        actor=world.users["ta_admin"],
        data={
            "title": "Bravo's own MOU",
            "summary": "For Bravo",
            "kind": "tool",
            "audience": "leaders",
            "visibility": "grantee",
            "program": world.program,
            "grantee": world.other_grantee,
            "external_url": "https://example.org/b",
            "publish": True,
            "topics": [topic],
        },
    )
    view = selectors.plan_view(plan=goal.plan, roles=compute_roles(world.users["lead"]))
    recs = next(g for g in view.goals if g.pk == goal.pk).recommendations
    assert resource in recs.resources and only_b not in recs.resources


# --- Pages ----------------------------------------------------------------------------------------


def test_plan_page_for_each_role(world, client_for):
    url = f"/g/{world.grantee.slug}/plan/"
    for role in ("staff", "lead", "coach", "state", "ta_admin"):
        page = client_for(role).get(url).content.decode()
        assert f"Goal {MARKER}" in page and f"Action {MARKER}" in page
        assert ("Add action" in page) == (role in ("lead", "coach", "ta_admin"))
    assert client_for("other_staff").get(url).status_code == 404


def test_propose_page_ticks_the_proposal_and_creates_the_plan(world, client_for):
    final = finalize_with(world, {1: 4, 2: 1, 3: 3, 4: 2, 5: 4, 6: 2, 7: 3, 8: 4})
    client = client_for("lead")
    url = f"/g/{world.grantee.slug}/assessments/{final.pk}/plan/"
    page = client.get(url).content.decode()
    assert "among the lowest scores" in page
    assert client.post(url, {}).status_code == 422
    domain = Domain.objects.get(version=final.version, position=2)
    response = client.post(url, {"domains": [domain.pk]})
    assert response.status_code == 302
    assert Plan.objects.get(assessment=final).goals.get().domain == domain


def test_actions_through_htmx(world, client_for):
    client = client_for("lead")
    url = f"/g/{world.grantee.slug}/plan/goals/{world.goal.pk}/actions/"
    bad = client.post(url, {"description": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "This field is required." in bad.content.decode()
    ok = client.post(
        url,
        {"description": "Draft the MOU", "owner": world.users["staff"].pk},
        headers={"HX-Request": "true"},
    )
    assert ok.status_code == 200 and "Draft the MOU" in ok.content.decode()
    action = GoalAction.objects.get(description="Draft the MOU")
    done = client.post(
        f"/g/{world.grantee.slug}/plan/actions/{action.pk}/",
        {"do": "done"},
        headers={"HX-Request": "true"},
    )
    assert "Mark not done: Draft the MOU" in done.content.decode()
    client.post(f"/g/{world.grantee.slug}/plan/actions/{action.pk}/", {"do": "delete"})
    assert not GoalAction.objects.filter(pk=action.pk).exists()


def test_goal_form_messages(world, client_for):
    response = client_for("coach").post(
        f"/g/{world.grantee.slug}/plan/goals/{world.goal.pk}/",
        {"title": "", "status": "nonsense"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body and "Select a valid choice." in body


def test_plan_page_keeps_its_query_count(world, client_for):
    plan = world.goal.plan
    domains = list(world.instrument_version.domains.all())

    def grow(n):
        for i in range(n):
            goal = services.goal_save(
                actor=world.users["coach"],
                plan=plan,
                data={"title": f"Goal {i}", "domain": domains[i % len(domains)]},
            )
            services.goal_action_add(
                actor=world.users["coach"], goal=goal, data={"description": f"Step {i}"}
            )

    assert_constant_queries(client_for("lead"), f"/g/{world.grantee.slug}/plan/", grow=grow)


def test_editing_a_session_keeps_its_finished_goal(world, client_for):
    session = world.session
    session.plan_goal = world.goal
    session.save(update_fields=["plan_goal"])
    services.goal_save(
        actor=world.users["coach"],
        plan=world.goal.plan,
        goal=world.goal,
        data={"status": Goal.Status.DONE},
    )
    page = client_for("coach").get(f"/g/{world.grantee.slug}/sessions/{session.pk}/edit/")
    assert page.status_code == 200
    body = page.content.decode()
    goal_select = body[
        body.index('name="plan_goal"') : body.index("</select>", body.index('name="plan_goal"'))
    ]
    assert f'<option value="{world.goal.pk}" selected>' in goal_select


def test_the_session_form_offers_the_plan_s_open_goals(world, client_for):
    page = client_for("coach").get(f"/g/{world.grantee.slug}/sessions/new/").content.decode()
    goal_select = page[
        page.index('name="plan_goal"') : page.index("</select>", page.index('name="plan_goal"'))
    ]
    assert f"Goal {MARKER}" in goal_select

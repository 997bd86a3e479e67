"""Every dashboard keeps a constant query count as data grows; the helper catches an N+1."""

import itertools

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from grantees.models import Membership, Occupation
from labor_market.models import PriorityOccupation
from tests.budget import assert_constant_queries
from tests.factories import (
    CoachAssignmentFactory,
    CoachProfileFactory,
    GranteeFactory,
    MembershipFactory,
    UserFactory,
    make_invitation,
)

counter = itertools.count()


def grow_team_and_coaches(world):
    def grow(n):
        occupations = list(Occupation.objects.all())
        for _ in range(n):
            i = next(counter)
            MembershipFactory(grantee=world.grantee)
            coach = CoachProfileFactory().user
            CoachAssignmentFactory(coach=coach, grantee=world.grantee)
            make_invitation(grantee=world.grantee, email=f"grow{i}@example.org")
            PriorityOccupation.objects.get_or_create(
                grantee=world.grantee,
                occupation=occupations[i % len(occupations)],
                defaults={"rationale": "Growing"},
            )

    return grow


def grow_program(world, *, assign_to_coach=False):
    def grow(n):
        for _ in range(n):
            i = next(counter)
            grantee = GranteeFactory(program=world.program, name=f"Grown {i}", slug=f"grown-{i}")
            MembershipFactory(grantee=grantee, role=Membership.Role.LEAD)
            MembershipFactory(grantee=grantee)
            make_invitation(grantee=grantee, email=f"g{i}@example.org")
            coach = world.users["coach"] if assign_to_coach else CoachProfileFactory().user
            CoachAssignmentFactory(coach=coach, grantee=grantee)

    return grow


@pytest.mark.parametrize("role", ["lead", "staff", "coach", "ta_admin", "state"])
def test_grantee_dashboard_queries_constant(world, client_for, role):
    assert_constant_queries(client_for(role), "/g/alpha/", grow_team_and_coaches(world))


def test_coach_dashboard_queries_constant(world, client_for):
    assert_constant_queries(
        client_for("coach"), "/coach/", grow_program(world, assign_to_coach=True)
    )


def test_ta_dashboard_queries_constant(world, client_for):
    assert_constant_queries(client_for("ta_admin"), "/ta/", grow_program(world))


@pytest.mark.parametrize("role", ["state", "ta_admin"])
def test_program_overview_queries_constant(world, client_for, role):
    assert_constant_queries(client_for(role), "/p/pathways-one/", grow_program(world))


def test_people_page_queries_constant(world, client_for):
    assert_constant_queries(client_for("ta_admin"), "/p/pathways-one/people/", grow_program(world))


def test_profile_edit_and_invite_pages_queries_constant(world, client_for):
    client = client_for("lead")
    assert_constant_queries(client, "/g/alpha/profile/", grow_team_and_coaches(world))
    assert_constant_queries(client, "/g/alpha/team/invite/", grow_team_and_coaches(world))


# --- the helper can fail --------------------------------------------------------------------


def n_plus_one_team_page(request):
    names = [m.user.full_name for m in Membership.objects.all()]  # one user query per member
    return HttpResponse(", ".join(names))


urlpatterns = [path("n-plus-one/", n_plus_one_team_page), path("", include("portal.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_budget_helper_catches_an_n_plus_one_view(world, client_for):
    with pytest.raises(AssertionError, match="N\\+1"):
        assert_constant_queries(client_for("lead"), "/n-plus-one/", grow_team_and_coaches(world))


@override_settings(ROOT_URLCONF=__name__)
def test_budget_helper_enforces_the_ceiling(world, client_for):
    with pytest.raises(AssertionError, match="over the budget"):
        assert_constant_queries(client_for("lead"), "/g/alpha/", lambda n: None, budget=3)


def test_user_factory_makes_distinct_people(db):
    assert UserFactory().email != UserFactory().email

"""Profile edits, coach assignment, deactivation and the dashboards' content."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session

from grantees import services
from grantees.models import CoachAssignment, Grantee
from portal.services import ServiceError
from tests.factories import PASSWORD, CoachProfileFactory, UserFactory


def profile_data(**overrides):
    data = {
        "name": "Alpha Renamed Consortium",
        "region": "",
        "member_agencies": "  Alpha Adult School \n\n Alpha College ",
        "contact_name": "Ana",
        "contact_email": "ana@example.org",
        "contact_phone": "(916) 555-0123",
        "pathway_focus": "IET",
    }
    data.update(overrides)
    return data


def test_lead_saves_profile(world, client_for):
    data = profile_data(region=world.grantee.region_id)
    response = client_for("lead").post("/g/alpha/profile/", data)
    assert response.status_code == 302
    grantee = Grantee.objects.get(pk=world.grantee.pk)
    assert grantee.name == "Alpha Renamed Consortium"
    assert grantee.member_agency_list == ["Alpha Adult School", "Alpha College"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_phone", "555", b"Enter a phone number with area code"),
        ("contact_email", "not-an-email", b"Enter a valid email address"),
        ("name", "", b"This field is required"),
        ("pathway_focus", "x" * 2001, b"under 2,000 characters"),
    ],
)
def test_profile_errors_are_field_level_and_nothing_is_saved(
    world, client_for, field, value, message
):
    data = profile_data(region=world.grantee.region_id, **{field: value})
    response = client_for("lead").post("/g/alpha/profile/", data)
    assert response.status_code == 200 and message in response.content
    assert f'id="id_{field}_error"'.encode() in response.content
    assert Grantee.objects.get(pk=world.grantee.pk).name == world.grantee.name


def test_duplicate_name_in_program_is_refused_on_the_name_field(world, client_for):
    data = profile_data(region=world.grantee.region_id, name="bravo consortium")
    response = client_for("lead").post("/g/alpha/profile/", data)
    assert (
        b"already has this name" in response.content and b'id="id_name_error"' in response.content
    )


@pytest.mark.parametrize("role", ["staff", "coach", "state"])
def test_profile_edit_is_403_for_roles_that_only_view(world, client_for, role):
    assert client_for(role).get("/g/alpha/profile/").status_code == 403


def test_ta_admin_assigns_and_unassigns_a_coach(world, client_for):
    spare = CoachProfileFactory().user
    client = client_for("ta_admin")
    assert client.post("/g/alpha/coaches/", {"coach": spare.pk}).status_code == 302
    assert CoachAssignment.objects.filter(coach=spare, grantee=world.grantee).exists()
    assert client.post("/g/alpha/coaches/", {"unassign": spare.pk}).status_code == 302
    assert not CoachAssignment.objects.filter(coach=spare, grantee=world.grantee).exists()


def test_assigning_someone_who_is_not_a_coach_is_a_field_error(world):
    with pytest.raises(ServiceError) as error:
        services.coach_assign(
            actor=world.users["ta_admin"], grantee=world.grantee, coach=world.users["staff"]
        )
    assert error.value.field == "coach"


def test_deactivation_ends_every_session(world, client):
    client.post("/accounts/login/", {"login": "staff@example.org", "password": PASSWORD})
    assert client.get("/g/alpha/").status_code == 200
    assert UserSession.objects.filter(user=world.users["staff"]).exists()
    services.person_deactivate(
        actor=world.users["ta_admin"], program=world.program, person=world.users["staff"]
    )
    assert not UserSession.objects.filter(user=world.users["staff"]).exists()
    assert Session.objects.count() == 0
    response = client.get("/g/alpha/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not client.login(email="staff@example.org", password=PASSWORD)


def test_ta_admin_cannot_deactivate_self_or_people_outside_the_program(world, client_for):
    with pytest.raises(ServiceError):
        services.person_deactivate(
            actor=world.users["ta_admin"], program=world.program, person=world.users["ta_admin"]
        )
    outsider = world.users["other_state"]
    assert (
        client_for("ta_admin").post(f"/p/pathways-one/people/{outsider.pk}/deactivate/").status_code
        == 404
    )
    outsider.refresh_from_db()
    assert outsider.is_active


def test_reactivation_lets_the_person_sign_in_again(world, client_for, client):
    person = world.users["other_staff"]
    admin = client_for("ta_admin")
    admin.post(f"/p/pathways-one/people/{person.pk}/deactivate/")
    admin.post(f"/p/pathways-one/people/{person.pk}/reactivate/")
    assert client.login(email=person.email, password=PASSWORD)


def test_people_search_htmx_returns_only_the_results_fragment(world, client_for):
    response = client_for("ta_admin").get("/p/pathways-one/people/?q=other", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Other Omar" in body and "Coach Carla" not in body


def test_coach_dashboard_lists_only_assigned_grantees(world, client_for):
    body = client_for("coach").get("/coach/").content.decode()
    assert "Alpha" in body and "Bravo" not in body


def test_state_dashboard_groups_by_all_eight_regions(world, client_for):
    body = client_for("state").get("/p/pathways-one/").content.decode()
    assert body.count('class="portal-region"') == 8 and "Bravo Consortium" in body
    assert client_for("state").get("/p/pathways-two/").status_code == 404


def test_home_sends_each_role_to_its_dashboard(world, client_for):
    expected = {
        "lead": "/g/alpha/",
        "staff": "/g/alpha/",
        "other_staff": "/g/bravo/",
        "coach": "/coach/",
        "state": "/p/pathways-one/",
        "ta_admin": "/ta/",
    }
    for role, path in expected.items():
        assert client_for(role).get("/")["Location"] == path, role


def test_person_without_a_role_sees_a_notice(db, client):
    UserFactory(email="nobody@example.org")
    client.login(email="nobody@example.org", password=PASSWORD)
    assert b"not part of a grantee team" in client.get("/").content

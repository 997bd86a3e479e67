"""Priority occupations: members choose them with a rationale; everyone who sees the grantee
reads them; wages are compared with the region's living wage."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from grantees.models import Occupation
from labor_market import services
from labor_market.models import LivingWage, PriorityOccupation
from portal.services import ServiceError
from tests.world import MARKER

URL = "/g/alpha/occupations/"


def test_occupations_page_compares_wages_with_the_living_wage(world, client_for):
    # Living wage $26.50: MA median $40,938 / 2080 = $19.68 → $6.82 below; RN $129,851 → $62.43.
    page = client_for("coach").get(URL).content.decode()
    assert "Living wage in" in page and "$26.50" in page
    assert "$6.82/h below" in page
    assert "$35.93/h above" in page
    assert MARKER in page  # A's rationale
    assert "Add a priority" not in page  # coaches read, members write


def test_above_only_filter_and_search(world, client_for):
    page = client_for("staff").get(URL + "?above=1").content.decode()
    assert "Registered Nurses" in page
    assert "Nursing Assistants" not in page
    page = client_for("staff").get(URL + "?q=29-2052").content.decode()
    assert (
        "Pharmacy Technicians" in page and "Phlebotomists" not in page.split("All occupations")[1]
    )


def test_without_a_living_wage_the_page_says_so(world, client_for):
    LivingWage.objects.all().delete()
    page = client_for("lead").get(URL).content.decode()
    assert "has not set a living wage" in page


def test_member_adds_a_priority_with_rationale(world, client_for):
    rn = Occupation.objects.get(soc_code="29-1141")
    response = client_for("staff").post(
        "/g/alpha/priorities/new/",
        {"occupation": rn.pk, "rationale": "Our LVN completers need the next rung."},
    )
    assert response.status_code == 302
    priority = PriorityOccupation.objects.get(grantee=world.grantee, occupation=rn)
    assert priority.position == 1 and priority.created_by == world.users["staff"]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"rationale": "Because demand is high."}, "occupation", "This field is required"),
        ({"occupation": "999999", "rationale": "Because."}, "occupation", "from the list"),
        ({"occupation": "MA", "rationale": "too short"}, "rationale", "Say in a sentence"),
        ({"occupation": "MA", "rationale": "Already chosen but again"}, "occupation", "already"),
    ],
)
def test_priority_form_messages(world, client_for, data, field, message):
    ma = Occupation.objects.get(soc_code="31-9092")
    data = {k: (ma.pk if v == "MA" else v) for k, v in data.items()}
    if data.get("rationale") == "too short":
        data["occupation"] = Occupation.objects.get(soc_code="29-1141").pk
    response = client_for("lead").post("/g/alpha/priorities/new/", data)
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    assert PriorityOccupation.objects.filter(grantee=world.grantee).count() == 1


@pytest.mark.parametrize("role, status", [("coach", 403), ("state", 403), ("other_staff", 404)])
def test_only_members_write_priorities(world, client_for, role, status):
    url = f"/g/alpha/priorities/{world.priority.pk}/remove/"
    assert client_for(role).post(url).status_code == status
    assert PriorityOccupation.objects.filter(pk=world.priority.pk).exists()


def test_service_refuses_a_non_member(world):
    with pytest.raises(PermissionDenied):
        services.priority_add(
            actor=world.users["coach"],
            grantee=world.grantee,
            occupation=Occupation.objects.get(soc_code="29-1141"),
            rationale="A coach cannot choose for them.",
        )


def test_another_grantees_priority_is_not_found(world, client_for):
    url = f"/g/alpha/priorities/{world.other_priority.pk}/edit/"
    assert client_for("lead").get(url).status_code == 404


def test_edit_move_and_remove(world, client_for):
    client = client_for("lead")
    rn = Occupation.objects.get(soc_code="29-1141")
    second = services.priority_add(
        actor=world.users["lead"], grantee=world.grantee, occupation=rn, rationale="Next rung up."
    )
    client.post(f"/g/alpha/priorities/{second.pk}/move/", {"direction": "up"})
    ranked = list(PriorityOccupation.objects.filter(grantee=world.grantee).order_by("position"))
    assert ranked == [second, world.priority]
    client.post(f"/g/alpha/priorities/{second.pk}/move/", {"direction": "up"})  # already first
    assert list(PriorityOccupation.objects.filter(grantee=world.grantee)) == [
        second,
        world.priority,
    ]

    response = client.post(
        f"/g/alpha/priorities/{second.pk}/edit/", {"rationale": "Wages clear the living wage."}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.rationale == "Wages clear the living wage."
    response = client.post(f"/g/alpha/priorities/{second.pk}/edit/", {"rationale": " "})
    assert response.status_code == 422

    page = client.get(f"/g/alpha/priorities/{second.pk}/remove/").content.decode()
    assert "Wages clear the living wage." in page  # asks first, showing what would be lost
    assert PriorityOccupation.objects.filter(pk=second.pk).exists()
    client.post(f"/g/alpha/priorities/{second.pk}/remove/")
    assert not PriorityOccupation.objects.filter(pk=second.pk).exists()


def test_priority_rationale_blank_after_strip_is_refused(world):
    with pytest.raises(ServiceError) as error:
        services.priority_update(
            actor=world.users["lead"], priority=world.priority, rationale="          ok "
        )
    assert error.value.field == "rationale"


def test_dashboard_lists_priorities(world, client_for):
    page = client_for("state").get("/g/alpha/").content.decode()
    assert "Priority occupations" in page and "Medical Assistants" in page


def test_occupation_page_query_count_is_constant(world, client_for):
    from tests.budget import assert_constant_queries

    counter = iter(range(100, 10_000))

    def grow(n):
        for _ in range(n):
            i = next(counter)
            occupation = Occupation.objects.create(
                soc_code=f"99-{i:04d}", title=f"Grown occupation {i}", ca_median_annual_wage=50000
            )
            PriorityOccupation.objects.create(
                grantee=world.grantee, occupation=occupation, rationale="Grown", position=i
            )

    assert_constant_queries(client_for("lead"), URL, grow=grow)
    assert_constant_queries(client_for("ta_admin"), "/occupations/", grow=grow)


def test_a_priority_removed_meanwhile_gives_a_message_not_an_error(world, client_for):
    stale = PriorityOccupation.objects.get(pk=world.priority.pk)
    PriorityOccupation.objects.filter(pk=stale.pk).delete()
    with pytest.raises(ServiceError, match="removed by someone else"):
        services.priority_update(actor=world.users["lead"], priority=stale, rationale="Ten chars+")
    with pytest.raises(ServiceError, match="removed by someone else"):
        services.priority_move(actor=world.users["lead"], priority=stale, up=True)


def test_nul_in_the_search_is_ignored(world, client_for):
    assert client_for("lead").get(URL + "?q=%00nurse").status_code == 200

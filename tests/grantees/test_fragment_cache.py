"""The program overview's and TA dashboard's grantee lists are rendered from the cache until a
grantee, program, region, membership or coach assignment changes (portal.roles
scope_fragment_key): a change shows on the next page, and people who see different grantees
never share a list."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_scopes import scopes_disabled

from grantees.models import Grantee
from tests.budget import count_queries
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def overview_url(world):
    return f"/p/{world.grantee.program.slug}/"


def team_size(body: str, grantee, column: int) -> int:
    row = body.split(f">{grantee.name}</a>")[1].split("</tr>")[0]
    cells = [cell.split(">", 1)[1] for cell in row.split("<td")[1:]]
    return int(cells[column].split("<")[0])


@pytest.mark.parametrize(
    ("role", "url", "column"), [("state", overview_url, 0), ("ta_admin", lambda w: "/ta/", 2)]
)
def test_the_list_comes_from_the_cache_and_follows_a_new_member(
    world, client_for, roles_cached, django_capture_on_commit_callbacks, role, url, column
):
    client = client_for(role)
    for _ in range(2):
        client.get(url(world))
    first, _ = count_queries(client, url(world))
    again, _ = count_queries(client, url(world))
    body = client.get(url(world)).content.decode()
    assert again == first and world.grantee.name in body
    with override_settings(ROLES_CACHE_SECONDS=0):
        uncached, _ = count_queries(client, url(world))
    assert again < uncached  # the grantee list's queries are skipped
    before = team_size(body, world.grantee, column)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        MembershipFactory(grantee=Grantee.objects.get(pk=world.grantee.pk), role="staff")
    after = team_size(client.get(url(world)).content.decode(), world.grantee, column)
    assert after == before + 1


def test_people_who_see_different_grantees_never_share_the_list(world, client_for, roles_cached):
    body = client_for("state").get(overview_url(world)).content.decode()
    assert world.other_grantee.name in body  # cached with both grantees in it
    response = client_for("coach").get(overview_url(world))  # an organizer in the program
    if response.status_code == 200:
        assert world.other_grantee.name not in response.content.decode()
    else:
        assert response.status_code in (403, 404)

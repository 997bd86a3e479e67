"""Search results are cached until the library changes: a repeated search skips the ranking
queries, yet a resource added, edited or hidden shows in the very next search, and one person's
cached results never answer another who sees different resources."""

from __future__ import annotations

import pytest
from django.test import override_settings

from library import selectors, services
from portal.roles import compute_roles
from tests.budget import count_queries
from tests.library.test_library import add, titles
from tests.world import MARKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_cached(private_cache):
    with override_settings(LIBRARY_SEARCH_CACHE_SECONDS=600):
        yield


def test_a_repeated_search_skips_the_ranking(world, client_for, search_cached):
    client = client_for("staff")
    url = "/library/?q=plan"
    client.get(url)  # starts the version
    first, _ = count_queries(client, url)  # computes and keeps the result
    again, queries = count_queries(client, url)
    assert again <= first - 2, (first, again)
    assert MARKER in client.get(url).content.decode()


def test_a_new_resource_shows_in_the_next_search(
    world, search_cached, django_capture_on_commit_callbacks
):
    for _ in range(2):
        assert "Phlebotomy field guide" not in titles(world, "staff", query="phlebotomy")
    with django_capture_on_commit_callbacks(execute=True):
        add(world, "Phlebotomy field guide", "Draws and labels.")
    assert "Phlebotomy field guide" in titles(world, "staff", query="phlebotomy")


def test_an_edit_moving_a_resource_out_of_reach_shows_at_once(
    world, search_cached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = add(world, "Clinical placement checklist")
    for _ in range(2):
        assert "Clinical placement checklist" in titles(world, "other_staff", query="clinical")
    data = {
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "audience": resource.audience,
        "visibility": "grantee",
        "grantee": world.grantee,
        "program": world.grantee.program,
        "external_url": resource.external_url,
        "publish": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_update(actor=world.users["ta_admin"], resource=resource, data=data)
    assert "Clinical placement checklist" not in titles(world, "other_staff", query="clinical")
    assert "Clinical placement checklist" in titles(world, "staff", query="clinical")


def test_each_person_gets_results_for_what_they_may_see(world, search_cached):
    for _ in range(2):
        assert f"Alpha plan {MARKER}" in titles(world, "staff", query="plan")
    assert f"Alpha plan {MARKER}" not in titles(world, "other_staff", query="plan")


def test_without_the_version_bump_the_results_would_be_stale(
    world, search_cached, django_capture_on_commit_callbacks, monkeypatch
):
    """The tests above can fail: with the bump switched off, the new resource stays unseen."""
    for _ in range(2):
        titles(world, "staff", query="phlebotomy")
    monkeypatch.setattr("portal.versions.bump_version", lambda name: None)
    with django_capture_on_commit_callbacks(execute=True):
        add(world, "Phlebotomy field guide", "Draws and labels.")
    roles = compute_roles(world.users["staff"])
    result = selectors.search(roles, selectors.SearchFilters(query="phlebotomy"))
    assert "Phlebotomy field guide" not in [r.title for r in result.page.object_list]

"""Program reports and dashboards keep their program-wide sums for a minute (portal/aggregates)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.budget import count_queries


@pytest.fixture
def cached(private_cache):
    with override_settings(PROGRAM_AGGREGATE_CACHE_SECONDS=60):
        yield


@pytest.mark.parametrize("name", ["program_report", "program_dashboard"])
def test_the_second_view_within_a_minute_skips_the_sums(world, client_for, cached, name):
    url = reverse(name, kwargs={"program_slug": world.program.slug})
    client = client_for("state")
    with override_settings(PROGRAM_AGGREGATE_CACHE_SECONDS=0):
        client.get(url)  # warm what is not the page's own work (sessions, content types)
    first, _ = count_queries(client, url)
    second, _ = count_queries(client, url)
    assert second < first
    assert b"Figures as of" in client.get(url).content


@pytest.mark.parametrize("name", ["program_report", "program_dashboard"])
def test_without_the_cache_every_view_sums_afresh(world, client_for, name):
    url = reverse(name, kwargs={"program_slug": world.program.slug})
    client = client_for("state")
    client.get(url)
    first, _ = count_queries(client, url)
    second, _ = count_queries(client, url)
    assert second == first


def test_a_cached_figure_is_the_same_as_a_fresh_one(world, client_for, cached):
    url = reverse("program_report", kwargs={"program_slug": world.program.slug})
    client = client_for("ta_admin")
    fresh = client.get(url).context["rows"]
    again = client.get(url).context["rows"]
    assert again == fresh and fresh


def test_the_cached_dashboard_still_differs_by_role(world, client_for, cached):
    """The rendered tables are kept too, keyed by what they show: coaches' load is for TA admins."""
    url = reverse("program_dashboard", kwargs={"program_slug": world.program.slug})
    admin_page = client_for("ta_admin").get(url).content
    state_page = client_for("state").get(url).content
    assert b'id="coaches-heading"' in admin_page
    assert b'id="coaches-heading"' not in state_page
    assert b'id="coaches-heading"' in client_for("ta_admin").get(url).content

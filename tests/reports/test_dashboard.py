"""The program dashboard: who needs attention and why, coach load, and a steady query count."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from grantees.models import Topic
from reports.dashboard import program_dashboard
from support_hours.services import session_record
from tests.budget import assert_constant_queries
from tests.factories import GranteeFactory, make_hour_account

pytestmark = pytest.mark.django_db


def reasons(dashboard, grantee):
    return next((w.reasons for w in dashboard.watch if w.grantee == grantee), [])


def record(world, grantee, coach, minutes, days_ago, key):
    session_record(
        actor=coach,
        grantee=grantee,
        key=key,
        data={
            "started_at": timezone.now() - timedelta(days=days_ago),
            "minutes": minutes,
            "mode": "virtual",
            "topics": [Topic.objects.first()],
            "summary": "Work",
        },
    )


def test_a_grantee_never_coached_is_out_of_touch(world):
    quiet = GranteeFactory(program=world.program, name="Quiet Consortium")
    make_hour_account(quiet, minutes=100 * 60)
    dashboard = program_dashboard(program=world.program)
    assert "no coaching session in 60 days" in reasons(dashboard, quiet)
    assert reasons(dashboard, world.grantee) == []  # coached two days ago, on pace


def test_a_fast_burn_runs_out_before_the_year_ends(world):
    for week in range(6):
        record(world, world.grantee, world.users["coach"], 8 * 60, 3 + 7 * week, f"burn-{week}")
    today = timezone.localdate()
    dashboard = program_dashboard(program=world.program, today=today)
    why = reasons(dashboard, world.grantee)
    assert any(reason.startswith("runs out about") for reason in why), why


def test_under_use_counts_only_after_half_the_year(world):
    halfway = world.program.starts_on + (world.program.ends_on - world.program.starts_on) * 0.6
    late = program_dashboard(program=world.program, today=halfway)
    early = program_dashboard(program=world.program, today=world.program.starts_on)
    flag = "under a quarter of its hours used, half the year gone"
    assert flag in reasons(late, world.grantee) and flag not in reasons(early, world.grantee)
    assert late.elapsed_share > early.elapsed_share == 0


def test_coach_load_counts_recent_sessions(world):
    dashboard = program_dashboard(program=world.program)
    carla = next(c for c in dashboard.coaches if c.name == "Coach Carla")
    assert (carla.grantees, carla.sessions, carla.minutes) == (1, 1, 90)


def test_page_shows_coach_load_to_ta_admins_only(world, client_for):
    url = f"/p/{world.program.slug}/dashboard/"
    assert "Coach load" in client_for("ta_admin").get(url).content.decode()
    state_page = client_for("state").get(url).content.decode()
    assert "Coach load" not in state_page and "By region" in state_page
    assert client_for("other_state").get(url).status_code == 404


def test_dashboard_query_count_is_constant(world, client_for):
    def grow(n):
        for i in range(n):
            grantee = GranteeFactory(program=world.program)
            make_hour_account(grantee, minutes=100 * 60)
            record(world, grantee, world.users["ta_admin"], 30, 1 + i, f"grow-{grantee.pk}")

    assert_constant_queries(
        client_for("ta_admin"), f"/p/{world.program.slug}/dashboard/", grow=grow
    )


def test_elapsed_share_is_clamped(world):
    after = program_dashboard(program=world.program, today=world.program.ends_on + timedelta(99))
    assert after.elapsed_share == 1
    before = program_dashboard(program=world.program, today=datetime.date(2000, 1, 1))
    assert before.elapsed_share == 0

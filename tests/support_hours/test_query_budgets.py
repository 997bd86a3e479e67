"""Support-hour pages keep a constant query count as sessions, entries and requests grow."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from grantees.models import Topic
from support_hours import services
from support_hours.ledger import hold_place
from support_hours.models import HourAccount
from tests.budget import assert_constant_queries
from tests.factories import GranteeFactory, MembershipFactory, make_hour_account

counter = itertools.count()


def grow_support(world):
    """n more sessions (with attendees, topics, an action item and a correction), requests and
    holds on grantee A."""

    def grow(n):
        topics = list(Topic.objects.all()[:3])
        coach = world.users["coach"]
        for _ in range(n):
            i = next(counter)
            member = MembershipFactory(grantee=world.grantee).user
            request = services.support_request_submit(
                actor=member,
                grantee=world.grantee,
                key=f"grow-request-{i}",
                data={
                    "topic": topics[i % 3],
                    "title": f"Grown request {i}",
                    "description": "x",
                    "urgency": "normal",
                    "desired_expertise": topics,
                },
            )
            services.support_request_assign(
                actor=world.users["ta_admin"], request=request, coach=coach
            )
            data = {
                "started_at": timezone.now() - timedelta(days=i % 40 + 1),
                "minutes": 30,
                "mode": "phone",
                "attendees": [member],
                "topics": topics,
                "summary": "s",
                "request": request,
                "action_items": [{"description": "d", "owner": "o"}],
            }
            session = services.session_record(
                actor=coach, grantee=world.grantee, data=data, key=f"grow-session-{i}"
            )
            services.session_revise(
                actor=coach, session=session, data={**data, "minutes": 45}, reason="longer"
            )
            hold_place(
                account=HourAccount.objects.get(grantee=world.grantee),
                minutes=15,
                key=f"grow-hold-{i}",
                actor=None,
                effective_on=timezone.localdate(),
            )

    return grow


def grow_program(world):
    def grow(n):
        for _ in range(n):
            i = next(counter)
            grantee = GranteeFactory(program=world.program, name=f"Grown {i}", slug=f"grown-{i}")
            make_hour_account(grantee, minutes=3000)
            services.support_request_submit(
                actor=MembershipFactory(grantee=grantee).user,
                grantee=grantee,
                key=f"grow-program-request-{i}",
                data={
                    "topic": Topic.objects.first(),
                    "title": f"Program request {i}",
                    "description": "x",
                    "urgency": "high",
                },
            )

    return grow


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("lead", "/g/alpha/hours/"),
        ("ta_admin", "/g/alpha/hours/"),
        ("staff", "/g/alpha/requests/"),
        ("staff", "/g/alpha/sessions/"),
        ("coach", "/g/alpha/sessions/new/"),
        ("ta_admin", "/g/alpha/hours/adjust/"),
    ],
)
def test_grantee_support_pages_queries_constant(world, client_for, role, path):
    assert_constant_queries(client_for(role), path, grow_support(world))


def test_request_detail_queries_constant(world, client_for):
    path = f"/g/alpha/requests/{world.support_request.pk}/"

    def grow(n):
        grow_support(world)(n)
        for i in range(n):
            services.support_request_move(
                actor=world.users["ta_admin"],
                request=world.support_request,
                status="closed",
                note=f"close {i}",
            )
            services.support_request_move(
                actor=world.users["ta_admin"], request=world.support_request, status="submitted"
            )

    assert_constant_queries(client_for("ta_admin"), path, grow)


@pytest.mark.parametrize("role", ["lead", "coach", "ta_admin"])
def test_session_pages_queries_constant(world, client_for, role):
    def grow(n):
        grow_support(world)(n)
        data = {
            "started_at": world.session.started_at,
            "minutes": 60,
            "topics": list(Topic.objects.all()[:3]),
            "summary": "s",
            "action_items": [{"description": f"d{i}", "owner": "o"} for i in range(n)],
        }
        for i in range(n):
            services.session_revise(
                actor=world.users["ta_admin"],
                session=world.session,
                data={**data, "minutes": 60 + 15 * (next(counter) % 4)},
                reason=f"r{i}",
            )

    assert_constant_queries(client_for(role), f"/g/alpha/sessions/{world.session.pk}/", grow)


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("ta_admin", "/p/pathways-one/hours/"),
        ("state", "/p/pathways-one/hours/"),
        ("ta_admin", "/p/pathways-one/requests/"),
    ],
)
def test_program_support_pages_queries_constant(world, client_for, role, path):
    assert_constant_queries(client_for(role), path, grow_program(world))

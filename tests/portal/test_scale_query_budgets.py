"""Every page's query count is the same at scale 0.01 and 0.1 of `generate_load_data`.

The world-based budget tests grow one page's rows tenfold; this grows everything at once, the
way a program grows: ten times the grantees, people, events and resources. Every GET URL of the
URL × role probe that the load data can fill is requested as each role at both scales (a page a
role may not see is skipped, as is a URL whose objects the load data has none of; the test
names how many it compared, and fails if that falls). Grantee load-0001's own rows are the same
at both scales (seeded per grantee), so a difference is the page's, not the data's.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal import load_data
from tests.security.probe import build_path, collect_urls
from tests.world import sign_in

ROLES = {
    "lead": load_data.lead_email(1),
    "staff": load_data.staff_email(1, 1),
    "coach": load_data.coach_email(1),
    "ta_admin": "ta-admin-a@load.example.org",
    "state": "state-a@load.example.org",
}
# Pages compared at both scales, at the least (the count when this test was written, less a
# margin for URLs that move): a drop means the load data stopped filling some URL kwargs.
LEAST_COMPARED = 350


def load_kwargs() -> dict[str, str]:
    """URL kwargs filled from the load data: grantee load-0001 and program load-a's rows."""
    from assessments.models import Assessment, Goal
    from booking.models import Booking, OfficeHourSeries
    from events.models import Event, Registration
    from grantees.models import Grantee, Invitation, Program, User
    from labor_market.models import PriorityOccupation
    from library.models import Resource
    from partners.models import Commitment, Partner
    from pathways.models import PathwayConcept, PathwayStep
    from support_hours.models import CoachingSession, SupportRequest

    grantee = Grantee.objects.get(slug=load_data.grantee_slug(1))
    program = Program.objects.get(slug="load-a")
    # The first event: two weeks ahead with registration open, the lead registered (load_data).
    event = Event.objects.filter(program=program).order_by("pk").first()
    assessment = Assessment.objects.get(grantee=grantee, kind="baseline")
    goal = Goal.objects.filter(plan__grantee=grantee).order_by("position").first()
    series = OfficeHourSeries.objects.filter(program=program).first()
    concept = PathwayConcept.objects.get(grantee=grantee)
    values = {
        "slug": grantee.slug,
        "program_slug": program.slug,
        "invitation_id": Invitation.objects.get(grantee=grantee).pk,
        "user_id": User.objects.get(email=ROLES["staff"]).pk,
        "request_id": SupportRequest.objects.filter(grantee=grantee).order_by("pk").first().pk,
        "session_id": CoachingSession.objects.get(
            idempotency_key=f"load:{grantee.slug}:session:0"
        ).pk,
        "booking_id": Booking.objects.filter(grantee=grantee, status="booked")
        .order_by("starts_at")
        .first()
        .pk,
        "coach_id": User.objects.get(email=ROLES["coach"]).pk,
        "series_id": series.pk,
        "occurrence_id": series.occurrences.order_by("starts_at").first().pk,
        "event_id": event.pk,
        "registration_id": Registration.objects.get(event=event, person__email=ROLES["lead"]).pk,
        "resource_id": Resource.objects.filter(visibility="portal", status="published")
        .order_by("pk")
        .first()
        .pk,
        "version_id": assessment.version_id,
        "domain_id": assessment.version.domains.order_by("position").first().pk,
        "assessment_id": assessment.pk,
        "goal_id": goal.pk,
        "action_id": goal.actions.first().pk,
        "priority_id": PriorityOccupation.objects.filter(grantee=grantee).first().pk,
        "partner_id": Partner.objects.filter(grantee=grantee).order_by("pk").first().pk,
        "commitment_id": Commitment.objects.filter(grantee=grantee).order_by("pk").first().pk,
        "concept_id": concept.pk,
        "version_number": "1",
        "step_id": PathwayStep.objects.filter(version__concept=concept, version__number=2)
        .order_by("position")
        .first()
        .pk,
        "quarter": "2026-q3",
        "lang": "es",
    }
    return {key: str(value) for key, value in values.items()}


def measure(scale: float) -> dict[tuple[str, str], tuple[str, int]]:
    """(role, URL name) → (path, queries) for every page that answered 200, at this scale."""
    counts = {}
    with transaction.atomic():
        load_data.generate(scale=scale, seed=2026)
        cache.clear()
        values = load_kwargs()
        urls = [
            url
            for url in collect_urls()
            if url.name
            and not url.name.startswith(("admin:", "djdt"))
            and set(url.kwarg_names) <= set(values)
        ]
        from grantees.models import User

        for role, email in ROLES.items():
            client = Client()
            sign_in(client, User.objects.get(email=email))
            for url in urls:
                path = build_path(url, values)
                if client.get(path).status_code != 200:  # also warms caches
                    continue
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path)
                if response.status_code == 200:
                    counts[(role, url.name)] = (path, len(captured))
        transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
def test_every_page_runs_the_same_queries_at_scale_001_and_01(private_cache):
    small = measure(0.01)
    large = measure(0.1)
    compared = sorted(set(small) & set(large))
    grown = [
        f"{role} {name}: {small[(role, name)][1]} queries at 0.01, "
        f"{large[(role, name)][1]} at 0.1 ({large[(role, name)][0]})"
        for role, name in compared
        if small[(role, name)][1] != large[(role, name)][1]
    ]
    only_one = sorted(set(small) ^ set(large))
    assert not grown, "Query counts grew with the data:\n" + "\n".join(grown)
    assert not only_one, f"Pages that answered at one scale only: {only_one}"
    assert len(compared) >= LEAST_COMPARED, f"only {len(compared)} pages compared"

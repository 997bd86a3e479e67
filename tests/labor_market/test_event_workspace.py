"""Before a regional training, its organizers see the region's grantees' priorities and drafts."""

from __future__ import annotations

from grantees.models import Region
from tests.world import MARKER


def url(world):
    return f"/p/{world.program.slug}/events/{world.event.pk}/workspace/"


def test_organizer_sees_priorities_and_pathway_drafts(world, client_for):
    page = client_for("coach").get(url(world)).content.decode()  # A's coach organizes the event
    assert MARKER in page  # A's rationale and pathway title
    assert "Medical assistant IET" in page and "VESL for healthcare" in page
    assert "Bravo Consortium" in page  # a program-wide event shows every grantee
    assert "Add a CASAS cut score" not in page  # comments stay in the workspace


def test_a_regional_event_shows_only_its_region(world, client_for):
    other_region = Region.objects.exclude(pk=world.grantee.region_id).first()
    world.other_grantee.region = other_region
    world.other_grantee.save(update_fields=["region"])
    world.event.region = world.grantee.region
    world.event.save(update_fields=["region"])
    page = client_for("ta_admin").get(url(world)).content.decode()
    assert MARKER in page and "Bravo Consortium" not in page


def test_people_who_do_not_organize_it_cannot(world, client_for):
    assert client_for("other_coach").get(url(world)).status_code in (403, 404)
    assert client_for("lead").get(url(world)).status_code in (403, 404)
    assert client_for("other_state").get(url(world)).status_code == 404


def test_query_count_does_not_grow_with_grantees(world, client_for):
    from tests.budget import assert_constant_queries
    from tests.factories import GranteeFactory

    counter = iter(range(10_000))

    def grow(n):
        from pathways.models import PathwayConcept, PathwayStep, PathwayVersion

        for _ in range(n):
            i = next(counter)
            grantee = GranteeFactory(program=world.program, name=f"G{i}", slug=f"g-{i}")
            world.priority.__class__.objects.create(
                grantee=grantee, occupation=world.priority.occupation, rationale="Grown"
            )
            concept = PathwayConcept.objects.create(grantee=grantee, title=f"Pathway {i}")
            version = PathwayVersion.objects.create(grantee=grantee, concept=concept, number=1)
            version.target_occupations.set([world.priority.occupation])
            PathwayStep.objects.create(grantee=grantee, version=version, kind="course", title="S")

    assert_constant_queries(client_for("coach"), url(world), grow=grow)


def test_organizers_see_it_only_around_the_event(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    event = world.event
    coach, admin = client_for("coach"), client_for("ta_admin")
    assert coach.get(url(world)).status_code == 200
    event.ends_at = timezone.now() - timedelta(days=8)
    event.starts_at = event.ends_at - timedelta(hours=2)
    event.save(update_fields=["starts_at", "ends_at"])
    assert coach.get(url(world)).status_code == 404  # a week after it ended
    assert admin.get(url(world)).status_code == 200  # TA admins always
    event.ends_at = timezone.now() + timedelta(days=3)
    event.starts_at = event.ends_at - timedelta(hours=2)
    event.status = "cancelled"
    event.save(update_fields=["starts_at", "ends_at", "status"])
    assert coach.get(url(world)).status_code == 404
    event.status = "published"
    event.registration_opens_at = timezone.now() + timedelta(days=1)
    event.save(update_fields=["status", "registration_opens_at"])
    assert coach.get(url(world)).status_code == 404  # not before registration opens

"""Who an event is for (regions, the opening date) and the grantee's participation record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events import selectors, services
from grantees.models import Region
from portal.services import ServiceError
from tests.budget import assert_constant_queries
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def limit_to_other_regions(world):
    others = list(Region.objects.exclude(pk=world.grantee.region_id)[:2])
    world.event.audience_regions.set(others)
    return others


def test_an_event_for_other_regions_is_not_listed_and_cannot_be_joined(world, client_for):
    limit_to_other_regions(world)
    listing = client_for("lead").get(f"/g/{world.grantee.slug}/events/").content.decode()
    assert world.event.title not in listing
    with pytest.raises(ServiceError, match="other regions"):
        services.registration_create(
            actor=world.users["lead"],
            grantee=world.grantee,
            event=world.event,
            person=world.users["lead"],
            needs="",
            key="elsewhere",
        )
    page = client_for("lead").get(f"/g/{world.grantee.slug}/events/{world.event.pk}/")
    assert "for grantees in other regions" in page.content.decode()


def test_an_event_for_the_grantees_region_is_listed(world, client_for):
    world.event.audience_regions.set([world.grantee.region])
    listing = client_for("lead").get(f"/g/{world.grantee.slug}/events/").content.decode()
    assert world.event.title in listing


def test_registration_opens_on_the_date_set(world, client_for):
    world.event.registration_opens_at = timezone.now() + timedelta(days=3)
    world.event.save()
    with pytest.raises(ServiceError, match="Registration opens on"):
        services.registration_create(
            actor=world.users["lead"],
            grantee=world.grantee,
            event=world.event,
            person=world.users["lead"],
            needs="",
            key="too-early",
        )
    page = client_for("lead").get(f"/g/{world.grantee.slug}/events/{world.event.pk}/")
    assert "Registration opens on" in page.content.decode()


def event_form_data(world, **changes):
    data = {
        "kind": "regional_training",
        "title": "Regional training: Inland Empire",
        "format": "in_person",
        "venue": "Riverside Adult School",
        "date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "start_time": "09:00",
        "end_time": "16:00",
        "time_zone": "America/Los_Angeles",
        "capacity": "40",
        "registration_opens_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "registration_closes_on": (timezone.localdate() + timedelta(days=25)).isoformat(),
        "audience_regions": [world.grantee.region_id],
        "series": "",
    }
    data.update(changes)
    return data


def test_the_event_form_sets_the_audience_and_the_opening_date(world, client_for):
    response = client_for("ta_admin").post(
        f"/p/{world.program.slug}/events/new/", event_form_data(world)
    )
    assert response.status_code == 302
    event = world.program.events.get(title="Regional training: Inland Empire")
    assert list(event.audience_regions.all()) == [world.grantee.region]
    assert timezone.localtime(event.registration_opens_at).date() == (
        timezone.localdate() + timedelta(days=5)
    )


def test_the_event_form_refuses_an_opening_after_the_closing(world, client_for):
    late = (timezone.localdate() + timedelta(days=26)).isoformat()
    response = client_for("ta_admin").post(
        f"/p/{world.program.slug}/events/new/",
        event_form_data(world, registration_opens_on=late),
    )
    assert response.status_code == 422
    assert "Registration must close after it opens" in response.content.decode()


# --- The participation record ---------------------------------------------------------------------


def record_url(world):
    return f"/g/{world.grantee.slug}/events/record/"


def test_the_record_counts_attendance_and_no_shows(world):
    now = world.event.ends_at + timedelta(hours=1)
    services.registration_check_in(actor=world.users["coach"], registration=world.registration)
    totals, rows = selectors.grantee_participation(grantee=world.grantee, now=now)
    assert totals.attended == 1 and totals.no_shows == 0
    # The CoP session of the world's series is still ahead at `now`.
    assert totals.upcoming == 1
    assert {r.grantee_id for r in rows} == {world.grantee.pk}


def test_the_record_page_shows_only_this_grantees_people(world, client_for):
    body = client_for("coach").get(record_url(world)).content.decode()
    assert world.users["staff"].full_name in body
    assert world.users["other_staff"].full_name not in body
    assert client_for("other_staff").get(record_url(world)).status_code == 404


def test_the_record_page_is_paginated_with_totals_over_all_pages(world, client_for, monkeypatch):
    from events import views

    totals, rows = selectors.grantee_participation(grantee=world.grantee)
    assert len(rows) >= 2
    monkeypatch.setattr(views, "RECORD_PER_PAGE", 1)
    client = client_for("lead")
    first = client.get(record_url(world)).content.decode()
    last = client.get(record_url(world), {"page": len(rows)}).content.decode()
    assert f"Page 1 of {len(rows)}" in first and f"Page {len(rows)} of {len(rows)}" in last
    assert rows[0].event.title in first and rows[-1].event.title in last
    for body in (first, last):  # the totals count every page's registrations
        assert f'<p class="portal-stat margin-y-05">{totals.upcoming}</p>' in body


def test_the_record_page_stays_constant(world, client_for):
    def grow(n):
        for i in range(n):
            person = MembershipFactory(grantee=world.grantee).user
            start = timezone.now() + timedelta(days=50 + i)
            event = services.event_create(
                actor=world.users["ta_admin"],
                program=world.program,
                data={
                    "kind": "webinar",
                    "title": f"Webinar {i}",
                    "format": "virtual",
                    "meeting_url": "https://meet.example.org/w",
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=1),
                    "capacity": 10,
                    "registration_opens_at": timezone.now() - timedelta(days=1),
                    "registration_closes_at": start,
                },
            )
            services.registration_create(
                actor=person,
                grantee=world.grantee,
                event=event,
                person=person,
                needs="",
                key=f"record-{person.pk}",
            )

    assert_constant_queries(client_for("lead"), record_url(world), grow=grow)

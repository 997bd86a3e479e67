"""Changing or cancelling an event tells everyone registered, and their calendars follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from events import services
from events.forms import event_initial
from events.models import Event, Registration
from portal.models import Notification
from portal.services import ServiceError
from tests.events.helpers import fill_last_seat_and_wait

pytestmark = pytest.mark.django_db


def edit_data(world, **changes):
    event = world.event
    data = {
        name: getattr(event, name)
        for name in services.EVENT_FIELDS
        if name not in ("topic", "region")
    }
    data.update(
        {"topic": event.topic, "region": event.region, "organizers": [world.users["coach"]]}
    )
    data.update(changes)
    return data


def test_moving_the_event_tells_everyone_with_an_updated_invite(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    later = world.event.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=world.users["ta_admin"],
            event=world.event,
            data=edit_data(world, starts_at=later, ends_at=later + timedelta(hours=2)),
        )
    world.event.refresh_from_db()
    assert world.event.sequence == 1
    changed = [m for m in mailoutbox if m.subject.startswith("Changed")]
    assert {m.to[0] for m in changed} == {"staff@example.org", "other-staff@example.org"}
    invite = Calendar.from_ical(changed[0].attachments[0][1])
    event = invite.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == later.replace(microsecond=0)
    assert event["SEQUENCE"] == 1


def test_a_title_change_alone_tells_nobody(world):
    services.event_update(
        actor=world.users["ta_admin"], event=world.event, data=edit_data(world, title="New name")
    )
    assert not Notification.objects.filter(kind="registration-changed").exists()


def test_raising_the_capacity_seats_the_people_waiting(world):
    waiting = fill_last_seat_and_wait(world)
    assert waiting.status == "waitlisted"
    services.event_update(
        actor=world.users["ta_admin"], event=world.event, data=edit_data(world, capacity=5)
    )
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_the_capacity_cannot_drop_below_the_seats_taken(world):
    with pytest.raises(ServiceError) as error:
        services.event_update(
            actor=world.users["ta_admin"],
            event=world.event,
            data=edit_data(world, capacity=1, per_grantee_cap=None),
        )
    assert error.value.field == "capacity"


def test_cancelling_the_event_tells_everyone_and_calendars_drop_it(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for("ta_admin")
    url = f"/p/{world.program.slug}/events/{world.event.pk}/cancel/"
    assert client.post(url, {"reason": ""}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The presenter is ill"})
    assert response.status_code == 302
    world.event.refresh_from_db()
    assert world.event.status == Event.Status.CANCELLED
    mails = [m for m in mailoutbox if m.subject.startswith("Cancelled")]
    assert len(mails) == 2 and "The presenter is ill" in mails[0].body
    assert "METHOD:CANCEL" in mails[0].attachments[0][1]
    page = client_for("staff").get(f"/g/alpha/events/{world.event.pk}/").content.decode()
    assert "This event is cancelled" in page
    assert Registration.objects.filter(event=world.event).count() == 2


def test_the_edit_page_shows_the_event_in_its_own_zone_and_saves(world, client_for):
    client = client_for("ta_admin")
    url = f"/p/{world.program.slug}/events/{world.event.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    initial = event_initial(world.event)
    assert page.context["form"].initial["start_time"] == initial["start_time"]
    data = {
        key: value for key, value in initial.items() if value is not None and key != "organizers"
    }
    data.update({"title": "Webinar: reading regional labor markets", "organizers": []})
    response = client.post(url, {k: v for k, v in data.items() if v != []})
    assert response.status_code == 302, response.context["form"].errors
    world.event.refresh_from_db()
    assert world.event.title == "Webinar: reading regional labor markets"
    assert world.event.sequence == 0  # same time and place
    assert client_for("state").get(url).status_code == 403


def test_the_calendar_feed_lists_the_persons_event_registrations(world, client):
    from booking.services import calendar_feed_reset

    token = calendar_feed_reset(user=world.users["staff"])
    body = client.get(f"/calendar/{token}.ics").content.decode()
    assert f"registration-{world.registration.uid}@pathways-ta-portal" in body
    assert str(world.other_registration.uid) not in body
    services.registration_cancel(actor=world.users["staff"], registration=world.registration)
    cal = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content)
    mine = [
        e
        for e in cal.walk("VEVENT")
        if str(e["UID"]).startswith(f"registration-{world.registration.uid}")
    ]
    assert str(mine[0]["STATUS"]) == "CANCELLED"

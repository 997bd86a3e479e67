"""The agenda, materials for people with a seat, and the feedback survey for attendees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Feedback
from portal.models import Notification
from portal.services import ServiceError

pytestmark = pytest.mark.django_db


def roster_url(world):
    return f"/p/{world.program.slug}/events/{world.event.pk}/"


def test_the_agenda_is_public_to_the_program_materials_only_to_seats(world, client_for):
    detail = f"/g/bravo/events/{world.event.pk}/"
    seated = client_for("other_staff").get(detail).content.decode()
    assert "Reading the regional dashboards" in seated and "Valley Health (employer)" in seated
    material_url = f"/g/bravo/events/{world.event.pk}/materials/"
    assert material_url in seated
    lead_page = client_for("lead").get(f"/g/alpha/events/{world.event.pk}/").content.decode()
    assert "Reading the regional dashboards" in lead_page
    assert "/materials/" not in lead_page  # the lead has no seat


def test_after_materials_appear_once_the_event_is_over(world):
    from events import selectors

    services.material_add(
        actor=world.users["ta_admin"],
        event=world.event,
        data={
            "title": "Recording",
            "kind": "recording",
            "url": "https://files.example.org/rec.mp4",
            "release": "after",
        },
    )
    before = selectors.materials_for(event=world.event, registration=world.registration)
    after = selectors.materials_for(
        event=world.event,
        registration=world.registration,
        now=world.event.ends_at + timedelta(minutes=1),
    )
    assert [m.title for m in before] == ["Slides"]
    assert [m.title for m in after] == ["Slides", "Recording"]


def test_agenda_items_must_sit_inside_the_event(world, client_for):
    client = client_for("ta_admin")
    local = timezone.localtime(world.event.starts_at)
    early = (local - timedelta(hours=2)).strftime("%H:%M")
    response = client.post(
        roster_url(world) + "agenda/",
        {
            "agenda-start_time": early,
            "agenda-end_time": local.strftime("%H:%M"),
            "agenda-title": "Too early",
        },
    )
    assert response.status_code == 422
    assert "Keep the agenda inside the event" in response.content.decode()
    assert not world.event.agenda.filter(title="Too early").exists()


def test_the_survey_goes_to_attendees_only_once_the_event_is_over(world):
    services.registration_check_in(actor=world.users["ta_admin"], registration=world.registration)
    with pytest.raises(ServiceError, match="once the event is over"):
        services.feedback_request_send(actor=world.users["ta_admin"], event=world.event)
    after = world.event.ends_at + timedelta(hours=1)
    assert (
        services.feedback_request_send(actor=world.users["ta_admin"], event=world.event, now=after)
        == 1
    )  # B's staff did not check in
    assert (
        services.feedback_request_send(actor=world.users["ta_admin"], event=world.event, now=after)
        == 0
    )  # nobody is asked twice
    asked = Notification.objects.filter(kind="event-feedback").values_list(
        "recipient__email", flat=True
    )
    assert list(asked) == ["staff@example.org"]


def test_an_attendee_answers_and_organizers_see_the_anonymous_summary(world, client_for):
    services.registration_check_in(actor=world.users["ta_admin"], registration=world.registration)
    world.event.ends_at = timezone.now() - timedelta(minutes=5)
    world.event.starts_at = world.event.ends_at - timedelta(hours=1)
    world.event.registration_closes_at = world.event.starts_at
    world.event.registration_opens_at = world.event.starts_at - timedelta(days=3)
    world.event.save()
    services.feedback_request_send(actor=world.users["ta_admin"], event=world.event)
    url = f"/g/alpha/registrations/{world.registration.pk}/feedback/"
    client = client_for("staff")
    assert client.post(url, {"comments": "no rating"}).status_code == 422
    response = client.post(url, {"rating": "4", "comments": "More employer voices, please"})
    assert response.status_code == 302
    assert Feedback.objects.get(registration=world.registration).rating == 4
    roster = client_for("ta_admin").get(roster_url(world)).content.decode()
    assert "More employer voices, please" in roster and "out of 5 from 1 answer" in roster
    # Someone who did not attend, or another person, may not answer.
    lead_view = client_for("lead").get(url)
    assert lead_view.status_code == 200 and lead_view.context["form"] is None
    assert client_for("lead").post(url, {"rating": "1"}).status_code == 403
    other = f"/g/bravo/registrations/{world.other_registration.pk}/feedback/"
    assert client_for("other_staff").get(other).context["form"] is None  # did not attend
    assert client_for("other_staff").post(other, {"rating": "5"}).status_code == 403
    assert Feedback.objects.count() == 1


def test_the_roster_page_title_is_just_the_event_and_program(world, client_for):
    body = client_for("ta_admin").get(roster_url(world)).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert title == "Webinar: regional labor markets — Pathways One · Pathways TA Portal"
    assert body.count('id="agenda-heading"') == 1

"""Walk-ins: people at the door who did not register get a seat and are checked in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events import services
from events.models import Registration
from portal.models import Notification
from portal.services import ServiceError
from tests.budget import assert_constant_queries
from tests.events.helpers import fill_last_seat_and_wait
from tests.factories import GranteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def on_the_day(world):
    return world.event.starts_at + timedelta(minutes=5)


def walk_in(world, *, name="Rosa Diaz", email="", grantee=None, actor="coach", now=None):
    return services.walk_in_add(
        actor=world.users[actor],
        event=world.event,
        grantee=grantee or world.grantee,
        full_name=name,
        email=email,
        now=now or on_the_day(world),
    )


def test_a_walk_in_without_an_account_gets_a_seat_and_is_checked_in(world):
    Notification.objects.all().delete()
    registration, said = walk_in(world)
    assert registration.status == "confirmed" and registration.seat == 3
    assert registration.walk_in and registration.person is None
    assert registration.checked_in_at == on_the_day(world)
    assert registration.attendee_name == "Rosa Diaz"
    assert "added as a walk-in" in said
    assert not Notification.objects.exists()  # nobody to e-mail, and no mail to the organizer


def test_a_full_room_still_seats_a_walk_in_past_the_capacity(world):
    fill_last_seat_and_wait(world)
    registration, _ = walk_in(world)
    assert registration.seat == world.event.capacity + 1
    second, _ = walk_in(world, name="Sam Lee")
    assert second.seat == world.event.capacity + 2


def test_someone_waiting_who_turns_up_is_seated_from_the_waiting_list(world):
    waiting = fill_last_seat_and_wait(world)
    registration, said = walk_in(
        world, name="whatever", email=waiting.person.email.upper(), grantee=world.other_grantee
    )
    assert registration.pk == waiting.pk
    assert registration.status == "confirmed" and registration.checked_in_at is not None
    assert registration.waitlist_position is None and registration.seat == 4
    assert "was waiting" in said


def test_someone_registered_is_simply_checked_in(world):
    registration, said = walk_in(world, email=world.users["staff"].email)
    assert registration.pk == world.registration.pk
    assert registration.checked_in_at is not None and not registration.walk_in
    assert "was registered" in said


def test_an_email_of_someone_outside_the_team_is_not_matched(world):
    registration, _ = walk_in(world, name="Omar", email=world.users["other_staff"].email)
    assert registration.walk_in and registration.person is None
    assert registration.walk_in_email == world.users["other_staff"].email


def test_bad_input_is_refused_with_a_field_message(world):
    with pytest.raises(ServiceError) as blank:
        walk_in(world, name="  ")
    assert blank.value.field == "full_name"
    outsider = GranteeFactory(program=world.other_program)
    with pytest.raises(ServiceError) as elsewhere:
        walk_in(world, grantee=outsider)
    assert elsewhere.value.field == "grantee"
    with pytest.raises(ServiceError, match="on the day"):
        walk_in(world, now=world.event.starts_at - timedelta(days=2))
    assert not Registration.objects.filter(walk_in=True).exists()


def test_only_organizers_add_walk_ins(world):
    with pytest.raises(PermissionDenied):
        walk_in(world, actor="other_coach")
    with pytest.raises(PermissionDenied):
        walk_in(world, actor="lead")
    registration, _ = walk_in(world, actor="ta_admin")
    assert registration.registered_by == world.users["ta_admin"]


def test_walk_ins_without_an_account_get_no_reminders_or_survey(world):
    start = world.event.starts_at
    registration, _ = walk_in(world, now=start - timedelta(hours=3))
    services.event_reminders_sweep(now=start - timedelta(minutes=50))
    reminded = Notification.objects.filter(kind="event-reminder").values_list("key", flat=True)
    assert any(key.startswith(f"registration:{world.registration.pk}:") for key in reminded)
    after = world.event.ends_at + timedelta(hours=1)
    asked = services.feedback_request_send(
        actor=world.users["ta_admin"], event=world.event, now=after
    )
    assert asked == 0  # only the walk-in attended, and they cannot sign in to answer
    assert not Notification.objects.filter(key__startswith=f"registration:{registration.pk}:")


# --- The page -------------------------------------------------------------------------------------


def check_in_url(world):
    return f"/p/{world.program.slug}/events/{world.event.pk}/check-in/"


@pytest.fixture
def event_today(world):
    start = timezone.now() - timedelta(minutes=30)
    world.event.starts_at, world.event.ends_at = start, start + timedelta(hours=2)
    world.event.registration_closes_at = start
    world.event.registration_opens_at = start - timedelta(days=5)
    world.event.save()
    return world.event


def test_the_check_in_page_adds_a_walk_in(world, client_for, event_today):
    client = client_for("coach")
    response = client.post(
        check_in_url(world) + "walk-in/",
        {"walk-in-full_name": "Rosa Diaz", "walk-in-grantee": world.grantee.pk},
    )
    assert response.status_code == 302
    page = client.get(check_in_url(world)).content.decode()
    assert "Rosa Diaz" in page and "Walk-in" in page
    roster = client.get(f"/p/{world.program.slug}/events/{world.event.pk}/roster.csv")
    assert "Rosa Diaz" in roster.getvalue().decode()


def test_the_walk_in_form_says_what_is_missing(world, client_for, event_today):
    response = client_for("coach").post(check_in_url(world) + "walk-in/", {"walk-in-full_name": ""})
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count("This field is required") == 2  # the name and the consortium


def test_the_check_in_page_stays_constant_with_walk_ins(world, client_for, event_today):
    def grow(n):
        for i in range(n):
            person = MembershipFactory(grantee=world.grantee).user
            services.walk_in_add(
                actor=world.users["coach"],
                event=world.event,
                grantee=world.grantee,
                full_name=f"Walk-in {i}",
                email=person.email,
            )
            services.walk_in_add(
                actor=world.users["coach"],
                event=world.event,
                grantee=world.other_grantee,
                full_name=f"Guest {i}",
            )

    assert_constant_queries(client_for("coach"), check_in_url(world), grow=grow)

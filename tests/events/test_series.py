"""Series (the quarterly communities of practice): one registration for the whole series, or one
per session, as the TA admin chooses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from events import services
from events.models import Event, Registration, SeriesEnrollment
from grantees.models import Region
from portal.models import Notification
from portal.services import ServiceError
from tests.factories import GranteeFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def add_session(world, *, days: int, capacity: int = 30, series=None, **extra) -> Event:
    start = timezone.now() + timedelta(days=days)
    data = {
        "kind": "community_of_practice",
        "title": f"CoP session in {days} days",
        "format": "virtual",
        "meeting_url": "https://meet.example.org/cop",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "capacity": capacity,
        "registration_opens_at": timezone.now() - timedelta(days=1),
        "registration_closes_at": start - timedelta(hours=1),
        "series": series or world.event_series,
        **extra,
    }
    return services.event_create(actor=world.users["ta_admin"], program=world.program, data=data)


def enroll(world, person, *, grantee=None, actor=None):
    return services.series_enroll(
        actor=actor or person,
        grantee=grantee or world.grantee,
        series=world.event_series,
        person=person,
        needs="",
        key=f"enroll-{person.pk}-{(actor or person).pk}",
    )


def test_one_registration_gives_a_place_at_every_open_session_with_one_message(world):
    add_session(world, days=70)
    add_session(world, days=100)
    lead = world.users["lead"]
    Notification.objects.all().delete()

    enrollment, registrations = enroll(world, lead)

    assert [r.status for r in registrations] == ["confirmed"] * 3
    assert {r.enrollment_id for r in registrations} == {enrollment.pk}
    (message,) = Notification.objects.filter(recipient=lead)
    assert message.kind == "series-enrolled"
    assert message.attachment.count("BEGIN:VEVENT") == 3  # one calendar, every session


def test_a_session_announced_later_seats_everyone_in_the_series(world):
    staff = world.users["staff"]
    Notification.objects.all().delete()

    later = add_session(world, days=130)

    places = Registration.objects.filter(event=later).order_by("created_at", "pk")
    assert [r.person_id for r in places] == [staff.pk, world.users["other_staff"].pk]
    assert all(r.status == "confirmed" for r in places)
    assert Notification.objects.filter(recipient=staff, kind="registration-confirmed").exists()


def test_a_full_session_puts_the_newcomer_on_its_waiting_list(world):
    small = add_session(world, days=70, capacity=2)  # A's and B's staff take both seats
    _, registrations = enroll(world, world.users["lead"])
    by_event = {r.event_id: r for r in registrations}
    assert by_event[small.pk].status == "waitlisted"
    assert by_event[small.pk].waitlist_position == 1


def test_a_single_session_of_a_whole_series_cannot_be_registered_alone(world):
    session = world.event_series.sessions.get()
    with pytest.raises(ServiceError, match="whole series"):
        services.registration_create(
            actor=world.users["lead"],
            grantee=world.grantee,
            event=session,
            person=world.users["lead"],
            needs="",
            key="alone",
        )


def test_per_session_mode_registers_session_by_session(world):
    series = world.event_series
    services.series_update(
        actor=world.users["ta_admin"],
        series=series,
        data={"title": series.title, "registration_mode": "session"},
    )
    series.refresh_from_db()
    with pytest.raises(ServiceError, match="each session"):
        enroll(world, world.users["lead"])
    session = series.sessions.get()
    registration = services.registration_create(
        actor=world.users["lead"],
        grantee=world.grantee,
        event=session,
        person=world.users["lead"],
        needs="",
        key="per-session",
    )
    assert registration.status == "confirmed" and registration.enrollment is None


def test_leaving_gives_up_future_places_and_seats_the_next_person_waiting(world):
    small = add_session(world, days=70, capacity=2)
    _, registrations = enroll(world, world.users["lead"])  # waits at `small`
    waiting = next(r for r in registrations if r.event_id == small.pk)

    given_up = services.series_leave(actor=world.users["staff"], enrollment=world.enrollment)

    assert {r.event_id for r in given_up} == {small.pk, world.event_series.sessions.first().pk}
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"  # the seat A's staff gave up
    world.enrollment.refresh_from_db()
    assert world.enrollment.left_at is not None
    assert not Registration.objects.filter(
        enrollment=world.enrollment, status__in=["confirmed", "waitlisted"]
    ).exists()
    with pytest.raises(ServiceError, match="Already left"):
        services.series_leave(actor=world.users["staff"], enrollment=world.enrollment)


def test_past_sessions_stay_on_the_record_when_someone_leaves(world):
    session = world.event_series.sessions.get()
    place = Registration.objects.get(event=session, person=world.users["staff"])
    later = session.starts_at + timedelta(hours=2)
    services.series_leave(actor=world.users["staff"], enrollment=world.enrollment, now=later)
    place.refresh_from_db()
    assert place.status == "confirmed"


def test_staff_enroll_only_themselves_and_a_lead_enrolls_colleagues(world):
    colleague = MembershipFactory(grantee=world.grantee, role="staff").user
    with pytest.raises(PermissionDenied):
        enroll(world, colleague, actor=world.users["staff"])
    enrollment, _ = enroll(world, colleague, actor=world.users["lead"])
    assert enrollment.registered_by == world.users["lead"]
    again, _ = enroll(world, colleague, actor=world.users["lead"])  # the same form sent twice
    assert again == enrollment
    with pytest.raises(ServiceError, match="already registered"):
        services.series_enroll(
            actor=world.users["lead"],
            grantee=world.grantee,
            series=world.event_series,
            person=colleague,
            needs="",
            key="another-form",
        )


def test_a_session_for_other_regions_is_skipped(world):
    elsewhere = Region.objects.exclude(pk=world.grantee.region_id).first()
    other_region_session = add_session(world, days=70, audience_regions=[elsewhere])
    _, registrations = enroll(world, world.users["lead"])
    assert other_region_session.pk not in {r.event_id for r in registrations}


def test_a_series_of_another_program_is_refused(world):
    outsider_grantee = GranteeFactory(program=world.other_program)
    outsider = MembershipFactory(grantee=outsider_grantee).user
    with pytest.raises(PermissionDenied):
        services.series_enroll(
            actor=outsider,
            grantee=outsider_grantee,
            series=world.event_series,
            person=outsider,
            needs="",
            key="outsider",
        )


# --- Pages ----------------------------------------------------------------------------------------


def series_url(world, suffix=""):
    return f"/g/{world.grantee.slug}/events/series/{world.event_series.pk}/{suffix}"


def test_the_series_page_lists_sessions_and_the_team(world, client_for):
    response = client_for("lead").get(series_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "CoP: employer engagement" in page
    assert world.users["staff"].full_name in page
    assert "Register for every session" in page  # a lead can still register colleagues


def test_registering_from_the_page_and_a_clear_message_when_already_in(world, client_for):
    client = client_for("staff")
    response = client.post(
        series_url(world, "register/"), {"person": world.users["staff"].pk, "form_key": "a" * 32}
    )
    assert response.status_code == 422
    assert "already registered for this series" in response.content.decode()
    lead = world.users["lead"]
    response = client_for("lead").post(
        series_url(world, "register/"), {"person": lead.pk, "form_key": "b" * 32}
    )
    assert response.status_code == 302
    assert SeriesEnrollment.objects.filter(person=lead, left_at__isnull=True).exists()


def test_leaving_from_the_page(world, client_for):
    url = f"/g/{world.grantee.slug}/series-registrations/{world.enrollment.pk}/leave/"
    response = client_for("staff").post(url)
    assert response.status_code == 302
    world.enrollment.refresh_from_db()
    assert world.enrollment.left_at is not None


def test_a_session_page_points_to_the_series_registration(world, client_for):
    session = world.event_series.sessions.get()
    page = client_for("lead").get(f"/g/{world.grantee.slug}/events/{session.pk}/")
    assert "register for “Community of practice”" in page.content.decode()


def test_a_ta_admin_creates_and_edits_a_series(world, client_for):
    client = client_for("ta_admin")
    base = f"/p/{world.program.slug}/events/series/"
    response = client.post(base + "new/", {"title": "", "registration_mode": "series"})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    response = client.post(
        base + "new/", {"title": "Webinar series", "registration_mode": "session"}
    )
    assert response.status_code == 302
    series = world.program.event_series.get(title="Webinar series")
    response = client.post(
        f"{base}{series.pk}/edit/", {"title": "Webinar series 2027", "registration_mode": "series"}
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.title == "Webinar series 2027" and series.whole_series

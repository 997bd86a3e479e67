"""Event pages: list and filters, registering through the page, what each role may see, and
constant query counts."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event, Registration
from tests.budget import assert_constant_queries
from tests.events.helpers import fill_last_seat_and_wait
from tests.factories import GranteeFactory, MembershipFactory
from tests.world import EVENT_LINK_MARKER, MARKER

pytestmark = pytest.mark.django_db
counter = itertools.count()


def detail(world, slug="alpha"):
    return f"/g/{slug}/events/{world.event.pk}/"


def test_staff_register_through_the_page_and_see_the_link(world, client_for):
    client = client_for("lead")
    page = client.get(detail(world))
    assert EVENT_LINK_MARKER not in page.content.decode()  # not registered yet
    key = page.context["form"]["form_key"].initial
    response = client.post(
        detail(world) + "register/",
        {"person": world.users["lead"].pk, "needs": "Large print", "form_key": key},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(person=world.users["lead"], event=world.event)
    assert registration.status == "confirmed" and registration.needs == "Large print"
    assert EVENT_LINK_MARKER in client.get(detail(world)).content.decode()


def test_a_full_event_puts_the_next_person_on_the_waiting_list(world, client_for):
    services.registration_create(
        actor=world.users["lead"],
        grantee=world.grantee,
        event=world.event,
        person=world.users["lead"],
        needs="",
        key="fill",
    )
    newcomer = MembershipFactory(grantee=world.other_grantee).user
    from django.test import Client

    from tests.world import sign_in

    client = Client()
    sign_in(client, newcomer)
    page = client.get(detail(world, "bravo"))
    key = page.context["form"]["form_key"].initial
    client.post(detail(world, "bravo") + "register/", {"person": newcomer.pk, "form_key": key})
    body = client.get(detail(world, "bravo")).content.decode()
    assert "On the waiting list, place 1" in body
    assert EVENT_LINK_MARKER not in body


def test_registering_someone_twice_gets_a_field_error(world, client_for):
    client = client_for("lead")
    key = client.get(detail(world)).context["form"]["form_key"].initial
    response = client.post(
        detail(world) + "register/", {"person": world.users["staff"].pk, "form_key": key}
    )
    assert response.status_code == 422
    assert "is already registered" in response.content.decode()


def test_staff_already_registered_are_not_offered_the_form_again(world, client_for):
    page = client_for("staff").get(detail(world))
    assert page.context["form"] is None


def test_staff_cannot_register_a_colleague(world, client_for):
    from django.test import Client

    from tests.world import sign_in

    client = Client()
    sign_in(client, MembershipFactory(grantee=world.grantee, role="staff").user)
    key = client.get(detail(world)).context["form"]["form_key"].initial
    response = client.post(
        detail(world) + "register/", {"person": world.users["lead"].pk, "form_key": key}
    )
    assert response.status_code == 422
    assert not Registration.objects.filter(person=world.users["lead"]).exists()


def test_needs_are_for_organizers_only(world, client_for):
    roster = f"/p/{world.program.slug}/events/{world.event.pk}/"
    assert MARKER in client_for("ta_admin").get(roster).content.decode()
    for role in ("staff", "lead", "coach", "state"):
        assert client_for(role).get(detail(world)).status_code == 200
        assert (
            f"Captions please {MARKER}" not in client_for(role).get(detail(world)).content.decode()
        )
    assert client_for("state").get(roster).status_code == 403
    assert client_for("coach").get(roster).status_code == 404


def test_cancel_through_the_page_promotes_the_next_person(world, client_for):
    waiting = fill_last_seat_and_wait(world)
    response = client_for("staff").post(f"/g/alpha/registrations/{world.registration.pk}/cancel/")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_other_tenants_cannot_touch_a_registration(world, client_for):
    url = f"/g/alpha/registrations/{world.registration.pk}/cancel/"
    assert client_for("other_staff").post(url).status_code == 404
    wrong_slug = f"/g/bravo/registrations/{world.registration.pk}/cancel/"
    assert client_for("other_staff").post(wrong_slug).status_code == 404
    world.registration.refresh_from_db()
    assert world.registration.status == "confirmed"


def test_the_list_filters_by_kind_and_region(world, client_for):
    from grantees.models import Region

    region = Region.objects.first()
    start = timezone.now() + timedelta(days=40)
    services.event_create(
        actor=world.users["ta_admin"],
        program=world.program,
        data={
            "kind": "regional_training",
            "title": "Regional training in the valley",
            "format": "in_person",
            "venue": "Valley Adult School",
            "region": region,
            "starts_at": start,
            "ends_at": start + timedelta(hours=6),
            "capacity": 40,
            "registration_opens_at": timezone.now(),
            "registration_closes_at": start - timedelta(days=2),
        },
    )
    client = client_for("staff")
    both = client.get("/g/alpha/events/").content.decode()
    assert "Regional training in the valley" in both and "regional labor markets" in both
    webinars = client.get("/g/alpha/events/", {"kind": "webinar"}).content.decode()
    assert "Regional training in the valley" not in webinars
    in_region = client.get("/g/alpha/events/", {"region": region.pk}).content.decode()
    assert "regional labor markets" not in in_region


def test_a_ta_admin_announces_an_event_with_field_errors_first(world, client_for):
    client = client_for("ta_admin")
    url = f"/p/{world.program.slug}/events/new/"
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "kind": "regional_training",
        "title": "Inland Empire regional training",
        "format": "in_person",
        "venue": "",
        "date": day,
        "start_time": "09:00",
        "end_time": "15:30",
        "time_zone": "America/Los_Angeles",
        "capacity": "60",
        "per_grantee_cap": "4",
        "registration_closes_on": day,
    }
    bad = client.post(url, data)
    assert bad.status_code == 422 and "Give the venue" in bad.content.decode()
    assert not Event.objects.filter(title="Inland Empire regional training").exists()
    good = client.post(url, {**data, "venue": "Riverside Adult School"})
    assert good.status_code == 302
    event = Event.objects.get(title="Inland Empire regional training")
    assert timezone.localtime(event.starts_at).hour == 9


def grow_events(world):
    series = services.series_create(
        actor=world.users["ta_admin"],
        program=world.program,
        data={"title": "Webinar series", "description": "", "registration_mode": "session"},
    )

    def grow(n):
        for _ in range(n):
            i = next(counter)
            start = timezone.now() + timedelta(days=10 + i)
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
                    "capacity": 1,
                    "registration_opens_at": timezone.now(),
                    "registration_closes_at": start,
                    # Every other one a session of a series (grouped in the admin table).
                    "series": series if i % 2 else None,
                },
            )
            services.material_add(  # filed in the library, listed on the organizer's page
                actor=world.users["ta_admin"],
                event=world.event,
                data={
                    "title": f"Recording {i}",
                    "kind": "recording",
                    "url": f"https://video.example.org/{i}",
                    "release": "after",
                },
            )
            for k in range(2):  # one seat taken, one waiting
                grantee = GranteeFactory(program=world.program)
                person = MembershipFactory(grantee=grantee).user
                services.registration_create(
                    actor=person,
                    grantee=grantee,
                    event=event,
                    person=person,
                    needs="n",
                    key=f"grow-{i}-{k}",
                )
            colleague = MembershipFactory(grantee=world.grantee).user  # waits at the webinar
            services.registration_create(
                actor=colleague,
                grantee=world.grantee,
                event=world.event,
                person=colleague,
                needs="",
                key=f"grow-a-{i}",
            )

    return grow


@pytest.mark.parametrize(
    "path, role",
    [
        ("/g/alpha/events/", "staff"),
        ("/g/alpha/events/{event}/", "lead"),
        ("/p/{program}/events/", "ta_admin"),
        ("/p/{program}/events/{event}/", "ta_admin"),
    ],
)
def test_event_pages_keep_a_constant_query_count(world, client_for, path, role):
    url = path.format(event=world.event.pk, program=world.program.slug)
    assert_constant_queries(client_for(role), url, grow=grow_events(world))


def test_the_month_calendar_places_events_on_their_local_day(world, client_for):
    local = timezone.localtime(world.event.starts_at)
    response = client_for("staff").get(
        "/g/alpha/events/calendar/", {"month": f"{local:%Y-%m}", "kind": "webinar"}
    )
    assert response.status_code == 200
    cells = [cell for week in response.context["weeks"] for cell in week if cell.events]
    assert [cell.day for cell in cells] == [local.date()]
    other_kind = client_for("staff").get(
        "/g/alpha/events/calendar/", {"month": f"{local:%Y-%m}", "kind": "convening"}
    )
    assert not [c for week in other_kind.context["weeks"] for c in week if c.events]
    bad_month = client_for("staff").get("/g/alpha/events/calendar/", {"month": "2026-13"})
    assert bad_month.status_code == 200  # falls back to this month


def test_the_month_calendar_keeps_a_constant_query_count(world, client_for):
    local = timezone.localtime(world.event.starts_at)
    assert_constant_queries(
        client_for("staff"),
        f"/g/alpha/events/calendar/?month={local:%Y-%m}",
        grow=grow_events(world),
    )

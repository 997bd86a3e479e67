"""On the day: organizers (TA admins, the program's coaches) check people in and export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied

from events import services
from events.models import Registration
from tests.budget import assert_constant_queries
from tests.factories import GranteeFactory, MembershipFactory
from tests.world import MARKER

pytestmark = pytest.mark.django_db


def check_in_url(world):
    return f"/p/{world.program.slug}/events/{world.event.pk}/check-in/"


def test_a_coach_of_the_program_checks_someone_in_and_undoes_it(world, client_for):
    client = client_for("coach")
    page = client.get(check_in_url(world))
    assert page.status_code == 200 and "0</strong> of 2" in page.content.decode()
    url = check_in_url(world) + f"{world.registration.pk}/"
    row = client.post(url, headers={"HX-Request": "true", "HX-Target": "attendees"})
    assert "<html" not in row.content.decode()
    assert row.status_code == 200 and "Arrived" in row.content.decode()
    assert "1</strong> of 2" in row.content.decode()
    assert Registration.objects.get(pk=world.registration.pk).checked_in_at is not None
    client.post(url, {"undo": "1"})
    assert Registration.objects.get(pk=world.registration.pk).checked_in_at is None


def test_search_narrows_the_list(world, client_for):
    body = client_for("ta_admin").get(check_in_url(world), {"q": "Other Omar"}).content.decode()
    assert "Other Omar" in body and f"Staff {MARKER}" not in body


def test_who_may_run_check_in(world, client_for):
    # Only the event's organizers among coaches: another coach of the program sees nothing.
    assert client_for("other_coach").get(check_in_url(world)).status_code == 404
    assert client_for("state").get(check_in_url(world)).status_code == 403
    assert client_for("staff").get(check_in_url(world)).status_code == 404
    assert client_for("other_state").get(check_in_url(world)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.registration_check_in(actor=world.users["lead"], registration=world.registration)


def test_only_confirmed_people_are_checked_in(world):
    services.registration_cancel(actor=world.users["staff"], registration=world.registration)
    from portal.services import ServiceError

    with pytest.raises(ServiceError, match="confirmed"):
        services.registration_check_in(
            actor=world.users["ta_admin"],
            registration=Registration.objects.get(pk=world.registration.pk),
        )


def test_the_roster_csv_has_attendance_and_neutralises_formulas(world, client_for):
    person = MembershipFactory(grantee=world.grantee, user__full_name="=HYPERLINK(1)").user
    services.registration_create(
        actor=world.users["lead"],
        grantee=world.grantee,
        event=world.event,
        person=person,
        needs="@SUM(A1)",
        key="formula",
    )
    services.registration_check_in(actor=world.users["ta_admin"], registration=world.registration)
    response = client_for("ta_admin").get(
        f"/p/{world.program.slug}/events/{world.event.pk}/roster.csv"
    )
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    by_name = {r["name"]: r for r in rows}
    assert by_name[f"Staff {MARKER}"]["checked_in_at"]
    assert by_name["'=HYPERLINK(1)"]["needs"] == "'@SUM(A1)"
    assert {r["status"] for r in rows} == {"confirmed"}


def test_check_in_keeps_a_constant_query_count(world, client_for):
    def grow(n):
        for i in range(n):
            grantee = GranteeFactory(program=world.program)
            person = MembershipFactory(grantee=grantee).user
            world.event.capacity += 1
            world.event.save()
            services.registration_create(
                actor=person,
                grantee=grantee,
                event=world.event,
                person=person,
                needs="",
                key=f"grow-check-in-{person.pk}-{i}",
            )

    assert_constant_queries(client_for("coach"), check_in_url(world), grow=grow)


def test_the_roster_downloads_as_a_spreadsheet_for_organizers_only(world, client_for):
    from openpyxl import load_workbook

    services.registration_check_in(actor=world.users["coach"], registration=world.registration)
    url = f"/p/{world.program.slug}/events/{world.event.pk}/roster.xlsx"
    response = client_for("coach").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [
        "status",
        "seat",
        "waitlist_position",
        "name",
        "email",
        "grantee",
        "needs",
        "registered_at",
        "checked_in_at",
        "walk_in",
    ]
    by_name = {row[3]: row for row in rows[1:]}
    assert by_name[f"Staff {MARKER}"][8]  # checked in
    assert client_for("other_coach").get(url).status_code == 404
    assert client_for("state").get(url).status_code == 403

"""The hour page, its CSV, and TA admins' allocations and adjustments."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from support_hours.models import HourAccount, LedgerEntry
from tests.world import INTERNAL_MARKER, MARKER

# The world's session drew 90 minutes from A's 100 hours.
# The world allocates 100 h, records a 90-minute session and books a 1-hour 1:1 (a hold).
AVAILABLE_AFTER_WORLD = 100 * 60 - 90 - 60


def key() -> str:
    return uuid.uuid4().hex


def account(world) -> HourAccount:
    return HourAccount.objects.get(grantee=world.grantee)


@pytest.mark.parametrize("role", ["staff", "lead", "coach", "state", "ta_admin"])
def test_hour_page_shows_the_balance_and_each_entry_linked_to_its_session(world, client_for, role):
    response = client_for(role).get("/g/alpha/hours/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "98.5" in page  # available hours
    assert f"/g/alpha/sessions/{world.session.pk}/" in page
    assert "Hours by month" in page and "<svg" in page
    assert INTERNAL_MARKER not in page


def test_hour_page_projects_the_run_out_date_from_the_recent_rate(world, client_for):
    page = client_for("lead").get("/g/alpha/hours/").content.decode()
    # 90 minutes in 8 weeks is 11.25 min/week: the hours last beyond the period, so the page
    # flags them as on pace to be left unused.
    assert "On pace to leave hours unused" in page


def test_csv_lists_every_entry_and_only_this_grantees(world, client_for):
    response = client_for("staff").get("/g/alpha/hours/entries.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["kind"] for r in rows] == ["allocation", "debit", "hold"]
    assert rows[1]["minutes"] == "-90" and rows[1]["session_id"] == str(world.session.pk)
    assert INTERNAL_MARKER not in body
    other = b"".join(client_for("other_staff").get("/g/bravo/hours/entries.csv").streaming_content)
    assert MARKER.encode() not in other


def test_csv_neutralises_formula_cells(world, client_for):
    from support_hours.services import hours_adjust

    hours_adjust(
        actor=world.users["ta_admin"],
        grantee=world.grantee,
        minutes=60,
        reason="=HYPERLINK(1)",
        key=key(),
    )
    body = b"".join(client_for("lead").get("/g/alpha/hours/entries.csv").streaming_content)
    assert b"'=HYPERLINK(1)" in body


def test_ta_admin_adjusts_with_a_reason(world, client_for):
    response = client_for("ta_admin").post(
        "/g/alpha/hours/adjust/",
        {"hours": "2.5", "reason": "Extra convening prep", "form_key": key()},
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.filter(kind="adjustment").get()
    assert entry.minutes == 150 and entry.actor == world.users["ta_admin"]
    assert account(world).available_minutes == AVAILABLE_AFTER_WORLD + 150


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hours": "1.1", "reason": "x"}, "hours", "quarter-hour steps"),
        ({"hours": "0", "reason": "x"}, "hours", "other than zero"),
        ({"hours": "2", "reason": ""}, "reason", "This field is required"),
        ({"hours": "-200", "reason": "Correction"}, "override_reason", "override reason"),
    ],
)
def test_bad_adjustments_get_field_errors_and_post_nothing(world, client_for, data, field, message):
    response = client_for("ta_admin").post("/g/alpha/hours/adjust/", {**data, "form_key": key()})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()


def test_override_below_zero_is_recorded(world, client_for):
    response = client_for("ta_admin").post(
        "/g/alpha/hours/adjust/",
        {
            "hours": "-100",
            "reason": "Hours moved to the regional training budget",
            "override_reason": "Approved by the state office on Nov 2",
            "form_key": key(),
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind="adjustment")
    assert entry.override_reason == "Approved by the state office on Nov 2"
    assert account(world).available_minutes == AVAILABLE_AFTER_WORLD - 6000


def test_a_resent_form_posts_once(world, client_for):
    client = client_for("ta_admin")
    data = {"hours": "1", "reason": "Double click", "form_key": key()}
    client.post("/g/alpha/hours/adjust/", data)
    client.post("/g/alpha/hours/adjust/", data)
    assert LedgerEntry.objects.filter(kind="adjustment").count() == 1


def test_allocating_defaults_gives_each_unallocated_grantee_the_program_default(world, client_for):
    from tests.factories import GranteeFactory

    new = GranteeFactory(program=world.program, name="Delta Consortium", slug="delta")
    client = client_for("ta_admin")
    client.post("/p/pathways-one/hours/allocate-defaults/")
    client.post("/p/pathways-one/hours/allocate-defaults/")
    assert HourAccount.objects.get(grantee=new).allocated_minutes == 6000
    page = client.get("/p/pathways-one/hours/").content.decode()
    assert "Delta Consortium" in page and "100" in page


def test_state_admin_sees_program_hours_but_cannot_allocate(world, client_for):
    client = client_for("state")
    page = client.get("/p/pathways-one/hours/").content.decode()
    assert "Bravo Consortium" in page and "allocate-defaults" not in page
    assert client.post("/p/pathways-one/hours/allocate-defaults/").status_code == 403

"""Coaches record and correct sessions; leads confirm or dispute; sweeps confirm the rest."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from grantees.models import Topic
from portal.models import Notification
from support_hours import services
from support_hours.models import CoachingSession, HourAccount, LedgerEntry, SessionRevision
from tests.world import INTERNAL_MARKER


def session_form(world, **overrides):
    topic = Topic.objects.order_by("name").first()
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {
        "date": yesterday.isoformat(),
        "start_time": "10:00",
        "minutes": "90",
        "mode": "virtual",
        "request": "",
        "topics": [topic.pk],
        "attendees": [world.users["lead"].pk],
        "guests": "Dana Ortiz, Valley Medical",
        "summary": "Reviewed the clinical placement calendar.",
        "next_steps": "Share the calendar with the college.",
        "internal_notes": "Lead seems overloaded.",
        "form_key": uuid.uuid4().hex,
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
        "items-0-description": "Send the placement calendar",
        "items-0-owner": "Lead",
        "items-0-due_on": (yesterday + timedelta(days=14)).isoformat(),
        "items-0-status": "open",
        "items-1-description": "",
        "items-1-owner": "",
        "items-1-due_on": "",
        "items-1-status": "open",
    }
    data.update(overrides)
    return data


def alpha_sessions(world) -> int:
    return CoachingSession.objects.filter(grantee=world.grantee).count()


def available(world) -> int:
    return HourAccount.objects.get(grantee=world.grantee).available_minutes


def test_coach_records_a_session_and_its_minutes_are_debited(
    world, client_for, django_capture_on_commit_callbacks
):
    before = available(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coach").post("/g/alpha/sessions/new/", session_form(world))
    assert response.status_code == 302
    session = (
        CoachingSession.objects.filter(grantee=world.grantee).exclude(pk=world.session.pk).get()
    )
    assert session.minutes == 90 and session.coach == world.users["coach"]
    assert session.action_items.count() == 1
    assert session.guest_list == ["Dana Ortiz, Valley Medical"]
    debit = LedgerEntry.objects.get(session=session)
    assert debit.kind == "debit" and debit.minutes == -90
    assert debit.effective_on == timezone.localdate() - timedelta(days=1)
    assert available(world) == before - 90
    # The lead is asked to confirm.
    assert any("Please confirm" in m.subject for m in mail.outbox)


def test_a_double_submitted_session_is_recorded_once(world, client_for):
    client = client_for("coach")
    data = session_form(world)
    client.post("/g/alpha/sessions/new/", data)
    client.post("/g/alpha/sessions/new/", data)
    assert alpha_sessions(world) == 2  # the world's and this one
    assert LedgerEntry.objects.filter(kind="debit", account__grantee=world.grantee).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"minutes": "20"}, "minutes", "Select a valid choice"),
        ({"topics": []}, "topics", "This field is required"),
        ({"summary": ""}, "summary", "This field is required"),
        ({"date": "2031-01-01"}, "date", "after it has taken place"),
        ({"date": "not-a-date"}, "date", "Enter a valid date"),
    ],
)
def test_bad_sessions_get_field_errors_and_debit_nothing(
    world, client_for, overrides, field, message
):
    before = available(world)
    response = client_for("coach").post("/g/alpha/sessions/new/", session_form(world, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    assert alpha_sessions(world) == 1 and available(world) == before


def test_attendees_must_belong_to_the_grantee(world, client_for):
    data = session_form(world, attendees=[world.users["other_staff"].pk])
    response = client_for("coach").post("/g/alpha/sessions/new/", data)
    assert b'id="id_attendees_error"' in response.content
    assert alpha_sessions(world) == 1


def test_a_session_beyond_the_available_hours_is_refused_for_a_coach(world, client_for):
    services.hours_adjust(
        actor=world.users["ta_admin"],
        grantee=world.grantee,
        minutes=-(available(world) - 60),
        reason="Moved to training budget",
        key="shrink",
    )
    response = client_for("coach").post("/g/alpha/sessions/new/", session_form(world))
    page = response.content.decode()
    assert 'id="id_minutes_error"' in page and "only 1 hour are available" in page
    assert alpha_sessions(world) == 1  # nothing half-saved
    # A TA admin may override with a reason.
    data = session_form(world, override_reason="Approved extra session")
    assert client_for("ta_admin").post("/g/alpha/sessions/new/", data).status_code == 302
    assert available(world) == -30


def test_internal_notes_are_for_ta_staff_only(world, client_for):
    url = f"/g/alpha/sessions/{world.session.pk}/"
    for role in ("coach", "ta_admin"):
        assert INTERNAL_MARKER.encode() in client_for(role).get(url).content
    for role in ("staff", "lead", "state"):
        page = client_for(role).get(url).content
        assert b"Mapped the CNA to LVN pathway" in page  # the shared summary
        assert INTERNAL_MARKER.encode() not in page


def test_correcting_a_session_reverses_the_old_debit_and_posts_a_new_one(world, client_for):
    before = available(world)
    data = session_form(world, minutes="120", reason="It ran 30 minutes longer")
    url = f"/g/alpha/sessions/{world.session.pk}/edit/"
    assert client_for("coach").post(url, data).status_code == 302
    entries = list(LedgerEntry.objects.filter(session=world.session).order_by("pk"))
    assert [(e.kind, e.minutes) for e in entries] == [
        ("debit", -90),
        ("reversal", 90),
        ("debit", -120),
    ]
    assert entries[1].corrects_id == entries[0].pk
    assert available(world) == before - 30
    revision = SessionRevision.objects.get(session=world.session)
    assert revision.before["minutes"] == 90 and revision.reason == "It ran 30 minutes longer"
    page = client_for("lead").get(f"/g/alpha/sessions/{world.session.pk}/").content.decode()
    assert "It ran 30 minutes longer" in page


def test_a_correction_needs_a_reason(world, client_for):
    url = f"/g/alpha/sessions/{world.session.pk}/edit/"
    response = client_for("coach").post(url, session_form(world, minutes="120"))
    assert b'id="id_reason_error"' in response.content
    assert LedgerEntry.objects.filter(session=world.session).count() == 1


def test_lead_confirms_and_then_the_coach_can_no_longer_edit(world, client_for):
    url = f"/g/alpha/sessions/{world.session.pk}/"
    assert client_for("lead").post(url + "confirm/").status_code == 302
    session = CoachingSession.objects.get(pk=world.session.pk)
    assert session.status == "confirmed" and session.confirmed_by == world.users["lead"]
    with pytest.raises(Exception, match="confirmed"):
        services.session_revise(
            actor=world.users["coach"],
            session=session,
            data={
                "started_at": session.started_at,
                "minutes": 60,
                "topics": list(session.topics.all()),
            },
            reason="x",
        )


def test_staff_cannot_confirm_only_the_lead(world, client_for):
    url = f"/g/alpha/sessions/{world.session.pk}/confirm/"
    assert client_for("staff").post(url).status_code == 403
    assert CoachingSession.objects.get(pk=world.session.pk).status == "recorded"


def test_lead_disputes_and_the_ta_admin_is_told_and_resolves(
    world, client_for, django_capture_on_commit_callbacks
):
    url = f"/g/alpha/sessions/{world.session.pk}/"
    response = client_for("lead").post(url + "dispute/", {"comment": ""})
    assert b'id="id_comment_error"' in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("lead").post(url + "dispute/", {"comment": "It was 60 minutes."})
    assert response.status_code == 302
    assert CoachingSession.objects.get(pk=world.session.pk).status == "disputed"
    told = Notification.objects.get(kind="session-disputed")
    assert told.recipient == world.users["ta_admin"] and "It was 60 minutes." in told.body
    assert "disputes" in mail.outbox[-1].subject
    queue = client_for("ta_admin").get("/p/pathways-one/requests/").content.decode()
    assert "It was 60 minutes." in queue
    client_for("ta_admin").post(url + "resolve/", {"note": "Corrected to 60 minutes."})
    session = CoachingSession.objects.get(pk=world.session.pk)
    assert session.status == "resolved" and session.resolution_note == "Corrected to 60 minutes."


def test_unconfirmed_sessions_confirm_themselves_after_the_programs_window(world):
    session = world.session
    days = world.program.session_auto_confirm_days
    assert (
        services.sessions_auto_confirm(now=session.awaiting_since + timedelta(days=days - 1)) == 0
    )
    later = session.awaiting_since + timedelta(days=days, minutes=1)
    assert services.sessions_auto_confirm(now=later) == 2  # A's and B's sessions
    session.refresh_from_db()
    assert session.status == "confirmed" and session.confirmed_by is None


def test_action_items_are_updated_inline(world, client_for):
    item = world.session.action_items.get()
    url = f"/g/alpha/sessions/{world.session.pk}/actions/{item.pk}/"
    response = client_for("staff").post(url, {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"data-focus-after-swap" in response.content
    item.refresh_from_db()
    assert item.status == "done"
    assert client_for("state").post(url, {"status": "open"}).status_code == 403

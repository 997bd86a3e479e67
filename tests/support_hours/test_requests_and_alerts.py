"""Support requests from submission to close, coach matching, and the hour alerts."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from grantees.models import CoachAssignment, Topic
from portal.models import Notification
from portal.tasks import send_notification
from support_hours import services
from support_hours.models import HourAccount, SupportRequest
from support_hours.selectors import coach_suggestions
from tests.factories import CoachProfileFactory, UserFactory


def request_form(**overrides):
    topics = list(Topic.objects.order_by("name")[:2])
    data = {
        "title": "Contextualized ESL for CNA",
        "topic": topics[0].pk,
        "description": "Our CNA instructors need help pairing with ESL faculty.",
        "urgency": "high",
        "preferred_times": "Thursday afternoons",
        "desired_expertise": [t.pk for t in topics],
        "form_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def test_staff_submits_a_request_and_ta_admins_are_told(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("staff").post("/g/alpha/requests/new/", request_form())
    created = SupportRequest.objects.get(title="Contextualized ESL for CNA")
    assert response.status_code == 302 and created.status == "submitted"
    assert created.desired_expertise.count() == 2
    assert [m.to for m in mail.outbox] == [["ta-admin@example.org"]]
    page = client_for("staff").get(f"/g/alpha/requests/{created.pk}/").content.decode()
    assert "Submitted" in page and "Thursday afternoons" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": ""}, "title"), ({"topic": ""}, "topic"), ({"urgency": "whenever"}, "urgency")],
)
def test_a_bad_request_gets_field_errors(world, client_for, overrides, field):
    response = client_for("lead").post("/g/alpha/requests/new/", request_form(**overrides))
    assert f'id="id_{field}_error"'.encode() in response.content
    assert not SupportRequest.objects.filter(title="Contextualized ESL for CNA").exists()


def test_coaches_are_ranked_by_expertise_overlap_then_load(world):
    topics = list(Topic.objects.order_by("name")[:3])
    request = world.support_request
    request.desired_expertise.set(topics[:2])  # the world's topic is topics[0]
    expert = UserFactory(full_name="Expert Eve")
    CoachProfileFactory(user=expert).expertise.set(topics[:2])
    busy_expert = UserFactory(full_name="Busy Bea")
    CoachProfileFactory(user=busy_expert).expertise.set(topics[:2])
    SupportRequest.objects.filter(pk=world.other_support_request.pk).update(
        assigned_coach=busy_expert, status="matched"
    )
    partial = UserFactory(full_name="Partial Pat")
    CoachProfileFactory(user=partial).expertise.set(topics[1:3])

    ranked = [s.coach.full_name for s in coach_suggestions(request=request)]

    assert ranked[:3] == ["Expert Eve", "Busy Bea", "Partial Pat"]


def fresh_request(world, title="Employer advisory committee") -> SupportRequest:
    return services.support_request_submit(
        actor=world.users["staff"],
        grantee=world.grantee,
        key=uuid.uuid4().hex,
        data={"topic": Topic.objects.first(), "title": title, "description": "x", "urgency": "low"},
    )


def test_assigning_notifies_coach_and_requester_and_assigns_the_coach(
    world, client_for, django_capture_on_commit_callbacks
):
    coach = UserFactory(full_name="New Coach", email="new-coach@example.org")
    CoachProfileFactory(user=coach)
    request = fresh_request(world)
    url = f"/g/alpha/requests/{request.pk}/assign/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("ta_admin").post(url, {"coach": coach.pk, "note": "Start soon"})
    assert response.status_code == 302
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.status == "matched" and request.assigned_coach == coach
    assert CoachAssignment.objects.filter(coach=coach, grantee=world.grantee).exists()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["new-coach@example.org", "staff@example.org"]
    # The new coach can now record sessions for the grantee.
    from portal.roles import compute_roles

    assert world.grantee.pk in compute_roles(coach).coach_of


def test_assigning_a_non_coach_is_a_field_error(world, client_for):
    url = f"/g/alpha/requests/{world.support_request.pk}/assign/"
    response = client_for("ta_admin").post(url, {"coach": world.users["staff"].pk})
    assert response.status_code == 422 and b'id="id_coach_error"' in response.content


def test_request_moves_along_its_path(world, client_for):
    request = fresh_request(world)
    services.support_request_assign(
        actor=world.users["ta_admin"], request=request, coach=world.users["coach"]
    )
    url = f"/g/alpha/requests/{request.pk}/status/"
    assert client_for("coach").post(url, {"status": "scheduled"}).status_code == 302
    response = client_for("coach").post(url, {"status": "closed", "note": ""})
    assert b'id="id_note_error"' in response.content
    client_for("coach").post(url, {"status": "closed", "note": "MOU signed"})
    request = SupportRequest.objects.get(pk=request.pk)
    assert request.status == "closed"
    statuses = list(request.events.values_list("status", flat=True))
    assert statuses[-3:] == ["matched", "scheduled", "closed"]
    # Staff cannot move someone else's matched request.
    assert client_for("staff").post(url, {"status": "submitted"}).status_code == 403


def test_staff_may_withdraw_a_request_nobody_picked_up(world, client_for):
    request = fresh_request(world, title="Never mind")
    url = f"/g/alpha/requests/{request.pk}/status/"
    client_for("staff").post(url, {"status": "closed", "note": "Solved it ourselves"})
    assert SupportRequest.objects.get(pk=request.pk).status == "closed"


def test_recording_a_session_for_a_request_moves_it_in_progress(world):
    assert SupportRequest.objects.get(pk=world.support_request.pk).status == "in_progress"


def test_program_queue_filters_by_status_and_keeps_tenants_apart(world, client_for):
    client = client_for("ta_admin")
    page = client.get("/p/pathways-one/requests/?status=in_progress").content.decode()
    assert "Help with clinical placements" in page
    assert (
        "No requests to show"
        in client.get("/p/pathways-one/requests/?status=closed").content.decode()
    )
    partial = client.get(
        "/p/pathways-one/requests/?status=open", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    assert b"<html" not in partial.content and b'id="results"' in partial.content


# --- Alerts --------------------------------------------------------------------------------------


def draw(world, minutes, key):
    account = HourAccount.objects.get(grantee=world.grantee)
    from support_hours.ledger import ledger_post

    ledger_post(account=account, kind="debit", minutes=-minutes, key=key)


def available(world) -> int:
    return HourAccount.objects.get(grantee=world.grantee).available_minutes


def alert_keys(world) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind="hour-alert").values_list("recipient__email", "key")
    )


def test_hour_alerts_go_out_once_per_threshold(world, django_capture_on_commit_callbacks):
    account_pk = HourAccount.objects.get(grantee=world.grantee).pk
    assert services.hour_alerts_sweep() == 0  # 97.5 of 100 hours left (1.5 used, 1 held)

    draw(world, available(world) - 1500, "to-25-hours")  # 25 hours left: a quarter
    with django_capture_on_commit_callbacks(execute=True):
        assert services.hour_alerts_sweep() == 2  # the lead and the TA admin
    assert services.hour_alerts_sweep() == 0  # a second run tells nobody again
    assert len(mail.outbox) == 2
    assert all("a quarter" in m.subject for m in mail.outbox)

    draw(world, 900, "to-10-hours")
    draw(world, 600, "to-zero")  # both thresholds crossed before the next sweep
    assert services.hour_alerts_sweep() == 2  # only the most severe: zero
    assert services.hour_alerts_sweep() == 0
    assert alert_keys(world) == sorted(
        (email, f"hour-account:{account_pk}:{code}")
        for email in ("lead@example.org", "ta-admin@example.org")
        for code in ("quarter", "zero")
    )


def test_a_notification_is_mailed_once_even_if_the_job_runs_twice(world):
    draw(world, available(world), "to-zero")
    services.hour_alerts_sweep()
    row = Notification.objects.filter(kind="hour-alert").first()
    mail.outbox.clear()
    assert send_notification(row.pk) is True
    assert send_notification(row.pk) is False
    assert len(mail.outbox) == 1

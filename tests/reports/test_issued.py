"""Issued quarterly reports: frozen figures, shown corrections, who may issue, once per quarter."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from grantees.models import Topic
from portal.services import ServiceError
from reports import periods, services
from reports.models import IssuedReport
from support_hours.services import session_record
from tests.world import MARKER

pytestmark = pytest.mark.django_db


def q(world, key):
    return periods.program_period(world.program, key)


def test_an_issued_report_never_changes_and_shows_later_corrections(world, client_for):
    issued = world.issued
    frozen = (issued.rows, issued.regions)
    # A session in the issued quarter recorded afterwards changes the live figures …
    session_record(
        actor=world.users["coach"],
        grantee=world.grantee,
        key="late-record",
        data={
            "started_at": datetime.datetime(2026, 8, 20, 17, tzinfo=datetime.UTC),
            "minutes": 60,
            "mode": "virtual",
            "topics": [Topic.objects.first()],
            "summary": "Recorded late",
        },
    )
    issued.refresh_from_db()
    assert (issued.rows, issued.regions) == frozen  # … never the issued ones
    page = (
        client_for("state")
        .get(f"/p/{world.program.slug}/reports/issued/{issued.pk}/")
        .content.decode()
    )
    assert "Corrected since it was issued" in page
    assert "Coaching sessions 0 → 1" in page
    csv_body = b"".join(
        client_for("ta_admin")
        .get(f"/p/{world.program.slug}/reports/issued/{issued.pk}/report.csv")
        .streaming_content
    ).decode()
    assert MARKER in csv_body and ",0," in csv_body


def test_only_state_admins_issue_an_ended_quarter_once(world):
    state, ta_admin = world.users["state"], world.users["ta_admin"]
    with pytest.raises(PermissionDenied):
        services.report_issue(actor=ta_admin, program=world.program, period=q(world, "q2"))
    with pytest.raises(PermissionDenied):
        services.report_issue(
            actor=world.users["other_state"], program=world.program, period=q(world, "q2")
        )
    q2 = q(world, "q2")
    with pytest.raises(ServiceError) as error:
        services.report_issue(actor=state, program=world.program, period=q2, today=q2.ends_on)
    assert "once it has ended" in error.value.messages[0]
    with pytest.raises(ServiceError) as error:
        services.report_issue(
            actor=state, program=world.program, period=q(world, "h1"), today=q2.ends_on
        )
    assert error.value.field == "period"
    with pytest.raises(ServiceError) as error:
        services.report_issue(
            actor=state, program=world.program, period=q(world, "q1"), today=q2.ends_on
        )
    assert "issued already" in error.value.messages[0]
    services.report_issue(
        actor=state, program=world.program, period=q2, today=q2.ends_on + timedelta(days=1)
    )
    assert IssuedReport.objects.filter(program=world.program).count() == 2


def test_issue_through_the_page(world, client_for):
    url = f"/p/{world.program.slug}/reports/issue/"
    response = client_for("state").post(url, {"period": "q1"}, follow=True)
    assert "This quarter&#x27;s report has been issued already." in response.content.decode()
    assert client_for("ta_admin").post(url, {"period": "q1"}).status_code == 403


def test_an_issued_report_with_other_columns_still_compares_what_it_has(world, client_for):
    issued = world.issued
    issued.header = [*issued.header[:-1], "A column dropped since"]
    issued.save()
    url = f"/p/{world.program.slug}/reports/issued/{issued.pk}/"
    assert client_for("state").get(url).status_code == 200

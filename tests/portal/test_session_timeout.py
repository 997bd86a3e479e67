"""Idle and absolute session limits: 3 hours idle for grantee staff, 30 minutes for staff who
see many grantees, 12 hours after signing in for everyone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.middleware import SessionTimeoutMiddleware as Timeout


def age_session(client, *, idle: int = 0, since_sign_in: int = 0) -> None:
    client.get("/")  # the first signed-in request stamps the session
    session = client.session
    now = int(timezone.now().timestamp())
    session[Timeout.SEEN_KEY] = now - idle
    session[Timeout.STARTED_KEY] = now - max(idle, since_sign_in)
    session.save()


@pytest.mark.parametrize(
    "role, idle, signed_out",
    [
        ("staff", 3 * 3600 - 60, False),
        ("staff", 3 * 3600 + 60, True),
        ("lead", 3 * 3600 + 60, True),
        ("coach", 29 * 60, False),
        ("coach", 31 * 60, True),
        ("ta_admin", 31 * 60, True),
        ("state", 31 * 60, True),
    ],
)
def test_idle_limit_by_role(world, client_for, role, idle, signed_out):
    client = client_for(role)
    age_session(client, idle=idle)
    response = client.get("/g/alpha/")
    if signed_out:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "You were signed out after" in page
    else:
        assert response.status_code == 200


def test_absolute_limit_applies_even_when_active(world, client_for):
    client = client_for("staff")
    age_session(client, idle=10, since_sign_in=12 * 3600 + 60)
    response = client.get("/g/alpha/")
    assert response.status_code == 302
    assert "12 hours after signing in" in client.get(response["Location"]).content.decode()


def test_activity_keeps_a_session_alive(world, client_for):
    client = client_for("coach")
    age_session(client, idle=25 * 60)
    assert client.get("/g/alpha/").status_code == 200  # 25 minutes idle: fine, and now seen
    session = client.session
    assert int(timezone.now().timestamp()) - session[Timeout.SEEN_KEY] < 5


def test_htmx_request_is_sent_to_sign_in(world, client_for):
    client = client_for("ta_admin")
    age_session(client, idle=3600)
    response = client.get("/g/alpha/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/login/")

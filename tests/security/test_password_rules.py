"""Password rules where people choose a password: accepting an invitation (the portal's sign-up)
and changing it. A password under 10 characters, or one on Django's list of common passwords,
is refused with a message on the password field, and nothing changes."""

from __future__ import annotations

import html

import pytest

from grantees.models import User
from tests.factories import PASSWORD, make_invitation

SHORT = "Tq7#wLm2x"  # 9 characters: fine by Django's default of 8, not by the portal's 10
COMMON = "basketball"  # 10 characters, on the common-password list
BAD_PASSWORDS = [
    pytest.param(
        SHORT, "This password is too short. It must contain at least 10 characters.", id="short"
    ),
    pytest.param(COMMON, "This password is too common.", id="common"),
]
GOOD = "a-long-and-unusual-passphrase-4"


def assert_field_message(response, message: str) -> None:
    assert response.status_code == 200, response.status_code
    errors = response.context["form"].errors
    assert message in errors.get("password1", []), dict(errors)
    assert html.escape(message) in response.content.decode()  # shown, not only collected


@pytest.mark.parametrize(("password", "message"), BAD_PASSWORDS)
def test_accepting_an_invitation_refuses_a_weak_password(world, client, password, message):
    _, token = make_invitation(grantee=world.grantee, email="newcomer@example.org")
    data = {"full_name": "New Comer", "password1": password, "password2": password}
    response = client.post(f"/invitations/{token}/", data)
    assert_field_message(response, message)
    assert not User.objects.filter(email="newcomer@example.org").exists()

    response = client.post(f"/invitations/{token}/", {**data, "password1": GOOD, "password2": GOOD})
    assert response.status_code == 302
    assert User.objects.get(email="newcomer@example.org").check_password(GOOD)


@pytest.mark.parametrize(("password", "message"), BAD_PASSWORDS)
def test_changing_the_password_refuses_a_weak_one(world, client, password, message):
    client.login(email="staff@example.org", password=PASSWORD)
    data = {"oldpassword": PASSWORD, "password1": password, "password2": password}
    response = client.post("/accounts/password/change/", data)
    assert_field_message(response, message)
    staff = User.objects.get(email="staff@example.org")
    assert staff.check_password(PASSWORD) and not staff.check_password(password)

    response = client.post(
        "/accounts/password/change/", {**data, "password1": GOOD, "password2": GOOD}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(GOOD)

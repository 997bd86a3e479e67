"""Sign-in by e-mail (no usernames), rate limits, password reset by e-mail, closed signup."""

import re

from django.core.cache import cache

from tests.factories import PASSWORD


def test_sign_in_is_by_email_case_insensitively(world, client):
    response = client.post("/accounts/login/", {"login": "Lead@Example.org", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 302


def test_repeated_failures_are_rate_limited(world, client):
    cache.clear()
    for _ in range(5):
        client.post("/accounts/login/", {"login": "lead@example.org", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 200 and b"Too many failed login attempts" in response.content
    cache.clear()


def test_password_reset_by_email(world, client, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "staff@example.org"})
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mailoutbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    # allauth moves the key into the session and redirects to the set-password form.
    opened = client.get(path, follow=True)
    form_url = opened.redirect_chain[-1][0] if opened.redirect_chain else path
    response = client.post(
        form_url, {"password1": "brand-new-passphrase-7", "password2": "brand-new-passphrase-7"}
    )
    assert response.status_code == 302
    assert client.login(email="staff@example.org", password="brand-new-passphrase-7")


def test_public_signup_is_closed(db, client):
    response = client.get("/accounts/signup/")
    assert b"Accounts are by invitation" in response.content

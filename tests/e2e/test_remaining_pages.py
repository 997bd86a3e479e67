"""The remaining pages, each reached in the browser and scanned by axe."""

from tests.e2e.conftest import sign_in_browser, visit
from tests.factories import PASSWORD, UserFactory


def test_ta_admin_pages(page, world):
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, "/p/pathways-one/invite/", "program-invite")
    visit(page, "/p/pathways-one/", "program-overview-ta-admin")
    visit(page, "/accounts/2fa/", "mfa-index")
    visit(page, "/accounts/password/change/", "password-change")
    visit(page, "/accounts/sessions/", "sessions")


def test_error_pages(page, world):
    sign_in_browser(page, world, "staff", PASSWORD)
    visit(page, "/g/bravo/", "not-found", status=404)
    visit(page, "/g/alpha/profile/", "forbidden", status=403)


def test_invalid_invitation_and_no_role_pages(page, world):
    visit(page, "/invitations/not-a-real-token/", "invitation-invalid", status=404)
    visit(page, "/accounts/signup/", "signup-closed")
    UserFactory(email="nobody@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    visit(page, "/", "no-role")

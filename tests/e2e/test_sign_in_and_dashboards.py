"""Each role signs in through the real sign-in page and lands on its dashboard; axe scans each."""

import re

import pytest

from tests.e2e.conftest import scan, sign_in_browser, visit
from tests.factories import PASSWORD

LANDING = {
    "lead": ("/g/alpha/", "Alpha"),
    "staff": ("/g/alpha/", "Alpha"),
    "other_staff": ("/g/bravo/", "Bravo Consortium"),
    "coach": ("/coach/", "My grantees"),
    "other_coach": ("/coach/", "My grantees"),
    "state": ("/p/pathways-one/", "Pathways One"),
    "ta_admin": ("/ta/", "TA admin"),
}


def test_sign_in_page_is_accessible(page):
    visit(page, "/accounts/login/", "sign-in")
    visit(page, "/accounts/password/reset/", "password-reset")


@pytest.mark.parametrize("role", list(LANDING))
def test_role_signs_in_and_lands_on_its_dashboard(page, world, role):
    sign_in_browser(page, world, role, PASSWORD)
    path, heading = LANDING[role]
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    assert heading in page.get_by_role("heading", level=1).inner_text()
    scan(page, f"dashboard-{role}")


def test_wrong_password_is_refused_with_a_message(page, world):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("lead@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text(re.compile("not correct", re.I)).count() >= 1
    scan(page, "sign-in-error")


def test_state_admin_sees_grantees_grouped_by_region(page, world):
    sign_in_browser(page, world, "state", PASSWORD)
    page.wait_for_url(re.compile("/p/pathways-one/$"))
    regions = page.locator("section.portal-region h2").all_inner_texts()
    assert len(regions) == 8
    assert page.get_by_role("link", name=re.compile("Bravo Consortium")).count() == 1


def test_sign_out_ends_the_session(page, world):
    sign_in_browser(page, world, "staff", PASSWORD)
    page.wait_for_url(re.compile("/g/alpha/$"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/accounts/login/"))
    page.goto("/g/alpha/")
    assert "/accounts/login/" in page.url

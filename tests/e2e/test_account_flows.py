"""MFA enrollment, invitation acceptance, profile editing, invitations, coaches and deactivation."""

import re

from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from grantees.models import Grantee, Membership, User
from tests.e2e.conftest import scan, sign_in_browser, totp_code, visit
from tests.factories import (
    PASSWORD,
    CoachAssignmentFactory,
    CoachProfileFactory,
    UserFactory,
    make_invitation,
)


def test_coach_must_enroll_in_mfa_before_anything_else(page, world):
    coach = UserFactory(email="new-coach@example.org", full_name="Nia Coach")
    CoachProfileFactory(user=coach)
    CoachAssignmentFactory(coach=coach, grantee=world.grantee)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(coach.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile("/accounts/2fa/totp/activate/"))
    scan(page, "mfa-enrollment")

    page.goto("/g/alpha/")  # anything else sends the coach back to enrollment
    assert "/accounts/2fa/totp/activate/" in page.url

    secret = page.locator("#authenticator_secret, input[name=secret], code").first
    secret_text = (
        secret.input_value()
        if secret.evaluate("e => e.tagName") == "INPUT"
        else secret.inner_text()
    )
    secret_text = secret_text.strip().replace(" ", "")
    page.get_by_label(re.compile("Authenticator code", re.I)).fill(totp_code(secret_text))
    page.get_by_role("button", name=re.compile("Activate", re.I)).click()
    # The activate page is already loaded: wait until the POST has moved us off it, or the
    # assertion below can run before the server has saved the authenticator.
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    assert Authenticator.objects.filter(user=coach, type="totp").exists()
    scan(page, "mfa-enrolled")

    page.goto("/")
    page.wait_for_url(re.compile("/coach/$"))
    assert page.get_by_role("link", name=re.compile("Alpha")).count() == 1


def test_invitee_creates_account_and_joins_the_grantee(page, world):
    _invitation, token = make_invitation(
        grantee=world.grantee, email="rosa@example.org", full_name="Rosa Delgado"
    )
    visit(page, f"/invitations/{token}/", "invitation-accept")
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Repeat the password").fill("different")
    page.get_by_role("button", name=re.compile("Create account")).click()
    assert page.locator(".usa-error-message").count() >= 1
    scan(page, "invitation-accept-errors")
    assert not User.objects.filter(email="rosa@example.org").exists()

    page.get_by_label("Choose a password").fill("a-long-enough-passphrase-42")
    page.get_by_label("Repeat the password").fill("a-long-enough-passphrase-42")
    page.get_by_role("button", name=re.compile("Create account")).click()
    page.wait_for_url(re.compile("/g/alpha/$"))
    assert page.get_by_text("Welcome to").count() == 1
    assert Membership.objects.filter(user__email="rosa@example.org", grantee=world.grantee).exists()

    visit(page, f"/invitations/{token}/", "invitation-used", status=410)  # single use
    assert "no longer open" in page.content()


def test_lead_edits_profile_and_sees_field_level_errors(page, world):
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, "/g/alpha/profile/", "profile-edit")
    page.get_by_label("Contact phone").fill("12")
    page.get_by_label("Consortium name").fill("A")
    page.get_by_role("button", name="Save profile").click()
    assert page.locator("#id_contact_phone_error").inner_text().startswith("Enter a phone number")
    assert page.locator("#id_name_error").count() == 1
    assert page.get_by_label("Contact phone").get_attribute("aria-invalid") == "true"
    scan(page, "profile-edit-errors")
    assert Grantee.objects.get(pk=world.grantee.pk).contact_phone == ""  # nothing half-saved

    page.get_by_label("Consortium name").fill("Alpha Valley Consortium")
    page.get_by_label("Contact phone").fill("(916) 555-0123")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile("/g/alpha/$"))
    assert page.get_by_text("Profile saved.").count() == 1
    # Target occupations moved to the workspace's priority occupations (with a rationale).
    assert "Medical Assistants" in page.content()
    grantee = Grantee.objects.get(pk=world.grantee.pk)
    assert grantee.name == "Alpha Valley Consortium" and grantee.contact_phone == "(916) 555-0123"


def test_lead_invites_a_colleague(page, world, mailoutbox):
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, "/g/alpha/team/invite/", "invite")
    page.get_by_label("Name").fill("Kim Lee")
    page.get_by_label("E-mail address").fill("kim.lee@example.org")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url(re.compile("/g/alpha/$"))
    assert page.get_by_text("Invitation sent to kim.lee@example.org.").count() == 1
    assert "kim.lee@example.org" in page.locator("#invitations-heading + *").inner_text()


def test_ta_admin_assigns_coach_searches_people_and_deactivates(page, browser, live_server, world):
    spare = CoachProfileFactory(user=UserFactory(full_name="Spare Coach")).user
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, "/g/alpha/coaches/", "coaches")
    page.get_by_label("Coach").select_option(label=spare.full_name)
    page.get_by_role("button", name="Assign", exact=True).click()
    assert page.get_by_text("Spare Coach now coaches").count() == 1

    # The staff member has a session of their own in another browser.
    staff_context = browser.new_context(base_url=live_server.url)
    staff_page = staff_context.new_page()
    sign_in_browser(staff_page, world, "staff", PASSWORD)
    staff_page.wait_for_url(re.compile("/g/alpha/$"))

    visit(page, "/p/pathways-one/people/", "people")
    page.get_by_label("Search people by name or e-mail").fill("Staff zq-alpha")
    expect(page.locator("#people-results tbody tr")).to_have_count(1)  # live results (HTMX)
    assert "q=Staff" in page.url  # the search is in the URL (shareable, back button works)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Deactivate")).click()
    page.wait_for_load_state()
    assert page.get_by_text("signed out everywhere").count() == 1
    scan(page, "people-after-deactivate")

    staff_page.goto("/g/alpha/")
    assert "/accounts/login/" in staff_page.url  # the session ended
    staff_context.close()

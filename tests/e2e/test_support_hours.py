"""Support hours in the browser: recording a session, the hour page, requests, disputes."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from support_hours.models import CoachingSession, HourAccount, SupportRequest
from tests.e2e.conftest import scan, sign_in_browser, tick, visit
from tests.factories import PASSWORD
from tests.world import INTERNAL_MARKER


def available_hours(world) -> float:
    return HourAccount.objects.get(grantee=world.grantee).available_minutes / 60


def test_coach_records_a_90_minute_session_and_the_grantee_sees_it(browser, live_server, world):
    before = available_hours(world)
    coach_context = browser.new_context(base_url=live_server.url)
    coach = coach_context.new_page()
    sign_in_browser(coach, world, "coach", PASSWORD)
    visit(coach, "/g/alpha/sessions/new/", "session-new")

    # First a mistake: no summary and no topic → field-level errors, nothing saved.
    coach.get_by_role("button", name="Record session").click()
    expect(coach.locator("#id_summary_error")).to_be_visible()
    expect(coach.locator("#id_topics_error")).to_be_visible()
    scan(coach, "session-new-errors")

    yesterday = timezone.localdate() - timedelta(days=1)
    coach.get_by_label("Date").fill(yesterday.isoformat())
    coach.get_by_label("Start time").fill("10:00")
    coach.get_by_label("Duration").select_option("90")
    tick(coach, "Phone")
    tick(coach, "Integrated Education and Training (IET)")
    tick(coach, re.compile("^Lead "))
    coach.get_by_label("Summary").fill("Agreed shared learning outcomes for the CNA IET.")
    coach.get_by_label(re.compile("^TA plan goal")).select_option(label=world.goal.title)
    coach.get_by_label("Internal notes").fill(f"Watch staffing {INTERNAL_MARKER}")
    coach.locator("#id_items-0-description").fill("Draft the shared outcomes")
    coach.locator("#id_items-0-owner").fill("Lead")
    coach.get_by_role("button", name="Record session").click()
    expect(coach.get_by_text("Session recorded; 1.5 hours drawn")).to_be_visible()
    scan(coach, "session-detail-coach")
    expect(coach.get_by_text(INTERNAL_MARKER, exact=False)).to_be_visible()
    # Recorded against a goal of the TA plan: the plan counts it.
    coach.get_by_role("link", name=world.goal.title).click()
    goal = coach.locator(f"#goal-{world.goal.pk}")
    expect(goal).to_contain_text("Coaching: 1 session, 1.5 hours")
    coach_context.close()

    assert available_hours(world) == before - 1.5
    session = CoachingSession.objects.filter(grantee=world.grantee).order_by("-pk").first()

    lead_context = browser.new_context(base_url=live_server.url)
    lead = lead_context.new_page()
    sign_in_browser(lead, world, "lead", PASSWORD)
    visit(lead, "/g/alpha/hours/", "hours-lead")
    expect(lead.locator(".portal-card--accent .portal-stat")).to_have_text(f"{before - 1.5:g}")
    lead.get_by_role("link", name=re.compile("Session of")).first.click()
    expect(lead.get_by_text("Agreed shared learning outcomes for the CNA IET.")).to_be_visible()
    assert INTERNAL_MARKER not in lead.content()
    scan(lead, "session-detail-lead")

    # The lead disputes it; the dispute form validates first.
    lead.get_by_role("link", name="Something is wrong").click()
    lead.get_by_role("button", name="Send dispute").click()
    expect(lead.locator("#id_comment_error")).to_be_visible()
    scan(lead, "session-dispute-errors")
    lead.get_by_label("What is wrong with this record?").fill("We stopped after an hour.")
    lead.get_by_role("button", name="Send dispute").click()
    expect(lead.get_by_text("Dispute sent to your TA admin.")).to_be_visible()
    lead_context.close()
    assert CoachingSession.objects.get(pk=session.pk).status == "disputed"


def test_staff_requests_support_and_ta_admin_matches_a_coach(browser, live_server, world):
    staff_context = browser.new_context(base_url=live_server.url)
    staff = staff_context.new_page()
    sign_in_browser(staff, world, "staff", PASSWORD)
    visit(staff, "/g/alpha/requests/", "requests-staff")
    staff.get_by_role("link", name="Request support").click()
    staff.get_by_role("button", name="Send request").click()
    expect(staff.locator("#id_title_error")).to_be_visible()
    scan(staff, "request-new-errors")
    staff.get_by_label("Short title").fill("Employer advisory committee")
    staff.get_by_label("Main topic").select_option(label="Employer engagement")
    staff.get_by_label("What you need").fill("We need help recruiting two hospital employers.")
    tick(staff, "Urgent (this week)")
    staff.get_by_role("button", name="Send request").click()
    expect(staff.get_by_role("heading", name="Employer advisory committee")).to_be_visible()
    scan(staff, "request-detail-staff")
    staff_context.close()

    request = SupportRequest.objects.get(title="Employer advisory committee")
    admin_context = browser.new_context(base_url=live_server.url)
    admin = admin_context.new_page()
    sign_in_browser(admin, world, "ta_admin", PASSWORD)
    visit(admin, "/p/pathways-one/requests/", "program-requests")
    admin.get_by_label("Show").select_option("submitted")
    # The filter lands in the address (for links and the back button), then the rows swap in.
    admin.wait_for_url(re.compile(r"status=submitted"))
    expect(admin.locator("#results")).to_contain_text("Employer advisory committee")
    expect(admin.locator("#results")).not_to_contain_text("Help with clinical placements")
    admin.get_by_role("link", name="Employer advisory committee").click()
    expect(admin.get_by_role("heading", name="Match with a coach")).to_be_visible()
    scan(admin, "request-detail-ta-admin")
    admin.get_by_label("Coach", exact=True).select_option(label=world.users["coach"].full_name)
    admin.get_by_role("button", name="Match and notify").click()
    expect(admin.get_by_text("both have been told")).to_be_visible()
    request.refresh_from_db()
    assert request.status == "matched" and request.assigned_coach == world.users["coach"]

    visit(admin, "/p/pathways-one/hours/", "program-hours")
    visit(admin, "/g/alpha/hours/adjust/", "hours-adjust")
    admin.get_by_label("Hours to add or remove").fill("-500")
    admin.get_by_label("Reason", exact=True).fill("Correction")
    admin.get_by_role("button", name="Post adjustment").click()
    expect(admin.locator("#id_override_reason_error")).to_be_visible()
    scan(admin, "hours-adjust-errors")
    visit(admin, "/g/alpha/hours/allocate/", "hours-allocate")
    visit(admin, "/g/alpha/sessions/", "sessions-ta-admin")
    visit(admin, f"/g/alpha/sessions/{world.session.pk}/edit/", "session-edit")
    admin_context.close()


def test_lead_confirms_and_updates_an_action_item(page, world):
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, "/g/alpha/", "grantee-dashboard-support")
    visit(page, f"/g/alpha/sessions/{world.session.pk}/", "session-detail-confirm")
    select = page.locator("select[name=status]").first
    select.select_option("done")
    page.get_by_role("button", name="Update").first.click()
    # HTMX swapped the item in place and kept focus on its control.
    expect(page.locator("select[name=status]").first).to_be_focused()
    assert world.session.action_items.get().status == "done"
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("the session is confirmed")).to_be_visible()
    scan(page, "session-confirmed")


def test_coach_and_state_admin_pages(browser, live_server, world):
    for role, paths in (
        (
            "coach",
            ["/coach/", "/g/alpha/requests/", f"/g/alpha/requests/{world.support_request.pk}/"],
        ),
        ("state", ["/p/pathways-one/hours/", "/g/alpha/hours/", "/g/alpha/sessions/"]),
    ):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        sign_in_browser(page, world, role, PASSWORD)
        for i, path in enumerate(paths):
            visit(page, path, f"{role}-support-{i}")
        context.close()

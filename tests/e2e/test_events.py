"""Events in the browser: announce (errors first), register, the waiting list and promotion."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, Registration
from tests.e2e.conftest import scan, sign_in_browser, tick, visit
from tests.factories import PASSWORD
from tests.world import EVENT_LINK_MARKER


def test_staff_register_cancel_and_the_waiting_person_is_promoted(browser, live_server, world):
    # The webinar has 3 seats; A's staff and B's staff hold two. The lead takes the last one.
    lead_context = browser.new_context(base_url=live_server.url)
    lead = lead_context.new_page()
    sign_in_browser(lead, world, "lead", PASSWORD)
    visit(lead, "/g/alpha/events/", "events-list")
    lead.get_by_label("Kind").select_option("webinar")
    expect(lead).to_have_url(re.compile("kind=webinar"))
    lead.get_by_role("link", name="See the month calendar").click()
    scan(lead, "events-calendar")
    lead.get_by_role("link", name=re.compile("^Next month")).click()
    lead.get_by_role("link", name=re.compile("^Previous month")).click()
    visit(lead, f"/g/alpha/events/{world.event.pk}/", "event-detail-lead")
    expect(lead.get_by_text(EVENT_LINK_MARKER)).to_have_count(0)
    lead.get_by_label("Who is coming?").select_option(label=world.users["lead"].full_name)
    lead.get_by_label("Accessibility or dietary needs").fill("Step-free access")
    lead.get_by_role("button", name="Register").click()
    expect(lead.get_by_text("Registered. The calendar invite is on its way.")).to_be_visible()
    expect(lead.get_by_text(re.compile(EVENT_LINK_MARKER)).first).to_be_visible()
    scan(lead, "event-detail-registered")
    lead_context.close()

    # B's staff member tries a second seat for a colleague? No: B's other staff is registered;
    # a new B colleague joins the waiting list through the page.
    from tests.factories import MembershipFactory, UserFactory

    newcomer = UserFactory(email="newcomer@example.org", full_name="Nadia Newcomer")
    MembershipFactory(user=newcomer, grantee=world.other_grantee)
    world.users["newcomer"] = newcomer
    b_context = browser.new_context(base_url=live_server.url)
    b_page = b_context.new_page()
    sign_in_browser(b_page, world, "newcomer", PASSWORD)
    visit(b_page, f"/g/bravo/events/{world.event.pk}/", "event-detail-full")
    b_page.get_by_role("button", name="Register").click()
    expect(b_page.get_by_text(re.compile("on the waiting list at place 1"))).to_be_visible()
    scan(b_page, "event-detail-waitlisted")

    # A's staff cancels: the seat goes to the newcomer at once.
    staff_context = browser.new_context(base_url=live_server.url)
    staff = staff_context.new_page()
    sign_in_browser(staff, world, "staff", PASSWORD)
    visit(staff, f"/g/alpha/events/{world.event.pk}/", "event-detail-staff")
    staff.get_by_role("button", name=re.compile("^Cancel")).click()
    expect(
        staff.get_by_text("Cancelled. The seat goes to the next person waiting.")
    ).to_be_visible()
    staff_context.close()

    b_page.reload()
    expect(b_page.get_by_text("Confirmed").first).to_be_visible()
    expect(b_page.get_by_text(re.compile(EVENT_LINK_MARKER)).first).to_be_visible()
    b_context.close()
    assert Registration.objects.get(person=newcomer).status == "confirmed"


def test_ta_admin_announces_an_event_and_sees_the_roster(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, f"/p/{world.program.slug}/events/", "program-events")
    page.get_by_role("link", name="Announce an event").click()
    page.get_by_role("button", name="Announce event").click()
    expect(page.locator("#id_title_error")).to_be_visible()
    scan(page, "event-new-errors")
    day = timezone.localdate() + timedelta(days=45)
    page.get_by_label("Kind").select_option("regional_training")
    page.get_by_label("Title").fill("Bay Area regional training")
    page.locator("label").filter(has_text=re.compile("^In person$")).click()
    page.get_by_label("Venue").fill("Oakland Adult and Career Education")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Starts").fill("09:00")
    page.get_by_label("Ends").fill("15:30")
    page.get_by_label("Capacity").fill("60")
    page.get_by_label("Seats per grantee").fill("4")
    page.get_by_label("Registration closes on").fill((day - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Announce event").click()
    expect(page.get_by_text("is announced to the program")).to_be_visible()
    scan(page, "program-event-roster-empty")
    assert Event.objects.filter(title="Bay Area regional training").exists()
    visit(page, f"/p/{world.program.slug}/events/{world.event.pk}/", "program-event-roster")
    expect(page.get_by_text(re.compile("Captions please"))).to_be_visible()

    page.get_by_role("link", name="Edit").click()
    scan(page, "event-edit")
    page.get_by_label("Starts").fill("10:00")
    page.get_by_label("Ends").fill("09:00")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#id_end_time_error")).to_have_text("The end must be after the start.")
    scan(page, "event-edit-errors")
    page.get_by_label("Ends").fill("11:30")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text(re.compile("everyone registered was told"))).to_be_visible()
    world.event.refresh_from_db()
    assert world.event.sequence == 1

    page.get_by_role("link", name="Cancel event").click()
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.locator("#id_reason_error")).to_be_visible()
    scan(page, "event-cancel-errors")
    page.get_by_label("Why is it cancelled?").fill("The presenter is ill")
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_text("Event cancelled; 2 people were told.")).to_be_visible()
    scan(page, "program-event-cancelled")
    context.close()


def test_an_organizer_checks_people_in_on_a_tablet(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    sign_in_browser(page, world, "coach", PASSWORD)
    visit(page, "/coach/", "coach-dashboard-events")
    page.get_by_role("link", name=f"Check-in for {world.event.title}").click()
    scan(page, "event-check-in-tablet")
    page.get_by_label("Find a person or consortium").fill("Omar")
    expect(page.locator("strong", has_text="Other Omar")).to_be_visible()
    expect(page.locator("strong", has_text=re.compile("^Staff "))).to_have_count(0)
    page.get_by_role("button", name="Check in Other Omar").click()
    expect(page.get_by_text(re.compile("^Arrived"))).to_be_visible()
    scan(page, "event-check-in-arrived")
    assert Registration.objects.get(pk=world.other_registration.pk).checked_in_at is not None
    page.get_by_role("button", name="Undo check-in of Other Omar").click()
    expect(page.get_by_role("button", name="Check in Other Omar")).to_be_visible()
    assert Registration.objects.get(pk=world.other_registration.pk).checked_in_at is None
    context.close()


def test_an_attendee_rates_the_event_and_the_ta_admin_reads_the_summary(
    browser, live_server, world
):
    from events import services

    event = world.event
    event.ends_at = timezone.now() - timedelta(minutes=5)
    event.starts_at = event.ends_at - timedelta(hours=1)
    event.registration_opens_at = event.starts_at - timedelta(days=3)
    event.registration_closes_at = event.starts_at
    event.save()
    event.agenda.update(starts_at=event.starts_at, ends_at=event.ends_at)
    services.registration_check_in(actor=world.users["ta_admin"], registration=world.registration)
    services.feedback_request_send(actor=world.users["ta_admin"], event=event)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "staff", PASSWORD)
    visit(page, f"/g/alpha/events/{event.pk}/", "event-detail-after")
    page.get_by_role("link", name="Rate this event").click()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("#id_rating_error")).to_be_visible()
    scan(page, "event-feedback-errors")
    page.locator("label").filter(has_text=re.compile("^4$")).click()
    page.get_by_label("What should we keep or change?").fill("More employer voices")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    context.close()

    admin_context = browser.new_context(base_url=live_server.url)
    admin = admin_context.new_page()
    sign_in_browser(admin, world, "ta_admin", PASSWORD)
    visit(admin, f"/p/{world.program.slug}/events/{event.pk}/", "program-event-feedback")
    expect(admin.get_by_text("More employer voices")).to_be_visible()
    admin.locator("summary", has_text="Add to the agenda").click()
    admin.get_by_role("button", name="Add to the agenda").click()
    expect(admin.locator("#id_agenda-title_error")).to_be_visible()
    scan(admin, "program-event-agenda-errors")
    admin_context.close()


def test_an_organizer_adds_a_walk_in_at_the_door(browser, live_server, world):
    event = world.event
    event.starts_at = timezone.now() - timedelta(minutes=20)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.registration_opens_at = event.starts_at - timedelta(days=3)
    event.registration_closes_at = event.starts_at
    event.save()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    sign_in_browser(page, world, "coach", PASSWORD)
    visit(page, f"/p/{world.program.slug}/events/{event.pk}/check-in/", "event-check-in-walk-in")
    page.get_by_role("button", name="Add and check in").click()
    expect(page.locator("#id_walk-in-full_name_error")).to_be_visible()
    expect(page.locator("#id_walk-in-grantee_error")).to_be_visible()
    scan(page, "event-walk-in-errors")
    page.get_by_label("Name", exact=True).fill("Rosa Diaz")
    page.get_by_label("Consortium", exact=True).select_option(label=world.grantee.name)
    page.get_by_role("button", name="Add and check in").click()
    expect(page.get_by_text("Rosa Diaz added as a walk-in and checked in.")).to_be_visible()
    expect(page.locator("#attendees").get_by_text("Walk-in")).to_be_visible()
    scan(page, "event-walk-in-added")
    assert Registration.objects.get(walk_in_name="Rosa Diaz").checked_in_at is not None
    context.close()


def test_a_lead_registers_for_a_whole_series_and_sees_the_record(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, "/g/alpha/events/", "events-list-series")
    page.get_by_role("link", name=world.event_series.title).first.click()
    scan(page, "event-series")
    page.get_by_role("button", name="Register for every session").click()
    expect(page.get_by_text(re.compile("^Registered for the series: 1 session"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Leave the series"))).to_have_count(2)
    scan(page, "event-series-registered")
    visit(page, "/g/alpha/events/record/", "event-record")
    expect(page.get_by_role("cell", name=world.users["lead"].full_name)).to_be_visible()
    context.close()


def test_a_ta_admin_sets_up_a_series(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, f"/p/{world.program.slug}/events/", "program-events-series")
    page.get_by_role("link", name="New series").click()
    page.get_by_role("button", name="Save series").click()
    expect(page.locator("#id_title_error")).to_be_visible()
    scan(page, "event-series-form-errors")
    page.get_by_label("Title").fill("Webinars 2027")
    page.get_by_text("Register for each session").click()
    page.get_by_role("button", name="Save series").click()
    expect(page.get_by_text("Series “Webinars 2027” saved.")).to_be_visible()
    expect(page.get_by_text(re.compile("Webinars 2027 — 0 sessions"))).to_be_visible()
    context.close()


def test_a_ta_admin_uploads_slides_and_a_seated_person_opens_them(
    browser, live_server, world, tmp_path
):
    from portal.demo_files import text_pdf

    deck = tmp_path / "Employer panel.pdf"
    deck.write_bytes(text_pdf("Employer panel", ["Hiring English learners into healthcare."]))
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, f"/p/{world.program.slug}/events/{world.event.pk}/", "program-event-materials")
    page.get_by_text("Add a material").click()
    page.get_by_label("Title").last.fill("Employer panel deck")
    tick(page, "Slides")
    page.locator("#id_material-file").set_input_files(str(deck))
    page.get_by_role("button", name="Add material").click()
    expect(page.get_by_text(re.compile("Filed in the library"))).to_be_visible()
    materials = page.locator("#materials")
    expect(materials.get_by_role("link", name="Employer panel deck")).to_be_visible()
    expect(materials.get_by_role("link", name="in the library").last).to_be_visible()
    scan(page, "program-event-material-added")
    visit(page, f"/p/{world.program.slug}/events/", "program-events-grouped")
    expect(
        page.get_by_role("rowheader", name=re.compile("Series: Community of practice"))
    ).to_be_visible()
    context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_browser(page, world, "staff", PASSWORD)
    visit(page, f"/g/alpha/events/{world.event.pk}/", "event-detail-materials")
    link = page.get_by_role("link", name="Employer panel deck")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    context.close()

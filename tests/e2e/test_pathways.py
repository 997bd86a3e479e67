"""Pathway concepts in the browser: a lead drafts a pathway with steps and an entry point, the
coach comments on a step (HTMX), the lead replies, freezes version 1 and exports the student map
in English and Spanish; axe on every page reached."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from pathways.models import PathwayConcept, PathwayStep, StepComment
from tests.e2e.conftest import scan, sign_in_browser, tick, visit
from tests.factories import PASSWORD
from tests.pathways.helpers import pdf_text


def add_step(page, kind: str, title: str, duration: str, partner: str | None = None) -> None:
    page.get_by_role("link", name="Add a step").click()
    page.get_by_label("Kind of step").select_option(label=kind)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label(re.compile(r"^Duration \(optional\)")).fill(duration)
    if partner:
        tick(page, partner)
    page.get_by_role("button", name="Save the step").click()
    expect(
        page.get_by_role("heading", name=re.compile(f"^Step \\d+: {re.escape(title)}$"))
    ).to_be_visible()


def test_lead_drafts_coach_comments_lead_exports_the_map(page, world, browser, live_server):
    slug = world.grantee.slug
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, f"/g/{slug}/pathways/", "pathways-list")
    page.get_by_role("link", name="Draft a pathway").click()
    page.get_by_role("button", name="Start the draft").click()
    expect(page.locator("#id_title_error")).to_contain_text("required")
    scan(page, "pathway-new-errors")
    page.get_by_label("Title", exact=True).fill("CNA bridge to LVN")
    tick(page, "Bridge program")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_text("Version 1 is your working draft")).to_be_visible()
    scan(page, "pathway-detail-empty")

    # Steps: a course with the grantee's partner beside it, then the credential.
    page.get_by_role("link", name="Add a step").click()
    scan(page, "pathway-step-form")
    page.go_back()
    add_step(page, "Course", "Pre-CNA VESL bridge", "8 weeks", partner=world.partner.name)
    add_step(page, "Credential", "CNA certificate", "1 exam day")
    page.get_by_role("link", name="Remove step 2, CNA certificate").click()
    expect(page.get_by_role("heading", name="Remove “CNA certificate”?")).to_be_visible()
    scan(page, "pathway-step-remove")
    page.get_by_role("link", name="Keep it").click()
    page.get_by_role("link", name="Edit the pathway").click()
    tick(page, re.compile("^Medical Assistants.*your priority occupation"))
    page.get_by_label(re.compile(r"^Title in Spanish")).fill("Puente de CNA a LVN")
    page.get_by_label(re.compile(r"^Summary in Spanish")).fill("Un puente hacia la enfermería.")
    scan(page, "pathway-edit")
    page.get_by_role("button", name="Save the pathway").click()
    expect(page.get_by_text("Pathway saved.")).to_be_visible()

    # An entry point: learners at NRS ESL level 4 start in the bridge.
    page.get_by_role("link", name="Set entry points").click()
    page.get_by_label("Starts at (level 4)").select_option(label="Step 1: Pre-CNA VESL bridge")
    page.get_by_label("Note (level 4) (optional)").fill("CASAS reading 211 or more")
    scan(page, "pathway-entry-points")
    page.get_by_role("button", name="Save entry points").click()
    expect(page.get_by_text("Entry points saved.")).to_be_visible()
    expect(page.locator("#entry-points")).to_contain_text("CASAS reading 211 or more")
    scan(page, "pathway-detail-lead")
    concept = PathwayConcept.objects.get(title="CNA bridge to LVN")
    assert concept.title_es == "Puente de CNA a LVN"
    detail = f"/g/{slug}/pathways/{concept.pk}/"

    # The coach comments on the first step, in place.
    coach_context = browser.new_context(base_url=live_server.url)
    coach = coach_context.new_page()
    sign_in_browser(coach, world, "coach", PASSWORD)
    visit(coach, detail, "pathway-detail-coach")
    expect(coach.get_by_role("link", name="Edit the pathway")).to_have_count(0)
    coach.get_by_label("Comment on step Pre-CNA VESL bridge").fill("Name the CASAS test form.")
    coach.get_by_role("button", name="Add comment").first.click()
    thread = coach.locator(".portal-step-comments").first
    expect(thread).to_contain_text("Name the CASAS test form.")
    expect(thread).to_contain_text("on version 1")
    assert coach.url.endswith(detail)  # swapped in place, no page load
    scan(coach, "pathway-comment-added")
    coach_context.close()
    step = PathwayStep.objects.get(title="Pre-CNA VESL bridge")
    assert StepComment.objects.get(step_key=step.key).author == world.users["coach"]

    # The lead sees it, replies, freezes version 1 and exports the map in both languages.
    visit(page, detail, "pathway-detail-with-comment")
    expect(page.get_by_text("Name the CASAS test form.")).to_be_visible()
    page.get_by_label("Reply or note on step Pre-CNA VESL bridge").fill("CASAS reading, form 85.")
    page.get_by_role("button", name="Reply").first.click()
    expect(page.locator(".portal-step-comments").first).to_contain_text("form 85")
    page.get_by_label(re.compile("^What changes in the new version")).fill("After review")
    page.get_by_role("button", name="Freeze version 1 and start version 2").click()
    expect(page.get_by_text("version 2 is your working draft")).to_be_visible()
    scan(page, "pathway-version-2")
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_text("it is read-only here")).to_be_visible()
    expect(page.get_by_text("Name the CASAS test form.")).to_be_visible()
    scan(page, "pathway-version-1")
    for name, label, title in (
        ("English", "Where you can start", "CNA bridge to LVN"),
        ("Español", "Dónde puedes empezar", "Puente de CNA a LVN"),  # the Spanish title
    ):
        href = page.get_by_role("link", name=re.compile(f"^{name}")).get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("attachment")
        assert response.body().startswith(b"%PDF")
        text = pdf_text(response.body())
        assert label in text or label.upper() in text
        assert title in text
    visit(page, f"/g/{slug}/pathways/", "pathways-list-after")
    expect(page.get_by_role("rowheader", name="CNA bridge to LVN")).to_be_visible()

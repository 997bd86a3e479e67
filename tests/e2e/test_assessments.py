"""Needs assessments in the browser: the lead's self-assessment, the coach's autosaving
interview with a conflict, finalizing, the lead reading the result, a TA admin's instrument."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Item
from tests.e2e.conftest import scan, sign_in_browser, visit
from tests.factories import PASSWORD
from tests.world import INTERNAL_MARKER


def _item(world, position):
    return Item.objects.get(domain__version=world.instrument_version, domain__position=position)


def test_self_assessment_interview_finalize_and_result(page, world, browser, live_server):
    draft, item = world.assessment_draft, _item(world, 2)
    base = f"/g/{world.grantee.slug}/assessments/{draft.pk}/"

    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, base, "assessment-draft-lead")
    page.get_by_role("link", name="Fill in your self-assessment").first.click()
    page.locator(f"label[for='grantee-{item.pk}-level-2']").click()
    form = page.locator("form").filter(has=page.locator(f"#grantee-{item.pk}-level-2"))
    expect(form.get_by_role("status")).to_contain_text("Saved")
    comment = page.locator(f"#grantee-{item.pk}-evidence-text")
    comment.fill("One employer advises us, informally.")
    comment_form = page.locator("form").filter(has=comment)
    expect(comment_form.get_by_role("status")).to_contain_text("Saved")
    page.locator(f"label[for='grantee-{item.pk}-flagged']").click()
    flag_form = page.locator("form").filter(has=page.locator(f"#grantee-{item.pk}-flagged"))
    expect(flag_form.get_by_role("status")).to_contain_text("Saved")
    scan(page, "assessment-self")
    answer = Answer.objects.get(assessment=draft, item=item, source="grantee")
    assert (answer.level, answer.evidence, answer.flagged) == (
        2,
        "One employer advises us, informally.",
        True,
    )

    coach_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    coach = coach_context.new_page()
    sign_in_browser(coach, world, "coach", PASSWORD)
    visit(coach, base + "interview/", "assessment-interview")
    expect(coach.get_by_text("wants TA on this")).to_be_visible()
    coach.locator(f"label[for='coach-{item.pk}-level-1']").click()
    evidence = coach.locator(f"#coach-{item.pk}-evidence-text")
    evidence.fill("LMI pulled once; no employer commitments yet.")
    expect(coach.locator("form").filter(has=evidence).get_by_role("status")).to_contain_text(
        "Saved"
    )
    # Someone else saves the regional strategy after the coach opened the page …
    services.assessment_save_field(
        actor=world.users["ta_admin"],
        assessment=draft,
        field="regional_strategy",
        value="Admin's draft of the strategy",
        was="",
    )
    strategy = coach.locator("#regional_strategy-text")
    strategy.fill("One regional pathway into direct care.")
    strategy_form = coach.locator("form").filter(has=strategy)
    # … so the coach's save is refused and shows the other version.
    expect(strategy_form.get_by_role("status")).to_contain_text("Admin Ada changed this")
    expect(strategy_form.get_by_role("status")).to_contain_text("Admin's draft")
    scan(coach, "assessment-conflict")
    strategy_form.get_by_role("button", name="Keep mine (replace theirs)").click()
    expect(strategy_form.get_by_role("status")).to_contain_text("Saved")
    coach.reload()
    expect(coach.locator("#regional_strategy-text")).to_have_value(
        "One regional pathway into direct care."
    )
    expect(coach.locator(f"#coach-{item.pk}-level-1")).to_be_checked()

    coach.once("dialog", lambda dialog: dialog.accept())
    coach.get_by_role("button", name="Finalize the assessment").click()
    expect(coach.get_by_role("alert")).to_contain_text("Enter the date of the interview.")
    coach.get_by_label("Interview date").fill("2026-11-20")
    coach.get_by_role("button", name="Save the date").click()
    expect(coach.get_by_text("Interview date saved.")).to_be_visible()
    coach.once("dialog", lambda dialog: dialog.accept())
    coach.get_by_role("button", name="Finalize the assessment").click()
    expect(coach.get_by_role("heading", name="Scores")).to_be_visible()
    expect(coach.get_by_text("Growth since the baseline")).to_be_visible()
    scan(coach, "assessment-result-coach")
    coach_context.close()

    visit(page, base, "assessment-result-lead")
    expect(page.get_by_role("heading", name="Scores")).to_be_visible()
    expect(page.get_by_text("LMI pulled once; no employer commitments yet.")).to_be_visible()
    assert INTERNAL_MARKER not in page.content()


def test_ta_admin_starts_a_new_instrument_version(page, world):
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, "/assessments/instruments/", "instruments")
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_text("Frozen").first).to_be_visible()
    scan(page, "instrument-version-frozen")
    page.get_by_label("What will change").fill("Sharper wording for domain 2")
    page.get_by_role("button", name="Start version 2").click()
    expect(page.get_by_text("Editable: no assessment has used it yet.")).to_be_visible()
    page.get_by_role(
        "link", name=re.compile("Edit item Where does the consortium stand on labor")
    ).click()
    page.get_by_label("Interview probes").fill("")
    page.get_by_label("1 Exploring").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_exploring_error")).to_contain_text("required")
    scan(page, "instrument-item-errors")
    page.get_by_label("1 Exploring").fill("No LMI review and no employer contact.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("No LMI review and no employer contact.")).to_be_visible()
    assert _item(world, 2).exploring != "No LMI review and no employer contact."


def test_coach_proposes_a_plan_and_the_lead_works_it(page, world, browser, live_server):
    draft = world.assessment_draft
    coach_user = world.users["coach"]
    levels = {1: "4", 2: "1", 3: "3", 4: "2", 5: "4", 6: "2", 7: "3", 8: "4"}
    for position, level in levels.items():
        services.assessment_save_field(
            actor=coach_user,
            assessment=draft,
            field=f"coach:{_item(world, position).pk}:level",
            value=level,
            was="3",
        )
    services.assessment_set_date(actor=coach_user, assessment=draft, interview_on=draft.created_at)
    services.assessment_finalize(actor=coach_user, assessment=draft)
    # A's baseline already has a plan; this one is made from the midpoint.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    coach = context.new_page()
    sign_in_browser(coach, world, "coach", PASSWORD)
    visit(coach, f"/g/{world.grantee.slug}/assessments/{draft.pk}/", "assessment-midpoint")
    coach.get_by_role("link", name="Make a TA plan from this assessment").click()
    expect(coach.get_by_label(re.compile("Labor-market alignment"))).to_be_checked()
    expect(coach.get_by_label(re.compile("Partnership, governance"))).not_to_be_checked()
    scan(coach, "plan-propose")
    coach.get_by_role("button", name="Create the plan").click()
    expect(coach.get_by_role("heading", name=re.compile("Strengthen Labor-market"))).to_be_visible()
    scan(coach, "plan-coach")
    context.close()

    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, f"/g/{world.grantee.slug}/plan/", "plan-lead")
    goal = page.locator("section.portal-goal").filter(
        has=page.get_by_role("heading", name=re.compile("Strengthen Labor-market"))
    )
    goal.get_by_label("Action").fill("")
    goal.get_by_role("button", name="Add action").click()
    expect(goal.get_by_role("alert")).to_contain_text("This field is required.")
    goal.get_by_label("Action").fill("Ask two hospitals to commit to interviews")
    goal.get_by_label("Who").select_option(label=world.users["staff"].full_name)
    goal.get_by_role("button", name="Add action").click()
    expect(
        goal.get_by_role("button", name="Mark done: Ask two hospitals to commit to interviews")
    ).to_be_visible()
    expect(goal.get_by_label("Action")).to_be_focused()
    goal.get_by_role("button", name="Mark done: Ask two hospitals to commit to interviews").click()
    expect(
        goal.get_by_role("button", name="Mark not done: Ask two hospitals to commit to interviews")
    ).to_be_visible()
    expect(goal.get_by_text("In progress")).to_be_visible()  # ticking an action started it
    scan(page, "plan-lead-actions")
    page.reload()
    expect(goal.get_by_text("In progress")).to_be_visible()


def test_state_admin_reads_the_heatmap_and_a_pdf(page, world):
    sign_in_browser(page, world, "state", PASSWORD)
    visit(page, f"/p/{world.program.slug}/", "program-overview-state")
    page.get_by_role("link", name="Needs across grantees").click()
    expect(page.get_by_role("rowheader", name="Program average")).to_be_visible()
    scan(page, "program-heatmap")
    page.get_by_label("Assessments", exact=True).select_option("baseline")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile("kind=baseline"))
    response = page.request.get(f"/g/{world.grantee.slug}/assessments/{world.assessment.pk}/pdf/")
    assert response.status == 200 and response.body().startswith(b"%PDF")

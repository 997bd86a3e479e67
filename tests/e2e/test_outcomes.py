"""Learner outcomes in the browser: a lead reports a quarter (a field message for a count larger
than the learners enrolled, then fixed), imports a CSV file through its preview, and the state
admin reads the regional rollup. axe on every page reached."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from outcomes import quarters
from outcomes.models import QuarterlyOutcome
from tests.e2e.conftest import scan, sign_in_browser, visit
from tests.factories import PASSWORD

CSV = (
    "quarter,enrolled,enrolled_esl_1,enrolled_esl_2,enrolled_esl_3,enrolled_esl_4,"
    "enrolled_esl_5,enrolled_esl_6,skill_gains,completed_bridge_iet,credentials_earned,"
    "placed_wbl,employed_healthcare,median_hourly_wage,notes\n"
    "2026-Q2,18,0,2,5,7,3,1,10,12,7,9,4,21.25,Spring cohort\n"
    "2026-07-01,24,0,0,6,12,6,0,15,18,12,14,8,22.00,First cohort; one more credential\n"
)


def test_lead_reports_and_imports_and_the_state_admin_sees_the_rollup(
    page, world, browser, live_server
):
    slug = world.grantee.slug
    now = quarters.label(quarters.start_of(timezone.localdate()))  # the quarter under way
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, f"/g/{slug}/outcomes/", "outcomes-before")
    page.get_by_role("link", name="Report a quarter").click()
    expect(page.get_by_role("heading", name=f"Report {now}")).to_be_visible()
    scan(page, "outcomes-report-form")

    page.get_by_label("Learners enrolled").fill("30")
    page.get_by_label("Low intermediate ESL").fill("14")
    page.get_by_label("High intermediate ESL").fill("10")
    page.get_by_label("Measurable skill gains").fill("16")
    page.get_by_label("Completed a bridge or IET").fill("12")
    page.get_by_label("Earned an industry credential").fill("31")
    page.get_by_label("Employed in healthcare within 2 quarters").fill("9")
    page.get_by_label(re.compile("^Median starting hourly wage")).fill("23.40")
    page.get_by_role("button", name=f"Save {now}").click()
    expect(page.locator("#id_credentials_earned_error")).to_have_text(
        "Can't be more than the 30 learners enrolled."
    )
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    scan(page, "outcomes-report-form-errors")
    assert not QuarterlyOutcome.objects.filter(grantee=world.grantee, enrolled=30).exists()

    page.get_by_label("Earned an industry credential").fill("13")
    page.get_by_role("button", name=f"Save {now}").click()
    expect(page.get_by_text(f"Saved the outcomes for {now}.")).to_be_visible()
    expect(page.get_by_role("columnheader", name=re.compile(f"^{now}"))).to_be_visible()
    scan(page, "outcomes-after-report")

    page.get_by_role("link", name="Import CSV").click()
    expect(page.get_by_role("heading", name="Import quarters from a CSV file")).to_be_visible()
    scan(page, "outcomes-import")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "outcomes.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("1 new · 1 with changes · 0 unchanged")).to_be_visible()
    changed = page.get_by_role("row").filter(has_text="Jul–Sep 2026")
    expect(changed).to_contain_text("Changes")
    expect(changed).to_contain_text("Earned an industry credential: 11 → 12")
    scan(page, "outcomes-import-preview")
    assert (
        QuarterlyOutcome.objects.get(
            grantee=world.grantee, quarter_start="2026-07-01"
        ).credentials_earned
        == 11
    )
    page.get_by_role("button", name="Import 2 quarters").click()
    expect(page.get_by_text("Imported 2 quarters (1 new, 1 changed, 0 unchanged).")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Apr–Jun 2026", exact=True)).to_be_visible()
    # Each quarter's edit link sits in a row of its own, not in its column header.
    expect(page.locator("thead a")).to_have_count(0)
    edit_row = page.get_by_role("row", name=re.compile("^Edit a quarter"))
    edit_row.get_by_role("link", name="Edit Apr–Jun 2026").click()
    expect(page).to_have_url(re.compile(r"/outcomes/2026-q2/$"))
    page.go_back()
    scan(page, "outcomes")
    # The quarters feed the progress report.
    visit(page, f"/g/{slug}/reports/progress/?period=q1", "progress-report-outcomes")
    section = page.locator("section[aria-labelledby=outcomes-heading]")
    expect(section.get_by_role("heading", name="Learner outcomes")).to_be_visible()
    expect(section.get_by_role("rowheader", name="Jul–Sep 2026").first).to_be_visible()

    state = browser.new_context(base_url=live_server.url).new_page()
    sign_in_browser(state, world, "state", PASSWORD)
    visit(state, f"/p/{world.program.slug}/", "program-overview-outcomes")
    state.get_by_role("link", name="Learner outcomes").click()
    expect(state.get_by_role("heading", name="Learner outcomes")).to_be_visible()
    # The latest quarter with data is the one under way: A has reported it, B not yet.
    expect(state.get_by_text(f"{now} · 1 of 2 grantees reported")).to_be_visible()
    region = state.get_by_role("row").filter(has_text=world.grantee.region.name).first
    expect(region).to_contain_text("1 of 2")
    expect(state.get_by_text(f"Not yet reported for {now}:")).to_be_visible()
    scan(state, "program-outcomes")
    state.get_by_role("combobox", name="Quarter").select_option("2026-q3")
    state.get_by_role("button", name="Show").click()
    expect(state.get_by_text("Jul–Sep 2026 · 2 of 2 grantees reported")).to_be_visible()
    scan(state, "program-outcomes-q3")
    state.goto(f"/g/{slug}/outcomes/")
    expect(state.get_by_role("link", name="Report a quarter")).to_have_count(0)
    scan(state, "outcomes-read-only")
    state.context.close()

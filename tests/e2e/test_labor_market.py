"""Labor-market data in the browser: a lead picks a priority occupation with a rationale; a TA
admin sets living wages and imports an occupations update through its preview; an event
organizer reads the region's priorities before the training."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from grantees.models import Occupation
from labor_market.models import LivingWage, PriorityOccupation
from tests.e2e.conftest import scan, sign_in_browser, visit
from tests.factories import PASSWORD
from tests.world import MARKER


def test_lead_picks_a_priority_occupation(page, world):
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, "/g/alpha/occupations/", "occupations")
    expect(page.get_by_role("heading", name=re.compile("Living wage in"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Make a priority.*Registered Nurses")).click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_rationale_error")).to_be_visible()
    scan(page, "priority-form-errors")
    page.get_by_label("Why it is a priority").fill(
        "LVN completers need the next rung, and RN wages clear the living wage."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Registered Nurses is now a priority.")).to_be_visible()
    scan(page, "occupations-with-priorities")
    page.get_by_role("button", name="Move up Registered Nurses").click()
    first = page.locator(".portal-priority-list > li").first
    expect(first).to_contain_text("Registered Nurses")
    ranked = PriorityOccupation.objects.filter(grantee=world.grantee).order_by("position")
    assert [p.occupation.soc_code for p in ranked] == ["29-1141", "31-9092"]


def test_ta_admin_sets_living_wages_and_imports_occupations(page, world, tmp_path):
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    LivingWage.objects.all().delete()
    visit(page, f"/p/{world.program.slug}/living-wages/", "living-wages")
    page.get_by_role("link", name="Edit living wages").click()
    scan(page, "living-wages-edit")
    page.locator("#id_wage-1-hourly").fill("33.10")
    page.get_by_role("button", name="Save living wages").click()
    expect(page.locator("#id_wage-1-year_error")).to_contain_text("Give the year")
    page.locator("#id_wage-1-year").fill("2026")
    page.get_by_role("button", name="Save living wages").click()
    expect(page.get_by_text(re.compile("Living wages saved for 1 region"))).to_be_visible()

    visit(page, "/occupations/", "occupation-list")
    page.get_by_role("link", name="Import an update").click()
    csv_file = tmp_path / "occupations.csv"
    csv_file.write_text(
        "soc_code,title,ca_median_annual_wage_usd,wage_year,typical_entry_education,source\n"
        "31-9092,Medical Assistants,46100,2025,Certificate,EDD 2025\n"
        "29-9099,Health Navigators,52000,2025,High school diploma,Estimate\n",
        encoding="utf-8",
    )
    page.get_by_label("Occupations CSV").set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_text("1 new")).to_be_visible()
    scan(page, "occupation-import-preview")
    assert Occupation.objects.get(soc_code="31-9092").ca_median_annual_wage == 40938
    page.get_by_role("button", name="Apply this import").click()
    expect(page.get_by_text("Imported: 1 new, 1 updated")).to_be_visible()
    assert Occupation.objects.get(soc_code="31-9092").ca_median_annual_wage == 46100


def test_organizer_reads_the_regions_work_before_a_training(page, world):
    sign_in_browser(page, world, "coach", PASSWORD)
    visit(page, f"/p/{world.program.slug}/events/{world.event.pk}/check-in/", "check-in-link")
    page.get_by_role("link", name=re.compile("priority occupations and pathway drafts")).click()
    expect(page.get_by_role("heading", name=re.compile(MARKER)).first).to_be_visible()
    scan(page, "event-workspace")


def test_workspace_edit_pages_pass_axe(page, world):
    """The edit and confirm pages the journeys above do not open: each rendered and scanned."""
    sign_in_browser(page, world, "lead", PASSWORD)
    for path, name in (
        (f"/g/alpha/priorities/{world.priority.pk}/edit/", "priority-edit"),
        (f"/g/alpha/priorities/{world.priority.pk}/remove/", "priority-remove"),
        (f"/g/alpha/commitments/{world.commitment.pk}/edit/", "commitment-edit"),
        (f"/g/alpha/pathway-steps/{world.pathway_step.pk}/edit/", "pathway-step-edit"),
    ):
        visit(page, path, name)
    page.get_by_role("link", name=re.compile("^Cancel|Back")).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

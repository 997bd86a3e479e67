"""The progress report in the browser: a state admin picks a period, sees a date mistake
explained, and downloads the PDF and the workbook."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import scan, sign_in_browser, visit
from tests.factories import PASSWORD


def test_state_admin_reads_and_downloads_a_progress_report(page, world):
    sign_in_browser(page, world, "state", PASSWORD)
    visit(page, f"/g/{world.grantee.slug}/", "grantee-dashboard-state")
    page.get_by_role("link", name="Progress report").click()
    expect(page.get_by_role("heading", name="Support hours")).to_be_visible()
    page.get_by_label("Period", exact=True).select_option("year")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile("period=year"))
    expect(page.get_by_text("Program year,")).to_be_visible()
    scan(page, "progress-report")
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From (custom)").fill("2026-09-01")
    page.get_by_label("To (custom)").fill("2026-08-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#to-error")).to_contain_text("on or after the start date")
    scan(page, "progress-report-bad-dates")
    visit(page, f"/g/{world.grantee.slug}/reports/progress/?period=year", "progress-report-year")
    for name, magic in (("PDF", b"%PDF"), ("Excel", b"PK")):
        href = page.get_by_role("link", name=name, exact=True).get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200 and response.body().startswith(magic), name


def test_state_admin_exports_the_program_report_and_downloads_it(page, world):
    sign_in_browser(page, world, "state", PASSWORD)
    visit(page, f"/p/{world.program.slug}/", "program-overview-for-report")
    page.get_by_role("link", name="Program report").click()
    page.get_by_label("Period", exact=True).select_option("year")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("rowheader", name=re.compile("Alpha"))).to_be_visible()
    scan(page, "program-report")
    page.get_by_label("Format").select_option("xlsx")
    page.get_by_role("button", name="Export this report").click()
    # The worker runs eagerly in tests: the list comes back with the new file ready.
    new_row = page.locator("#export-jobs tr").filter(has_text="Jul 1, 2026 – Jun 30, 2027")
    download = new_row.get_by_role("link", name=re.compile("Download"))
    expect(download).to_be_visible()
    scan(page, "program-report-exported")
    response = page.request.get(download.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"PK")
    assert "attachment" in response.headers["content-disposition"]


def test_ta_admin_dashboard_page(page, world):
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, "/ta/", "ta-dashboard-with-links")
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    expect(page.get_by_role("heading", name="Coach load")).to_be_visible()
    scan(page, "program-dashboard")

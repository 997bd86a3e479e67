"""Partners in the browser: a lead adds an employer with a commitment, moves it along the
pipeline (HTMX), sees it on the partnership map; axe on every page reached."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from partners.models import Partner, StageChange
from tests.e2e.conftest import scan, sign_in_browser, tick, visit
from tests.factories import PASSWORD


def test_lead_adds_an_employer_moves_it_along_and_sees_it_on_the_map(page, world):
    slug = world.grantee.slug
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, f"/g/{slug}/partners/", "partners-list")
    expect(page.get_by_role("heading", name="Employer", exact=False).first).to_be_visible()

    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label("Partner name").fill("Eastshore Medical Group")
    page.get_by_label("Type of partner").select_option("employer")
    page.get_by_label("Contact person").fill("Renee Park")
    page.get_by_label(re.compile("^Contact e-mail")).fill("renee@example.org")
    page.get_by_label(re.compile("^Contact phone")).fill("555-01")
    page.get_by_role("button", name="Add the partner").click()
    expect(page.locator("#id_contact_phone_error")).to_contain_text("with area code")
    expect(page.locator("[data-focus-after-swap]")).to_be_focused()
    scan(page, "partners-form-errors")
    page.get_by_label(re.compile("^Contact phone")).fill("(510) 555-0148")
    page.get_by_role("button", name="Add the partner").click()
    expect(page.get_by_role("heading", name="Eastshore Medical Group", level=1)).to_be_visible()
    scan(page, "partners-detail-new")

    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Type of commitment").select_option("wbl_slots")
    page.get_by_role("button", name="Add the commitment").click()
    expect(page.locator("#id_quantity_error")).to_contain_text("how many slots")
    scan(page, "partners-commitment-errors")
    page.get_by_label(re.compile("^How many")).fill("6")
    page.get_by_label(re.compile("^Description")).fill("Externship slots at the Eastshore clinic")
    tick(page, "Confirmed")
    page.get_by_label(re.compile("^From")).fill("2027-01-11")
    page.get_by_label(re.compile("^Until")).fill("2027-05-28")
    page.get_by_role("button", name="Add the commitment").click()
    expect(page.get_by_text("Commitment added.")).to_be_visible()
    expect(page.locator("#commitments")).to_contain_text("Externship slots at the Eastshore")
    scan(page, "partners-detail-commitment")

    partner = Partner.objects.get(grantee=world.grantee, name="Eastshore Medical Group")
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="Employer pipeline").click()
    expect(page.get_by_role("heading", name="Employer pipeline", level=1)).to_be_visible()
    scan(page, "partners-pipeline")
    card = page.locator(f"#partner-{partner.pk}")
    expect(
        page.locator("section", has=page.get_by_role("heading", name="Identified"))
    ).to_contain_text("Eastshore Medical Group")
    expect(card).to_contain_text("6 clinical/WBL slots")
    for stage in ("Contacted", "Engaged", "Committed (MOU)"):
        page.get_by_role("button", name=f"Forward: move Eastshore Medical Group to {stage}").click()
        expect(page.get_by_role("status")).to_contain_text(f"moved to “{stage}”")
        moved = page.locator(f"#partner-{partner.pk}")
        expect(moved).to_be_focused()
        column = page.locator("section", has=page.get_by_role("heading", name=stage, exact=False))
        expect(column.locator(f"#partner-{partner.pk}")).to_be_visible()
    page.get_by_role("button", name="Back: move Eastshore Medical Group to Engaged").click()
    expect(page.get_by_role("status")).to_contain_text("moved to “Engaged”")
    page.get_by_role(
        "button", name="Forward: move Eastshore Medical Group to Committed (MOU)"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("moved to “Committed (MOU)”")
    totals = page.locator(".portal-pipeline-totals")
    expect(totals).to_contain_text("Committed WBL slots")
    expect(totals.locator(".portal-stat").first).to_have_text("6")
    scan(page, "partners-pipeline-moved")
    partner.refresh_from_db()
    assert partner.stage == "committed"
    assert StageChange.objects.filter(partner=partner).count() == 6  # added + 5 moves

    page.get_by_role("link", name="Partnership map").click()
    expect(page.get_by_role("heading", name="Partnership map", level=1)).to_be_visible()
    svg = page.locator("svg.portal-partner-map")
    expect(svg).to_have_attribute("role", "img")
    expect(svg.locator("title", has_text="Eastshore Medical Group")).to_have_count(1)
    expect(page.locator(".portal-map-table")).to_contain_text("Eastshore Medical Group")
    scan(page, "partners-map")

    # The stage history on the partner's page, and its delete confirmation.
    page.locator(".portal-map-table").get_by_role("link", name="Eastshore Medical Group").click()
    expect(page.locator("#partner-stage")).to_contain_text("Engaged → Committed (MOU)")
    scan(page, "partners-detail-history")
    page.get_by_role("button", name="Delete…").first.click()
    expect(page.get_by_role("heading", name="Delete Eastshore Medical Group?")).to_be_visible()
    scan(page, "partners-delete-confirm")
    page.get_by_role("link", name="No, keep it").click()
    visit(page, f"/g/{slug}/partners/{partner.pk}/edit/", "partners-edit")


def test_a_full_map_and_pipeline_stay_readable_and_accessible(page, world):
    """Demo-sized data: Harbor Bay's demo partners, a dozen new leads (a crowded cell) and a few
    more make 31 partners. The pages stay axe-clean; their screenshots are for people to look at."""
    from partners.demo import seed_partners_demo
    from tests.factories import GranteeFactory, MembershipFactory

    harbor = GranteeFactory(
        program=world.program,
        slug="harbor-bay",
        name="Harbor Bay Adult Education Consortium",
        region=world.grantee.region,
    )
    MembershipFactory(user=world.users["lead"], grantee=harbor, role="lead")
    seed_partners_demo(program=world.program)
    for i in range(1, 13):
        Partner.objects.create(
            grantee=harbor, name=f"Eastshore Urgent Care, site {i}", kind="employer"
        )
    for name, kind, stage in (
        ("Westshore Adult School", "adult_school", "engaged"),
        ("Bayside Adult Education Center", "adult_school", "contacted"),
        ("Harbor City College", "college", "engaged"),
        ("Bay Area Promotores Collaborative", "community", "committed"),
        ("Harbor Bay Refugee Services", "community", "identified"),
        ("Eastshore AJCC Satellite Office", "workforce_board", "committed"),
    ):
        Partner.objects.create(grantee=harbor, name=name, kind=kind, stage=stage)
    count = Partner.objects.filter(grantee=harbor).count()
    assert count >= 30

    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, "/g/harbor-bay/partners/", "partners-list-full")
    visit(page, "/g/harbor-bay/partners/map/", "partners-map-full")
    svg = page.locator("svg.portal-partner-map")
    expect(svg.locator("desc")).to_contain_text(f"{count} partners")
    expect(svg.locator("text", has_text=re.compile(r"^\+ \d+ more$"))).to_have_count(1)
    expect(page.locator(".portal-map-table")).to_contain_text("Eastshore Urgent Care, site 12")
    visit(page, "/g/harbor-bay/partners/pipeline/", "partners-pipeline-full")
    expect(page.locator(".portal-pipeline-totals")).to_contain_text("Committed WBL slots")
    visit(page, "/g/harbor-bay/partners/?kind=employer", "partners-list-employers")


def test_filters_announce_a_count_and_guarded_moves_and_deletes(page, world):
    """The type filter swaps the list and only a short count is announced; at the last stage the
    "Move to" dropdown does not offer the first stage; a partner a frozen pathway version names
    is not deleted, and the page says which pathway."""
    from pathways.services import version_new

    slug = world.grantee.slug
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, f"/g/{slug}/partners/", "partners-list-filters")
    count = page.locator("#partner-count")
    expect(count).to_have_attribute("role", "status")
    expect(count).to_have_text("1 partner shown.")
    expect(page.locator("[aria-live]").filter(has=page.locator("table"))).to_have_count(0)
    page.get_by_label("Type", exact=True).select_option("union")
    expect(count).to_have_text("No partners match these filters.")
    expect(page.locator("#partner-results")).to_contain_text("No partners match these filters")
    page.get_by_label("Type", exact=True).select_option("employer")
    expect(count).to_have_text("1 partner shown.")
    expect(page.locator("#partner-results")).to_contain_text(world.partner.name)
    scan(page, "partners-list-filtered")

    Partner.objects.filter(pk=world.partner.pk).update(stage="active_wbl")
    visit(page, f"/g/{slug}/partners/{world.partner.pk}/", "partners-detail-last-stage")
    expect(page.get_by_label("Move to")).to_have_value("")
    page.get_by_role("button", name="Change stage").click()
    expect(page.locator("#partner-stage")).to_contain_text("Choose a stage from the list.")
    world.partner.refresh_from_db()
    assert world.partner.stage == "active_wbl"

    version_new(
        actor=world.users["lead"], concept=world.pathway, from_number=1, change_note="Agreed"
    )
    visit(page, f"/g/{slug}/partners/{world.partner.pk}/", "partners-detail-frozen")
    page.get_by_role("button", name="Delete…").first.click()
    heading = f"{world.partner.name} can't be deleted"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(f"“{world.pathway.title}” (version 1)")
    expect(page.get_by_role("button", name="Yes, delete")).to_have_count(0)
    scan(page, "partners-delete-refused")
    assert Partner.objects.filter(pk=world.partner.pk).exists()

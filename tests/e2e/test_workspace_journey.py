"""Issue #9's journey in one browser session: a lead picks a priority occupation, adds an
employer with a commitment, drafts a pathway toward that occupation with the employer on a step,
and exports the student map in English and Spanish; axe on every page reached."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from labor_market.models import PriorityOccupation
from partners.models import Commitment, Partner
from pathways.models import PathwayConcept
from tests.e2e.conftest import scan, sign_in_browser, tick, visit
from tests.factories import PASSWORD
from tests.pathways.helpers import pdf_text


def test_lead_priorities_employer_pathway_and_map(page, world):
    slug = world.grantee.slug
    sign_in_browser(page, world, "lead", PASSWORD)
    visit(page, f"/g/{slug}/", "journey-dashboard")

    # 1. Labor-market data: Phlebotomists become a priority, with a reason.
    page.get_by_role("link", name="Occupations", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Make a priority.*Phlebotomists")).click()
    page.get_by_label("Why it is a priority").fill(
        "Hospital labs hire bilingual phlebotomists; CPT I stacks into our MA certificate."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Phlebotomists is now a priority.")).to_be_visible()
    scan(page, "journey-priorities")

    # 2. An employer with a commitment.
    page.get_by_role("navigation", name="Pathway workspace").get_by_role(
        "link", name="Partners"
    ).click()
    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label("Partner name").fill("Bayside Regional Lab")
    page.get_by_label("Type of partner").select_option("employer")
    page.get_by_label("Contact person").fill("Marisol Vega")
    page.get_by_role("button", name="Add the partner").click()
    expect(page.get_by_role("heading", name="Bayside Regional Lab", level=1)).to_be_visible()
    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Type of commitment").select_option("hiring")
    page.get_by_label(re.compile("^How many")).fill("4")
    page.get_by_label(re.compile("^Description")).fill("Interviews and hires for CPT I completers")
    tick(page, "Confirmed")
    page.get_by_role("button", name="Add the commitment").click()
    expect(page.get_by_text("Commitment added.")).to_be_visible()
    scan(page, "journey-employer")

    # 3. A pathway toward the priority, with the employer on its clinical step.
    page.get_by_role("navigation", name="Pathway workspace").get_by_role(
        "link", name="Pathways"
    ).click()
    page.get_by_role("link", name="Draft a pathway").click()
    page.get_by_label("Title", exact=True).fill("Phlebotomy IET")
    tick(page, "Integrated education and training (IET)")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_text("Version 1 is your working draft")).to_be_visible()
    for kind, title, duration, partner in (
        ("Course", "VESL for healthcare", "10 weeks", None),
        ("Work-based learning", "Clinical rotation at Bayside", "40 hours", "Bayside Regional Lab"),
        ("Credential", "CPT I certificate", "1 exam day", None),
    ):
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
    page.get_by_role("link", name="Edit the pathway").click()
    tick(page, re.compile("^Phlebotomists.*your priority occupation"))
    page.get_by_role("button", name="Save the pathway").click()
    expect(page.get_by_text("Pathway saved.")).to_be_visible()
    scan(page, "journey-pathway")

    # 4. The student map, in English and Spanish.
    for name, label in (("English", "Where you can start"), ("Español", "Dónde puedes empezar")):
        href = page.get_by_role("link", name=re.compile(f"^{name}")).first.get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200 and response.body().startswith(b"%PDF")
        text = pdf_text(response.body())
        assert label in text or label.upper() in text
        assert "Phlebotomy IET" in text and "Bayside" in text

    priority = PriorityOccupation.objects.get(grantee=world.grantee, occupation__soc_code="31-9097")
    employer = Partner.objects.get(grantee=world.grantee, name="Bayside Regional Lab")
    assert Commitment.objects.get(partner=employer).quantity == 4
    version = PathwayConcept.objects.get(title="Phlebotomy IET").versions.get()
    assert priority.occupation in version.target_occupations.all()
    assert employer in version.steps.get(title="Clinical rotation at Bayside").partners.all()

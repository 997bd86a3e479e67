"""The library in the browser: search as you type, a facet, a resource, a bookmark."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from library import services
from tests.e2e.conftest import scan, sign_in_browser, visit
from tests.factories import PASSWORD


def test_search_filter_open_and_bookmark(page, world):
    services.resource_create(
        actor=world.users["ta_admin"],
        data={
            "title": "Nursing assistant bridge curriculum",
            "summary": "A contextualized ESL bridge into nursing assistant training.",
            "kind": "toolkit",
            "audience": "instructors",
            "visibility": "portal",
            "external_url": "https://example.org/cna-bridge",
            "publish": True,
        },
    )
    sign_in_browser(page, world, "staff", PASSWORD)
    visit(page, "/library/", "library")
    page.get_by_label("Search the library").fill("nurs")
    expect(page.get_by_role("link", name="Nursing assistant bridge curriculum")).to_be_visible()
    expect(page.get_by_role("link", name="Employer engagement toolkit")).to_have_count(0)
    expect(page).to_have_url(re.compile("q=nurs"))  # shareable; the back button works
    page.get_by_label("Kind").focus()  # a keyboard user on the facet
    page.get_by_label("Kind").select_option("toolkit")
    expect(page).to_have_url(re.compile("kind=toolkit"))
    expect(page.get_by_label("Kind")).to_have_value("toolkit")
    # The facets are replaced with the results; htmx gives focus back to the one just used.
    expect(page.get_by_label("Kind")).to_be_focused()
    expect(page.get_by_role("link", name="Nursing assistant bridge curriculum")).to_be_visible()
    scan(page, "library-search")
    page.get_by_role("link", name="Nursing assistant bridge curriculum").click()
    expect(page.get_by_role("heading", name="Nursing assistant bridge curriculum")).to_be_visible()
    page.get_by_role("button", name=re.compile("Save to My library")).click()
    expect(page.get_by_role("button", name=re.compile("In My library"))).to_be_visible()
    scan(page, "library-resource")
    visit(page, "/library/mine/", "library-mine")
    expect(page.get_by_role("link", name="Nursing assistant bridge curriculum")).to_be_visible()


def test_a_coach_sees_a_clear_message_for_a_bad_upload(page, world, tmp_path):
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"MZ not really a pdf")
    sign_in_browser(page, world, "coach", PASSWORD)
    visit(page, "/library/new/", "library-new")
    page.get_by_label("Title").fill("Quarterly brief")
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_file_error")).to_contain_text("not accepted")
    scan(page, "library-new-errors")


def test_a_coach_builds_a_collection(page, world):
    for title in ("Clinical partner playbook", "Clinical agreements webinar"):
        services.resource_create(
            actor=world.users["ta_admin"],
            data={
                "title": title,
                "kind": "toolkit",
                "audience": "everyone",
                "visibility": "portal",
                "external_url": "https://example.org/x",
                "publish": True,
            },
        )
    sign_in_browser(page, world, "coach", PASSWORD)
    visit(page, "/library/", "library-staff")
    page.get_by_role("link", name="New collection").click()
    page.get_by_role("button", name="Create and add resources").click()
    expect(page.locator("#id_title_error")).to_be_visible()
    scan(page, "collection-form-errors")
    page.get_by_label("Title").fill("Clinical partners toolkit")
    page.get_by_role("button", name="Create and add resources").click()
    expect(page.get_by_text("Collection created; now add its resources.")).to_be_visible()
    page.get_by_label("Find resources by title or summary").fill("clinical")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Add Clinical partner playbook").click()
    page.get_by_role("button", name="Add Clinical agreements webinar").click()
    items = page.locator("#items ol")
    expect(items.get_by_role("listitem")).to_have_count(2)
    page.get_by_role("button", name="Move up Clinical agreements webinar").click()
    expect(items.get_by_role("listitem").first).to_contain_text("Clinical agreements webinar")
    scan(page, "collection-edit")
    page.get_by_role("link", name="View the collection").click()
    expect(page.get_by_role("heading", name="Clinical partners toolkit")).to_be_visible()
    scan(page, "collection-detail")

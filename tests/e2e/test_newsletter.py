"""The newsletter in the browser: a TA admin composes, previews, makes the PDF and publishes;
a subscriber unsubscribes from the e-mail's link without signing in."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from newsletter import services
from portal.models import Notification
from tests.e2e.conftest import scan, sign_in_browser, visit
from tests.factories import PASSWORD


def test_compose_publish_and_unsubscribe(page, world, browser, live_server):
    services.subscription_set(user=world.users["staff"], subscribed=True)
    sign_in_browser(page, world, "ta_admin", PASSWORD)
    visit(page, f"/p/{world.program.slug}/", "program-overview-newsletter")
    page.get_by_role("link", name="Newsletter").click()
    page.get_by_role("link", name="Compose an issue").click()
    page.get_by_label("Title", exact=True).fill("Spring 2027 newsletter")
    page.get_by_label("Highlights", exact=True).fill("Eight regional trainings.\nThe IET toolkit.")
    page.get_by_label(re.compile("^Spotlight title")).fill("A bridge that filled")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator("#id_spotlight_body_error")).to_contain_text("both a title and a story")
    scan(page, "newsletter-form-errors")
    page.get_by_label(re.compile("^Spotlight story")).fill(
        "Harbor Bay's VESL bridge filled a CNA cohort."
    )
    page.get_by_role("button", name="Save and preview").click()
    expect(page.get_by_role("heading", name="Key figures")).to_be_visible()
    scan(page, "newsletter-preview")
    page.get_by_role("button", name="Make the PDF").click()
    expect(page.get_by_text("PDF ready")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Publish and e-mail 1 subscriber")).click()
    expect(page.get_by_text("e-mailed to 1 subscriber")).to_be_visible()
    scan(page, "newsletter-published")

    body = Notification.objects.get(kind="newsletter", recipient=world.users["staff"]).body
    path = re.search(r"(/newsletter/unsubscribe/[^/\s]+/)", body).group(1)
    anonymous = browser.new_context(base_url=live_server.url).new_page()
    visit(anonymous, path, "newsletter-unsubscribe")
    anonymous.get_by_role("button", name="Unsubscribe").click()
    expect(anonymous.get_by_text("will no longer receive the newsletter")).to_be_visible()
    scan(anonymous, "newsletter-unsubscribed")
    anonymous.context.close()

"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a test reaches goes through `visit()`/`scan()`, which runs axe-core offline (the copy
shipped in axe-playwright-python's wheel) for WCAG 2.1 A/AA and fails on any violation.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.world import MFA_ROLES

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", "test-artifacts/screenshots"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (scripts/system-deps.sh)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    csp = [e for e in errors if "Content Security Policy" in e or "Refused to" in e]
    assert not csp, f"CSP violations in the browser console: {csp}"


def axe_violations(page) -> list[dict]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return results.response["violations"]


def scan(page, name: str) -> None:
    """Screenshot the page for people to look at, then fail on any axe WCAG 2.1 AA violation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = axe_violations(page)
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )
    assert not violations, f"axe found WCAG violations on {page.url}:\n{report}"


def visit(page, path: str, name: str, status: int | None = None) -> None:
    response = page.goto(path)
    assert response is not None, path
    if status is None:
        assert response.status < 400, f"{path} answered {response.status}"
    else:
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
    scan(page, name)


def totp_code(secret: str) -> str:
    """The current code, taken far enough from a period boundary that the server checks it in
    the same period: a code typed in the last second of its period is rejected (tolerance 0),
    which made sign-ins fail about once in thirty runs."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    period = app_settings.TOTP_PERIOD
    left_in_period = period - time.time() % period
    if left_in_period < 5:
        time.sleep(left_in_period + 0.1)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in_browser(page, world, role: str, password: str) -> None:
    user = world.users[role]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if role in MFA_ROLES:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.get_by_label("Code").fill(totp_code(world.totp_secrets[role]))
        page.get_by_role("button", name=re.compile("Sign In|Sign in|Authenticate", re.I)).click()
    page.wait_for_load_state()


@pytest.fixture
def world(transactional_db):
    """The live server runs in another thread: the world must be committed, not rolled back."""
    from tests.world import build_world

    return build_world()


def tick(page, label) -> None:
    """USWDS draws its own radios and checkboxes: people click the label, and so do we."""
    pattern = label if isinstance(label, re.Pattern) else re.compile(f"^{re.escape(label)}$")
    page.locator("label").filter(has_text=pattern).click()

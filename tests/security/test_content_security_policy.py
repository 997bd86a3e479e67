"""The Content-Security-Policy stays strict, and nothing the portal serves needs it loosened.

The policy (portal/settings.py) allows scripts and styles from the site's own origin only: no
'unsafe-inline', no 'unsafe-eval'. A browser silently drops what the policy forbids — an inline
<script>, an onclick=, a style= attribute, a <style> block, a javascript: link, htmx's hx-on
(which needs eval) — so a template using one breaks without an error anywhere but the console.
The browser tests catch that for the pages they visit; these tests cover every template and every
page the URL × role probe can open, without a browser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.test import Client

from portal.access import Rule
from tests.security.probe import ALLOWED, NARROWER, build_path, collect_urls, kwarg_values, rule_for
from tests.world import sign_in

BASE_DIR = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "var", "test-artifacts", ".git", "tests"}
ROLE_ORDER = ("lead", "staff", "ta_admin", "coach", "state", "other_coach", "anonymous")
# Script types a browser does not run (json_script's data blocks): the policy does not apply.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def portal_templates() -> list[Path]:
    found = []
    for path in BASE_DIR.rglob("*.html"):
        parts = path.relative_to(BASE_DIR).parts
        if "templates" in parts and not SKIP_DIRS & set(parts):
            found.append(path)
    return sorted(found)


def pdf_only_templates() -> set[str]:
    """Templates passed to portal.pdf.render_pdf: WeasyPrint turns them into PDF on the server,
    no browser ever receives them, so their <style> blocks are outside the policy."""
    names = set()
    for path in BASE_DIR.rglob("*.py"):
        if SKIP_DIRS & set(path.relative_to(BASE_DIR).parts):
            continue
        names |= set(re.findall(r"render_pdf\(\s*\"([^\"]+\.html)\"", path.read_text()))
    return names


TEMPLATE_COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE_NAME = re.compile(r"(?:^|\s)([^\s=\"'<>/{}%]+)\s*=")


def template_problems(source: str) -> list[str]:
    source = TEMPLATE_COMMENT.sub("", source)
    problems = []
    for match in TAG.finditer(source):
        tag, attributes = match.group(1).lower(), match.group(2)
        names = [name.lower() for name in ATTRIBUTE_NAME.findall(attributes)]
        if tag == "style":
            problems.append("<style> block")
        if tag == "script" and "src" not in names:
            end = source.find("</script", match.end())
            if source[match.end() : end].strip():
                problems.append("inline <script>")
        problems += [f"{name}= attribute" for name in names if is_blocked_attribute(name)]
        if re.search(r"=\s*[\"']?\s*javascript:", attributes, re.I):
            problems.append("javascript: URL")
    return problems


def is_blocked_attribute(name: str) -> bool:
    return name == "style" or name.startswith(("on", "hx-on", "data-hx-on"))


def test_no_template_needs_inline_script_or_style():
    templates = portal_templates()
    assert len(templates) > 100, f"only {len(templates)} templates found: is the walk broken?"
    pdf_only = pdf_only_templates()
    assert len(pdf_only) >= 4, f"render_pdf callers not found: {pdf_only}"
    checked, failures = 0, []
    for path in templates:
        name = path.as_posix().split("/templates/", 1)[1]
        if name in pdf_only:
            continue
        checked += 1
        failures += [
            f"{path.relative_to(BASE_DIR)}: {p}" for p in template_problems(path.read_text())
        ]
    assert checked > 100
    assert not failures, "the CSP would block these:\n" + "\n".join(failures)


def test_the_template_check_can_fail():
    assert template_problems('<button onclick="go()">Go</button>') == ["onclick= attribute"]
    assert template_problems('<p class="x" style="color: red">') == ["style= attribute"]
    assert template_problems("<script>\n  start();\n</script>") == ["inline <script>"]
    assert template_problems('<div hx-on:click="x()">') == ["hx-on:click= attribute"]
    assert template_problems("<style>p { color: red }</style>") == ["<style> block"]
    assert template_problems('<a href="javascript:void(0)">') == ["javascript: URL"]
    assert template_problems("<script src=\"{% static 'a.js' %}\" defer></script>") == []
    assert template_problems("{# no style= here #}<p>Based on = counts</p>") == []


class PageScanner(HTMLParser):
    """What a browser would refuse to run or apply in a rendered page under the policy."""

    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self._inline_script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): value or "" for name, value in attrs}
        for name, value in values.items():
            if is_blocked_attribute(name):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> block")
        if (
            tag == "script"
            and "src" not in values
            and values.get("type", "").lower() not in DATA_SCRIPT_TYPES
            and not (self.nonce and values.get("nonce") == self.nonce)
        ):
            self._inline_script = []

    def handle_data(self, data):
        if self._inline_script is not None:
            self._inline_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._inline_script is not None:
            body = "".join(self._inline_script).strip()
            if body:
                self.problems.append(f"inline <script>: {body[:60]!r}")
            self._inline_script = None


def policy_problems(response) -> list[str]:
    header = response.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    directives = {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}
    problems = [
        f"{word} in the policy"
        for word in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'")
        if word in header
    ]
    for directive in ("script-src", "style-src"):
        sources = directives.get(directive, directives.get("default-src"))
        if not sources or "*" in sources or "data:" in sources:
            problems.append(f"{directive} is not limited to the site: {sources}")
    if directives.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    return problems


def page_problems(response) -> list[str]:
    problems = policy_problems(response)
    nonce = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    scanner = PageScanner(nonce.group(1) if nonce else None)
    scanner.feed(response.content.decode("utf-8", "replace"))
    scanner.close()
    return problems + scanner.problems


def test_every_page_sends_the_strict_policy_and_needs_nothing_inline(world):
    """Every URL the probe knows, opened by a role its rule admits (anonymous for public pages),
    plus the 404 and 403 pages: each HTML answer carries the strict policy and contains nothing
    it would block."""
    clients: dict[str, Client] = {}
    values = kwarg_values(world, "A")

    def client_as(role: str) -> Client:
        if role not in clients:
            clients[role] = Client()
            if role != "anonymous":
                sign_in(clients[role], world.users[role])
        return clients[role]

    visits = [("anonymous", "/no-such-page/")]
    for url in collect_urls():
        rule = rule_for(url)
        if rule is None or url.route.startswith(("admin/", settings.STATIC_URL.lstrip("/"))):
            continue  # the Django admin is for superusers only, with its own templates
        try:
            path = build_path(url, values)
        except LookupError:
            continue
        allowed = ALLOWED[rule] & NARROWER.get(url.label, set(ALLOWED[rule]))
        role = (
            "anonymous"
            if rule is Rule.PUBLIC
            else next((r for r in ROLE_ORDER if r in allowed), None)
        )
        if role is not None:
            visits.append((role, path))
        if rule is Rule.GRANTEE_ADMIN:
            # A grantee page staff can see, with a function they may not use: the 403 page.
            visits.append(("staff", path))

    statuses, failures = [], []
    for role, path in visits:
        response = client_as(role).get(path)
        if "text/html" not in response.get("Content-Type", "") or getattr(
            response, "streaming", False
        ):
            continue  # PDFs, CSVs, calendars, downloads
        statuses.append(response.status_code)
        failures += [f"GET {path} as {role}: {p}" for p in page_problems(response)]
    pages = statuses.count(200)
    assert pages > 100, f"only {pages} pages checked: is the sweep broken?"
    assert {403, 404} <= set(statuses), set(statuses)
    assert not failures, "\n".join(failures)


def test_the_page_check_can_fail(client, db):
    response = client.get("/accounts/login/")
    assert page_problems(response) == []
    response.content = response.content.replace(
        b"</body>", b'<div style="display:none" onmouseover="x()"></div><script>x()</script></body>'
    )
    assert page_problems(response) == [
        "<div style=…>",
        "<div onmouseover=…>",
        "inline <script>: 'x()'",
    ]
    response["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    assert "'unsafe-inline' in the policy" in page_problems(response)

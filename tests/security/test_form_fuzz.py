"""Fuzz pass: every form the portal shows, posted with hostile values, never answers 500.

For each URL the probe knows, the first role its rule admits opens the page; every POST form on
it is parsed (inputs, selects, textareas, file fields) and hypothesis fills the fields with
values people and attackers send: blanks, huge and negative numbers, impossible dates, markup,
NUL bytes, very long and non-ASCII text, ids of nothing, and each select's real options. The
portal must answer with a page, a field message, a redirect or a refusal — never a server error.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.probe import ALLOWED, NARROWER, build_path, collect_urls, kwarg_values, rule_for
from tests.world import sign_in

ROLE_ORDER = ("lead", "staff", "ta_admin", "coach", "state", "other_coach", "anonymous")
# Pages whose forms belong to allauth or the Django admin (their own projects test them), and
# sign-out (it would end the fuzzing client's session).
SKIP_PREFIXES = ("/admin/", "/accounts/")
HOSTILE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "24:61",
    "<script>alert(1)</script>",
    "'; DROP TABLE grantees_grantee; --",
    "a\x00b",
    "../../etc/passwd",
    "😀" * 200,
    "x" * 20_000,
    "2026-q9",
    "on",
]


class FormParser(HTMLParser):
    """POST forms on a page: action plus fields (name → kind, options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "multipart": False}
            self._form["multipart"] = "multipart" in (attrs.get("enctype") or "")
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._form is not None and self._select:
                field = self._form["fields"][self._select]
                field["options"].append(attrs.get("value", ""))
                if "selected" in attrs:
                    field["default"] = attrs.get("value", "")
            return
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            field = self._form["fields"].setdefault(name, {"kind": kind, "options": []})
            if kind in ("checkbox", "radio", "hidden") and attrs.get("value") is not None:
                field["options"].append(attrs["value"])
            checked = kind not in ("checkbox", "radio") or "checked" in attrs
            if attrs.get("value") is not None and checked and kind != "file":
                field.setdefault("default", attrs["value"])
        elif tag == "textarea":
            self._form["fields"].setdefault(name, {"kind": "textarea", "options": []})
            self._textarea = name
        elif tag == "select":
            self._form["fields"].setdefault(name, {"kind": "select", "options": []})
            self._select = name

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            field = self._form["fields"][self._textarea]
            field["default"] = field.get("default", "") + data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_to_fuzz(world) -> list[tuple[Client, str, dict]]:
    clients: dict[str, Client] = {}
    values = kwarg_values(world, "A")
    found, seen = [], set()
    for url in collect_urls():
        rule = rule_for(url)
        if rule is None:
            continue
        try:
            path = build_path(url, values)
        except LookupError:
            continue
        if path.startswith(SKIP_PREFIXES):
            continue
        allowed = ALLOWED[rule] & NARROWER.get(url.label, set(ALLOWED[rule]))
        role = next((r for r in ROLE_ORDER if r in allowed), None)
        if role is None:
            continue
        if role not in clients:
            clients[role] = Client()
            if role != "anonymous":
                sign_in(clients[role], world.users[role])
        response = clients[role].get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode("utf-8", "replace"))
        for form in parser.forms:
            action = urljoin(path, form["action"] or path)
            key = (role, action.split("?")[0], tuple(sorted(form["fields"])))
            if key in seen or not form["fields"] or action.startswith(SKIP_PREFIXES):
                continue
            seen.add(key)
            found.append((clients[role], action, form))
    return found


def field_value(field: dict):
    text = st.sampled_from(HOSTILE_TEXT)
    if field["kind"] == "file":
        return st.sampled_from([b"", b"%PDF-1.4 not really", b"\x00\xff" * 50, b"a,b\n1,2\n"])
    if field["options"]:
        return st.one_of(st.sampled_from(field["options"]), text)
    return text


def build_payload(form: dict, draw) -> dict:
    """The form as the page filled it in, with one to three fields made hostile (so the other
    fields pass and the hostile value reaches the service), or sometimes every field."""
    names = sorted(form["fields"])
    everything = draw(st.integers(0, 4)) == 0
    hostile = (
        set(names)
        if everything
        else set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)))
    )
    data = {}
    for name, field in form["fields"].items():
        if name not in hostile:
            if field["kind"] != "file" and "default" in field:
                data[name] = field["default"]
            continue
        if draw(st.integers(0, 5)) == 0:
            continue  # sometimes leave a field out entirely
        value = draw(field_value(field))
        if field["kind"] == "file":
            data[name] = SimpleUploadedFile("upload.csv", value)
        else:
            data[name] = value
    return data


def test_no_form_answers_500_to_hostile_input(world):
    targets = forms_to_fuzz(world)
    assert len(targets) > 60, f"only {len(targets)} forms found: is the parser broken?"
    failures: list[str] = []

    @settings(
        max_examples=10,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def fuzz(client, action, form, data):
        payload = build_payload(form, data.draw)
        try:
            response = client.post(action, payload)
        except Exception as error:  # noqa: BLE001 - reported with the payload below
            failures.append(
                f"{action}: raised {type(error).__name__}: {error} with {payload!r}"[:600]
            )
            return
        if response.status_code >= 500:
            failures.append(f"{action}: {response.status_code} with {payload!r}"[:600])

    for client, action, form in targets:
        fuzz(client, action, form)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:30])

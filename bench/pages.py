"""The pages `make bench` opens, per role (shared by the load generator and the query profile).

Paths are formatted with the account's fields from bench/accounts.py: grantee, program,
book_coach, book_day. A page's first role is who opens it in its own phase.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

LIBRARY_QUERIES = ("health", "nurs", "employer engagement", "phlebotomy", "clinical placement")


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    kind: str  # "full" or "htmx"
    roles: tuple[str, ...]  # who opens it in the mixed workload; the first also in its own phase
    path: str  # formatted with the account's grantee, program, book_coach, book_day
    target: str = ""  # HX-Target (the element id the page's htmx swaps)
    queries: tuple[str, ...] = ()  # query strings rotated between requests

    def url(self, account: dict, n: int) -> str:
        path = self.path.format(**account)
        if self.queries:
            path += "?" + self.queries[n % len(self.queries)].format(**account)
        return path


GRANTEE_PEOPLE = ("lead", "staff")
PAGES = [
    Page("grantee_dashboard", "Grantee dashboard", "full", GRANTEE_PEOPLE, "/g/{grantee}/"),
    Page("coach_dashboard", "Coach: my grantees", "full", ("coach",), "/coach/"),
    Page("ta_dashboard", "TA admin dashboard", "full", ("ta_admin",), "/ta/"),
    Page("state_dashboard", "State dashboard (program)", "full", ("state_admin",), "/p/{program}/"),
    Page(
        "program_dashboard",
        "Program dashboard",
        "full",
        ("state_admin", "ta_admin"),
        "/p/{program}/dashboard/",
    ),
    Page("hours", "Hour page", "full", ("lead", "staff", "coach"), "/g/{grantee}/hours/"),
    Page(
        "hours_entries",
        "Hour page: ledger page 2",
        "htmx",
        ("lead", "staff", "coach"),
        "/g/{grantee}/hours/",
        target="entries",
        queries=("page=2",),
    ),
    Page(
        "slot_picker",
        "Booking slot picker",
        "full",
        GRANTEE_PEOPLE,
        "/g/{grantee}/coaches/{book_coach}/book/",
    ),
    Page(
        "slot_picker_day",
        "Slot picker: a day's times",
        "htmx",
        GRANTEE_PEOPLE,
        "/g/{grantee}/coaches/{book_coach}/book/",
        target="slots",
        queries=("day={book_day}",),
    ),
    Page("events", "Event list", "full", GRANTEE_PEOPLE, "/g/{grantee}/events/"),
    Page(
        "events_filter",
        "Event list: filter",
        "htmx",
        GRANTEE_PEOPLE,
        "/g/{grantee}/events/",
        target="event-results",
        queries=("kind=webinar", "kind=regional_training", "kind=community_of_practice"),
    ),
    Page("library", "Library", "full", ("lead", "staff", "coach"), "/library/"),
    Page(
        "library_search",
        "Library search results",
        "htmx",
        ("staff", "lead", "coach"),
        "/library/",
        target="library-results",
        queries=tuple(urlencode({"q": q}) for q in LIBRARY_QUERIES),
    ),
    Page(
        "progress_report",
        "Progress report",
        "full",
        ("lead", "staff", "coach"),
        "/g/{grantee}/reports/progress/",
    ),
    Page(
        "program_report",
        "Program report",
        "full",
        ("ta_admin", "state_admin"),
        "/p/{program}/reports/",
    ),
]
BARE = Page("bare", "Bare Django view", "full", (), "/bench/bare/")

"""Library search benchmark: p50/p95/p99 of a search (results page, ranking, snippets, facet
counts — everything the library page runs) over 20,000 resources on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench-library
    (or: .venv/bin/python bench/library_search.py --resources 20000 --rounds 20)

It creates a throwaway database next to DATABASE_URL's (Django's test database machinery),
fills it with bulk inserts, runs each query shape as a grantee's staff member would, prints the
timings and drops the database. It times the search itself and the whole request for the
results partial (what the page fetches as you type) through Django's test client. The issue's
target is p95 ≤ 100 ms; this prints, it does not assert (a timed test would be flaky on a shared
machine)."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
# Each shape is searched 30 times: measure the database's work, not the result cache's.
os.environ["LIBRARY_SEARCH_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

QUERIES = [
    ("one word", {"query": "phlebotomy"}),
    ("prefix while typing", {"query": "nurs"}),
    ("two words", {"query": "employer engagement"}),
    ("three words", {"query": "clinical placement agreement"}),
    ("most common word", {"query": "health"}),
    ("no query, first page", {}),
    ("kind facet", {"kind": "toolkit"}),
    ("query + kind", {"query": "bridge", "kind": "brief"}),
    ("query + topic", {"query": "wage", "topic": "labor-market-data-priority-occupations"}),
    ("query + model", {"query": "training", "model": "iet"}),
    ("rare word", {"query": "sterile"}),
    ("no match", {"query": "zzyzx"}),
]


def fill(resources: int, seed: int = 7) -> object:
    """Reference data, two programs with grantees, a staff member, and `resources` resources
    (mostly portal-wide, some for a program, some for one grantee), indexed for search."""
    from grantees.reference_data import load_reference_data
    from library.sample_text import write_resources
    from tests.factories import GranteeFactory, MembershipFactory, ProgramFactory

    load_reference_data()
    programs = [ProgramFactory(), ProgramFactory()]
    grantees = [GranteeFactory(program=programs[i % 2]) for i in range(40)]
    staff = MembershipFactory(grantee=grantees[0]).user
    write_resources(random.Random(seed), resources, programs, grantees)
    with connection.cursor() as cursor:
        # As autovacuum would: statistics, and the visibility map index-only scans need.
        cursor.execute("VACUUM ANALYZE")
    return staff


def existing_staff():
    """With --keep: the staff member of a database filled by an earlier run, if there is one."""
    from grantees.models import Membership
    from library.models import Resource

    if not Resource.objects.exists():
        return None
    with scopes_disabled():
        return Membership.objects.order_by("pk").first().user


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_query(roles, params: dict, rounds: int) -> tuple[list[float], int]:
    """Milliseconds per search (after two warm-up runs) and the number of results."""
    from library.selectors import SearchFilters, search

    filters = SearchFilters(**params)
    timings = []
    for _ in range(rounds + 2):
        start = time.perf_counter()
        result = search(roles, filters, page_number=1)
        list(result.page.object_list)  # the page is rendered from these
        sum(len(facet) for facet in result.facets.values())
        timings.append((time.perf_counter() - start) * 1000)
    return timings[2:], result.total


def time_request(client, params: dict, rounds: int) -> list[float]:
    """Milliseconds per whole request for the results partial the page fetches as you type:
    middleware, sign-in and tenant checks, the search and the rendered HTML."""
    from django.urls import reverse

    query = {("q" if key == "query" else key): value for key, value in params.items()}
    headers = {"HX-Request": "true", "HX-Target": "library-results"}
    timings = []
    for _ in range(rounds + 2):
        start = time.perf_counter()
        response = client.get(reverse("library"), query, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return timings[2:]


Row = tuple[str, float, float, float, float, int]


def run(staff, rounds: int) -> tuple[list[Row], list[float], list[float]]:
    from django.test import Client
    from django_scopes import scope

    from portal.roles import compute_roles
    from portal.tenancy import GranteeIds

    roles = compute_roles(staff)
    client = Client()
    client.force_login(staff)
    rows, searches, requests = [], [], []
    for label, params in QUERIES:
        with scope(grantee=GranteeIds(sorted(roles.visible_grantee_ids))):  # as the middleware does
            timings, total = time_query(roles, params, rounds)
        whole = time_request(client, params, rounds)
        searches += timings
        requests += whole
        rows.append(
            (
                label,
                statistics.median(timings),
                percentile(timings, 95),
                statistics.median(whole),
                percentile(whole, 95),
                total,
            )
        )
    return rows, searches, requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--keep", action="store_true", help="keep the filled database for the next run"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL server: the target is for PostgreSQL.")
        return 2
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        staff = existing_staff() if args.keep else None
        if staff is None:
            started = time.perf_counter()
            staff = fill(args.resources)
            elapsed = time.perf_counter() - started
            print(f"Filled {args.resources:,} resources in {elapsed:.1f} s.\n")
        rows, searches, requests = run(staff, args.rounds)
        print(f"{'':<24} {'search (selector)':>19} {'whole request':>19}")
        print(
            f"{'query':<24} {'p50 ms':>9} {'p95 ms':>9} {'p50 ms':>9} {'p95 ms':>9} {'results':>8}"
        )
        for label, p50, p95, request_p50, request_p95, total in rows:
            print(
                f"{label:<24} {p50:>9.1f} {p95:>9.1f} {request_p50:>9.1f} {request_p95:>9.1f}"
                f" {total:>8,}"
            )
        print()
        for name, samples in (("searches", searches), ("requests", requests)):
            p95 = percentile(samples, 95)
            print(
                f"All {len(samples)} {name}: p50 {statistics.median(samples):.1f} ms, "
                f"p95 {p95:.1f} ms, p99 {percentile(samples, 99):.1f} ms "
                f"(target p95 ≤ 100 ms: {'met' if p95 <= 100 else 'NOT met'})."
            )
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

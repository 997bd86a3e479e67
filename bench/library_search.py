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

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

# Words of a healthcare-pathway library: general ones most resources use, a cluster per topic
# (in the order of the shared topic list) and occupations. A resource is written mostly from its
# own two topics and one or two occupations, so a word matches a realistic share of resources:
# "health" nearly all, "phlebotomy" a few percent. Filler words make up the rest of the text.
GENERAL_WORDS = (  # noqa: SIM905 - word lists read better as prose
    "health training pathway education students english learners career program regional "
    "consortium partners instructors"
).split()
TOPIC_WORDS = [
    words.split()
    for words in (
        "governance sustainability memorandum board agreement partnership",
        "wage occupation demand labor market priority",
        "employer engagement hiring pledge advisory speaker",
        "design model sequence map stackable entry",
        "integrated iet contextualized team teaching compliance",
        "bridge course preparation transition readiness placement",
        "apprenticeship preapprenticeship sponsor journeyworker related instruction",
        "vocabulary communication patient esl vesl lesson",
        "navigator intake outreach recruitment referral counseling",
        "childcare transportation emergency aid barrier support",
        "clinical placement externship internship worksite agreement",
        "outcomes dashboard skill gains measurement improvement",
        "braided funding wioa caep allowable cost",
        "credential licensure exam certificate testing accommodation",
    )
]
OCCUPATIONS = (  # noqa: SIM905
    "nursing phlebotomy pharmacy dental sterile medical-assistant caregiver emergency-medical "
    "community-health-worker patient-care-technician"
).split()
SYLLABLES = "ka lo mi ren tus ver pa do li gan sor te bri mon cal fen ru zo".split()  # noqa: SIM905

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


def zipf_weights(n: int) -> list[float]:
    return [1 / (rank + 1) for rank in range(n)]


class Writer:
    """Text for a resource about some topics and occupations, padded with filler words."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.filler = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(4000)
        ]
        self.filler_weights = zipf_weights(len(self.filler))

    def text(self, words: int, domain_share: float, topics: list[int], jobs: list[str]) -> str:
        domain = round(words * domain_share)
        own = [word for index in topics for word in TOPIC_WORDS[index % len(TOPIC_WORDS)]]
        picked = self.rng.choices(GENERAL_WORDS, zipf_weights(len(GENERAL_WORDS)), k=domain // 3)
        picked += self.rng.choices(own, k=domain // 2)
        picked += self.rng.choices(jobs, k=domain - domain // 3 - domain // 2)
        picked += self.rng.choices(self.filler, self.filler_weights, k=words - domain)
        self.rng.shuffle(picked)
        return " ".join(picked).replace("-", " ").capitalize() + "."


def fill(resources: int, seed: int = 7) -> object:
    """Reference data, two programs with grantees, a staff member, and `resources` resources
    (mostly portal-wide, some for a program, some for one grantee), indexed for search."""
    from grantees.models import Grantee, Program, Topic
    from grantees.reference_data import load_reference_data
    from library.models import PathwayModel, Resource
    from library.services import RANK_VECTOR, SEARCH_VECTOR
    from tests.factories import GranteeFactory, MembershipFactory, ProgramFactory

    rng = random.Random(seed)
    writer = Writer(rng)
    load_reference_data()
    programs = [ProgramFactory(), ProgramFactory()]
    grantees = [GranteeFactory(program=programs[i % 2]) for i in range(40)]
    staff = MembershipFactory(grantee=grantees[0]).user
    topics = list(Topic.objects.order_by("pk"))
    models = list(PathwayModel.objects.all())
    kinds = Resource.Kind.values
    rows = []
    topic_choices = []
    for i in range(resources):
        spread = i % 20
        program: Program | None = None
        grantee: Grantee | None = None
        visibility = "portal"
        if spread == 0:
            visibility, program = "program", programs[i % 2]
        elif spread == 1:
            grantee = grantees[i % len(grantees)]
            visibility, program = "grantee", grantee.program
        about = rng.sample(range(len(topics)), 2)
        jobs = rng.sample(OCCUPATIONS, rng.randint(1, 2))
        topic_choices.append(about)
        rows.append(
            Resource(
                title=writer.text(6, 0.7, about, jobs),
                summary=writer.text(50, 0.3, about, jobs),
                kind=kinds[i % len(kinds)],
                visibility=visibility,
                program=program,
                grantee=grantee,
                external_url="https://example.org/r",
                status="published" if i % 25 else "draft",
                published_at=django.utils.timezone.now(),
                # Two of three have a file whose text was read (about two pages of words).
                extracted_text=writer.text(800, 0.1, about, jobs) if i % 3 else "",
            )
        )
    created = Resource.objects.bulk_create(rows, batch_size=2000)
    topic_links, model_links = [], []
    for resource, about in zip(created, topic_choices, strict=True):
        for index in about:
            topic_links.append(
                Resource.topics.through(resource_id=resource.pk, topic_id=topics[index].pk)
            )
        model_links.append(
            Resource.pathway_models.through(
                resource_id=resource.pk, pathwaymodel_id=rng.choice(models).pk
            )
        )
    Resource.topics.through.objects.bulk_create(topic_links, batch_size=5000)
    Resource.pathway_models.through.objects.bulk_create(model_links, batch_size=5000)
    # tags_text as the service writes it (kind, topics, models), then one UPDATE for the vector.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE library_resource r SET tags_text = concat_ws(' ', r.kind,
              (SELECT string_agg(t.name, ' ') FROM library_resource_topics rt
                 JOIN grantees_topic t ON t.id = rt.topic_id WHERE rt.resource_id = r.id),
              (SELECT string_agg(m.name, ' ') FROM library_resource_pathway_models rm
                 JOIN library_pathwaymodel m ON m.id = rm.pathwaymodel_id
                 WHERE rm.resource_id = r.id))
            """
        )
    Resource.objects.update(search_vector=SEARCH_VECTOR, rank_vector=RANK_VECTOR)
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

    roles = compute_roles(staff)
    client = Client()
    client.force_login(staff)
    rows, searches, requests = [], [], []
    for label, params in QUERIES:
        with scope(grantee=sorted(roles.visible_grantee_ids)):  # as the tenant middleware does
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

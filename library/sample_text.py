"""Made-up but realistic text for library resources: the load-data generator and the library
search benchmark write resources from these words, so a search term matches a realistic share."""

from __future__ import annotations

import random
from datetime import timedelta

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


def write_resources(rng: random.Random, count: int, programs: list, grantees: list) -> None:
    """`count` resources, mostly portal-wide, one in twenty for a program and one in twenty for
    a grantee, with topics and models, indexed for search as the library service indexes them
    (the search vectors only on PostgreSQL, as there)."""
    from django.db import connection
    from django.utils import timezone

    from grantees.models import Topic
    from library.models import PathwayModel, Resource
    from library.services import RANK_VECTOR, SEARCH_VECTOR
    from portal.versions import bump_version_on_commit

    writer = Writer(rng)
    topics = list(Topic.objects.order_by("pk"))
    models = list(PathwayModel.objects.order_by("pk"))
    kinds = Resource.Kind.values
    now = timezone.now()
    rows, topic_choices = [], []
    for i in range(count):
        spread = i % 20
        program = grantee = None
        visibility = "portal"
        if spread == 0:
            visibility, program = "program", programs[i % len(programs)]
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
                published_at=now - timedelta(minutes=i),  # newest first, as added
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
        if models:
            model_links.append(
                Resource.pathway_models.through(
                    resource_id=resource.pk, pathwaymodel_id=rng.choice(models).pk
                )
            )
    Resource.topics.through.objects.bulk_create(topic_links, batch_size=5000)
    Resource.pathway_models.through.objects.bulk_create(model_links, batch_size=5000)
    # tags_text as the service writes it (kind, topics, models), then one UPDATE for the vector.
    ids = [resource.pk for resource in created]
    agg = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE library_resource SET tags_text = kind
              || coalesce(' ' || (SELECT {agg}(t.name, ' ') FROM library_resource_topics rt
                 JOIN grantees_topic t ON t.id = rt.topic_id
                 WHERE rt.resource_id = library_resource.id), '')
              || coalesce(' ' || (SELECT {agg}(m.name, ' ') FROM library_resource_pathway_models rm
                 JOIN library_pathwaymodel m ON m.id = rm.pathwaymodel_id
                 WHERE rm.resource_id = library_resource.id), '')
            WHERE id BETWEEN %s AND %s
            """,  # noqa: S608 - agg is one of two function names, never input
            [min(ids), max(ids)],
        )
    if connection.vendor == "postgresql":
        Resource.objects.filter(pk__in=ids).update(
            search_vector=SEARCH_VECTOR, rank_vector=RANK_VECTOR
        )
    bump_version_on_commit("library")  # bulk writes send no signals

"""The standard instrument: eight domains of ELL healthcare career pathways, each with one item and
its four-level rubric, read from data/assessment_domains.md (the TA provider's own wording)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from assessments.models import Domain, Instrument, InstrumentVersion, Item
from grantees.models import Topic

SOURCE = Path(__file__).resolve().parent / "data" / "assessment_domains.md"
STANDARD_NAME = "ELL healthcare pathways needs assessment"

# The shared topic taxonomy's slugs each domain draws on (library, events and experts).
DOMAIN_TOPICS = {
    1: ["partnership-governance-sustainability", "braided-funding-caepwioa-compliance"],
    2: ["labor-market-data-priority-occupations", "employer-engagement"],
    3: [
        "pathway-design-program-models",
        "bridge-programs",
        "pre-apprenticeship-apprenticeship",
        "credentialing-licensure",
    ],
    4: ["integrated-education-and-training-iet", "contextualized-esl-vesl-instruction"],
    5: ["outreach-intake-navigation"],
    6: ["support-services-barrier-reduction"],
    7: ["work-based-learning-clinical-placements"],
    8: ["data-outcomes-continuous-improvement"],
}
DOMAIN_KEYS = {
    1: "partnership",
    2: "labor-market",
    3: "pathway-design",
    4: "integrated-instruction",
    5: "navigation",
    6: "supports",
    7: "work-based-learning",
    8: "data-outcomes",
}

_HEADING = re.compile(r"^## (\d+)\. (.+)$")
_LEVEL = re.compile(r"^- \*\*(\d) [^:]+:\*\* (.+)$")
_PROBES = re.compile(r"^- \*Probes:\* (.+)$")


@dataclass
class ParsedDomain:
    number: int
    title: str
    description: list[str] = field(default_factory=list)
    levels: dict[int, str] = field(default_factory=dict)
    probes: str = ""


def parse(text: str) -> list[ParsedDomain]:
    domains: list[ParsedDomain] = []
    current: ParsedDomain | None = None
    for line in text.splitlines():
        line = line.strip()
        if heading := _HEADING.match(line):
            current = ParsedDomain(int(heading[1]), heading[2])
            domains.append(current)
        elif current is None or not line:
            continue
        elif line.startswith(("---", "###")):
            current = None
        elif level := _LEVEL.match(line):
            current.levels[int(level[1])] = level[2]
        elif probes := _PROBES.match(line):
            current.probes = probes[1]
        elif not line.startswith("-"):
            current.description.append(line)
    return domains


@transaction.atomic
def load_standard_instrument() -> InstrumentVersion:
    """Version 1 of the standard instrument, once (found by name after that)."""
    existing = InstrumentVersion.objects.filter(instrument__name=STANDARD_NAME).order_by("number")
    if existing.exists():
        return existing.first()
    instrument = Instrument.objects.create(
        name=STANDARD_NAME,
        description="The baseline desk interview: regional strategy, implementation challenges "
        "and system capacity across eight domains (after the AQCP framework, DOL's six key "
        "elements and the WIOA IET rules).",
    )
    version = InstrumentVersion.objects.create(instrument=instrument, number=1)
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for parsed in parse(SOURCE.read_text(encoding="utf-8")):
        domain = Domain.objects.create(
            version=version,
            key=DOMAIN_KEYS[parsed.number],
            position=parsed.number,
            title=parsed.title,
            description=" ".join(parsed.description),
        )
        domain.topics.set([topics[s] for s in DOMAIN_TOPICS[parsed.number] if s in topics])
        Item.objects.create(
            domain=domain,
            position=1,
            prompt=f"Where does the consortium stand on {parsed.title.lower()}?",
            exploring=parsed.levels[1],
            developing=parsed.levels[2],
            implementing=parsed.levels[3],
            sustaining=parsed.levels[4],
            probes=parsed.probes,
        )
    return version

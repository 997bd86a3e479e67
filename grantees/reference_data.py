"""Public reference data every installation needs: regions, occupations and the topic taxonomy.

Loaded idempotently (by natural key) by seed_demo and by the tests' fixtures.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils.text import slugify

from grantees.models import Occupation, Region, Topic

DATA_DIR = Path(__file__).resolve().parent / "data"

# The shared TA topic taxonomy: the needs-assessment domains plus recurring TA subjects.
TOPICS = [
    "Partnership, governance & sustainability",
    "Labor-market data & priority occupations",
    "Employer engagement",
    "Pathway design & program models",
    "Integrated Education and Training (IET)",
    "Bridge programs",
    "Pre-apprenticeship & apprenticeship",
    "Contextualized ESL / VESL instruction",
    "Outreach, intake & navigation",
    "Support services & barrier reduction",
    "Work-based learning & clinical placements",
    "Data, outcomes & continuous improvement",
    "Braided funding & CAEP/WIOA compliance",
    "Credentialing & licensure",
]


def load_regions() -> list[Region]:
    regions = []
    with open(DATA_DIR / "regions.csv", newline="", encoding="utf-8") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            region, _ = Region.objects.update_or_create(
                slug=slugify(row["region"].replace("/", " ")),
                defaults={
                    "name": row["region"],
                    "counties_summary": row["counties_summary"],
                    "position": position,
                },
            )
            regions.append(region)
    return regions


def load_occupations() -> list[Occupation]:
    occupations = []
    with open(DATA_DIR / "occupations.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            occupation, _ = Occupation.objects.update_or_create(
                soc_code=row["soc_code"],
                defaults={
                    "title": row["title"],
                    "ca_median_annual_wage": int(row["ca_median_annual_wage_usd"] or 0) or None,
                    "wage_year": int(row["wage_year"] or 0) or None,
                    "typical_entry_education": row["typical_entry_education"],
                    "licensing_body": row.get("licensing_body", ""),
                    "title_es": row.get("title_es", ""),
                    "licensing_body_es": row.get("licensing_body_es", ""),
                    "source": row["source"],
                },
            )
            occupations.append(occupation)
    return occupations


def load_topics() -> list[Topic]:
    return [
        Topic.objects.update_or_create(slug=slugify(name)[:50], defaults={"name": name})[0]
        for name in TOPICS
    ]


def load_reference_data() -> None:
    load_regions()
    load_occupations()
    load_topics()

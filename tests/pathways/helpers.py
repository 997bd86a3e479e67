"""Shared test helpers for pathway concepts."""

from __future__ import annotations

import io

from grantees.models import Occupation
from pathways import services
from pathways.models import EnglishLevel, PathwayConcept, PathwayVersion

KINDS = ["course", "course", "credential", "wbl", "course", "credential", "wbl", "next_step"]


def draft_of(concept: PathwayConcept) -> PathwayVersion:
    return PathwayVersion.objects.get(concept=concept, frozen_at__isnull=True)


def step_data(title: str, kind: str = "course", **changes) -> dict:
    return {
        "kind": kind,
        "title": title,
        "title_es": "",
        "duration": "10 weeks",
        "duration_es": "",
        "detail": "",
        "detail_es": "",
        "partners": [],
        **changes,
    }


def full_pathway(world, *, steps: int = 8, marker: str = ""):
    """A's pathway filled to the brim: `steps` steps with long texts and Spanish copies, an entry
    point for every English level, four target occupations."""
    lead = world.users["lead"]
    concept = services.pathway_create(
        actor=lead, grantee=world.grantee, title=f"Long pathway {marker}", model="iet"
    )
    version = draft_of(concept)
    services.pathway_update(
        actor=lead,
        version=version,
        data={
            "title": f"Long pathway {marker}",
            "model": "iet",
            "summary": "For adults learning English who want a healthcare career. " * 6,
            "summary_es": "Para adultos que aprenden inglés y quieren una carrera en salud. " * 6,
            "supports": "\n".join(
                f"Support number {i} with a longer description" for i in range(8)
            ),
            "supports_es": "\n".join(f"Apoyo número {i} con una descripción" for i in range(8)),
            "target_occupations": list(Occupation.objects.order_by("soc_code")[:4]),
        },
    )
    made = []
    for i in range(steps):
        made.append(
            services.step_add(
                actor=lead,
                version=version,
                data=step_data(
                    f"Step title number {i + 1} that is rather long for a card",
                    KINDS[i % len(KINDS)],
                    title_es=f"Paso número {i + 1} con un título bastante largo",
                    duration="32 weeks, evenings and Saturdays",
                    duration_es="32 semanas, tardes y sábados",
                    detail="What the learner does and earns in this step, in detail. " * 5,
                    detail_es="Lo que el estudiante hace y gana en este paso, con detalle. " * 5,
                    partners=[world.partner],
                ),
            )
        )
    services.entry_points_set(
        actor=lead,
        version=version,
        rows={
            level: {
                "step_key": made[min(i, len(made) - 1)].key,
                "note": "CASAS reading score of 221 or more and a talk with the navigator first",
                "note_es": "Puntaje CASAS de lectura de 221 o más y una plática con la orientadora",
            }
            for i, level in enumerate(EnglishLevel.values)
        },
    )
    return concept


def pdf_text(content: bytes) -> str:
    """The PDF's words with every run of whitespace as one space (labels wrap inside cards)."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def pdf_pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)

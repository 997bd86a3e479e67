"""The demo pathways: three consortia with a drafted pathway in English and Spanish, version 1
frozen after the coach's review and version 2 the working draft."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from grantees.management.commands.seed_demo import PROGRAM_SLUG
from grantees.models import Program, User
from pathways.demo import seed_pathways_demo
from pathways.models import PathwayConcept, PathwayVersion, StepComment
from tests.pathways.helpers import pdf_pages, pdf_text
from tests.world import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_pathways(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    program = Program.objects.get(slug=PROGRAM_SLUG)
    seed_pathways_demo(program=program)
    assert seed_pathways_demo(program=program) == []  # a second run adds nothing
    concepts = PathwayConcept.objects.filter(grantee__program=program).select_related("grantee")
    assert {c.grantee.slug for c in concepts} == {
        "harbor-bay",
        "golden-foothills",
        "pacific-gateway",
    }
    for concept in concepts:
        versions = list(PathwayVersion.objects.filter(concept=concept).order_by("number"))
        assert [(v.number, v.is_draft) for v in versions] == [(1, False), (2, True)]
        draft = versions[1]
        assert draft.change_note and draft.summary_es and draft.supports_es
        assert draft.target_occupations.exists() and draft.entry_points.exists()
        steps = list(draft.steps.all())
        assert len(steps) >= 4 and all(s.title_es and s.duration_es for s in steps)
        assert {s.key for s in versions[0].steps.all()} <= {s.key for s in steps}
        comments = StepComment.objects.filter(concept=concept)
        coach_comments = comments.filter(author__coach_profile__isnull=False)
        assert coach_comments.filter(resolved_at__isnull=False, version_number=1).exists()
        assert coach_comments.filter(resolved_at__isnull=True, version_number=2).exists()

    harbor = concepts.get(grantee__slug="harbor-bay")
    kinds = list(
        PathwayVersion.objects.get(concept=harbor, number=2)
        .steps.order_by("position")
        .values_list("kind", flat=True)
    )
    assert kinds == ["course", "course", "credential", "credential", "wbl", "next_step"]
    client = Client()
    sign_in(client, User.objects.get(email="lead@example.org"))
    page = client.get(f"/g/harbor-bay/pathways/{harbor.pk}/")
    assert page.status_code == 200 and "CCMA certification" in page.content.decode()
    response = client.get(f"/g/harbor-bay/pathways/{harbor.pk}/v/2/map/es.pdf")
    text = pdf_text(response.content)
    assert "Certificación CCMA" in text and "DÓNDE PUEDES EMPEZAR" in text.upper()
    assert pdf_pages(response.content) == 1
    import os

    if os.environ.get("PATHWAY_MAP_OUT"):
        for lang in ("en", "es"):
            url = f"/g/harbor-bay/pathways/{harbor.pk}/v/2/map/{lang}.pdf"
            with open(f"{os.environ['PATHWAY_MAP_OUT']}/demo-{lang}.pdf", "wb") as out:
                out.write(client.get(url).content)

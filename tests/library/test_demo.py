"""The demo library is what the issue asks for: about forty resources of every kind, real PDFs
whose words are searchable, three collections, and recordings filed from events."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from library.models import Collection, Resource

pytestmark = pytest.mark.django_db


def test_the_demo_library(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    published = Resource.objects.filter(status="published")
    assert published.count() >= 40
    assert set(published.values_list("kind", flat=True)) == set(Resource.Kind.values)
    assert Collection.objects.count() == 3
    assert all(c.items.count() >= 4 for c in Collection.objects.all())
    pdfs = Resource.objects.exclude(file="")
    assert pdfs.count() >= 20
    assert not pdfs.filter(extracted_text="").exists()
    assert published.filter(source_event__isnull=False, kind="recording").exists()
    assert set(Resource.objects.values_list("visibility", flat=True)) == {
        "portal",
        "program",
        "grantee",
    }
    assert Resource.objects.filter(status="draft").exists()

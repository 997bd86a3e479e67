"""Query budgets: every outcomes page runs the same number of queries at 1× and 10× data, and no
more than 20."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outcomes import quarters
from outcomes.models import QuarterlyOutcome
from tests.budget import PAGE_QUERY_BUDGET, assert_constant_queries
from tests.factories import GranteeFactory, MembershipFactory
from tests.outcomes.helpers import csv_row, csv_text, values

pytestmark = pytest.mark.django_db


def more_quarters(grantee):
    """grow(n): n more reported quarters for the grantee, going back from Apr–Jun 2026."""

    def grow(n):
        have = set(
            QuarterlyOutcome.objects.filter(grantee=grantee).values_list("quarter_start", flat=True)
        )
        quarter = datetime.date(2026, 4, 1)
        added = 0
        while added < n:
            if quarter not in have:
                QuarterlyOutcome.objects.create(
                    grantee=grantee, quarter_start=quarter, notes=f"Note {quarter}", **values()
                )
                added += 1
            quarter = quarters.shift(quarter, -1)

    return grow


def more_grantees(world):
    """grow(n): n more grantees of the program, each with a member and two reported quarters."""

    def grow(n):
        for _ in range(n):
            grantee = GranteeFactory(program=world.program)
            MembershipFactory(grantee=grantee)
            for quarter in (datetime.date(2026, 7, 1), datetime.date(2026, 4, 1)):
                QuarterlyOutcome.objects.create(grantee=grantee, quarter_start=quarter, **values())

    return grow


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("lead", ""),
        ("state", ""),
        ("lead", "2026-q3/"),
        ("lead", "2026-q2/"),
        ("lead", "import/"),
    ],
)
def test_grantee_pages(world, client_for, role, path):
    assert_constant_queries(
        client_for(role),
        f"/g/{world.grantee.slug}/outcomes/{path}",
        grow=more_quarters(world.grantee),
    )


def test_program_rollup(world, client_for):
    grow = more_grantees(world)
    assert_constant_queries(client_for("state"), f"/p/{world.program.slug}/outcomes/", grow=grow)
    assert_constant_queries(
        client_for("ta_admin"), f"/p/{world.program.slug}/outcomes/?quarter=2026-q2", grow=grow
    )


def streamed_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    return len(captured)


def test_csv_downloads(world, client_for):
    state, lead = client_for("state"), client_for("lead")
    program_csv = f"/p/{world.program.slug}/outcomes.csv"
    template = f"/g/{world.grantee.slug}/outcomes/template.csv"
    streamed_queries(state, program_csv)
    streamed_queries(lead, template)
    more_grantees(world)(1)
    more_quarters(world.grantee)(1)
    small = streamed_queries(state, program_csv), streamed_queries(lead, template)
    more_grantees(world)(9)
    more_quarters(world.grantee)(9)
    large = streamed_queries(state, program_csv), streamed_queries(lead, template)
    assert small == large and max(large) <= PAGE_QUERY_BUDGET


def preview_queries(client, slug, rows) -> int:
    text = csv_text(*rows)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            f"/g/{slug}/outcomes/import/", {"file": SimpleUploadedFile("o.csv", text.encode())}
        )
    assert response.status_code == 200, response.content.decode()[:500]
    return len(captured)


def test_import_preview(world, client_for):
    client = client_for("lead")
    slug = world.grantee.slug
    names = [quarters.csv_name(q) for q in quarters.allowed(world.program, timezone.localdate())][
        :10
    ]
    preview_queries(client, slug, [csv_row(names[1])])
    one = preview_queries(client, slug, [csv_row(names[1])])
    ten = preview_queries(client, slug, [csv_row(name) for name in names])
    assert one == ten <= PAGE_QUERY_BUDGET

"""The program rollup: sums by region that reconcile with the grantees' own reports and with the
program total, grantees reporting or not, an honestly labelled average of medians, the trend,
the CSV, and who may see it."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest

from grantees.models import Region
from outcomes import selectors
from outcomes.models import COUNT_FIELDS, QuarterlyOutcome
from tests.factories import GranteeFactory
from tests.outcomes.helpers import values
from tests.world import MARKER

pytestmark = pytest.mark.django_db
D = datetime.date
Q3 = D(2026, 7, 1)


@pytest.fixture
def program(world):
    """World's P1 (A and B in one region, each with Jul–Sep 2026) plus two grantees in another
    region: one reporting Jul–Sep and Apr–Jun, one never; and an inactive one that reported."""
    other_region = Region.objects.exclude(pk=world.grantee.region_id).order_by("name").first()
    east = GranteeFactory(program=world.program, name="East Consortium", region=other_region)
    GranteeFactory(program=world.program, name="Quiet Consortium", region=other_region)
    gone = GranteeFactory(program=world.program, name="Gone Consortium", is_active=False)
    for grantee, quarter, changes in (
        (
            east,
            Q3,
            {
                "enrolled": 40,
                "credentials_earned": 20,
                "employed_healthcare": 10,
                "median_wage_cents": 2500,
            },
        ),
        (east, D(2026, 4, 1), {"enrolled": 30}),
        (gone, Q3, {"enrolled": 99}),
    ):
        QuarterlyOutcome.objects.create(grantee=grantee, quarter_start=quarter, **values(**changes))
    return world.program


def test_regions_are_the_sum_of_their_grantees_and_the_program_of_its_regions(world, program):
    rollup = selectors.program_rollup(program=program, quarter=Q3)
    assert len(rollup.regions) == 2
    for region in rollup.regions:
        reported = [r.outcome for r in region.rows if r.outcome]
        assert region.tally.grantees == len(region.rows)
        assert region.tally.reporting == len(reported)
        for name in COUNT_FIELDS:
            assert region.tally.counts[name] == sum(getattr(o, name) for o in reported), name
    for name in COUNT_FIELDS:
        assert rollup.total.counts[name] == sum(r.tally.counts[name] for r in rollup.regions)
    assert (
        rollup.total.enrolled == 24 + 24 + 40
    )  # the inactive grantee is not in the program's sums
    assert (rollup.total.reporting, rollup.total.grantees) == (3, 4)
    assert [g.name for g in rollup.not_reported] == ["Quiet Consortium"]


def test_each_grantee_row_is_its_own_report(world, program):
    rollup = selectors.program_rollup(program=program, quarter=Q3)
    for region in rollup.regions:
        for row in region.rows:
            own = QuarterlyOutcome.objects.filter(grantee=row.grantee, quarter_start=Q3).first()
            assert row.outcome == own


def test_medians_are_averaged_weighted_by_the_employed_and_said_so(world, client_for, program):
    rollup = selectors.program_rollup(program=program, quarter=Q3)
    # A and B: $22.00 for 7 employed each; East: $25.00 for 10.
    expected = (Decimal(2200 * 7 + 2200 * 7 + 2500 * 10) / 24 / 100).quantize(Decimal("0.01"))
    assert rollup.total.weighted_wage == expected == Decimal("23.25")
    east = next(r for r in rollup.regions if r.tally.label != world.grantee.region.name)
    assert east.tally.weighted_wage == Decimal("25.00")
    body = client_for("state").get(f"/p/{program.slug}/outcomes/?quarter=2026-q3").content.decode()
    assert "A median can't be added up" in body
    assert "weighted by the learners it employed in healthcare" in body
    assert "$23.25" in body


def test_no_wage_reported_means_no_average(world):
    QuarterlyOutcome.objects.update(median_wage_cents=None)
    assert selectors.program_rollup(program=world.program, quarter=Q3).total.weighted_wage is None


def test_the_trend_matches_the_rollup_of_each_quarter(world, program):
    trend = selectors.program_trend(program=program)
    assert list(trend) == [D(2026, 4, 1), Q3]
    for quarter, tally in trend.items():
        rollup = selectors.program_rollup(program=program, quarter=quarter).total
        assert tally.counts == rollup.counts, quarter
        assert tally.reporting == rollup.reporting
        assert tally.weighted_wage == rollup.weighted_wage


def test_the_page_defaults_to_the_latest_quarter_with_data(world, client_for, program):
    client = client_for("state")
    body = client.get(f"/p/{program.slug}/outcomes/").content.decode()
    assert "Jul–Sep 2026 · 3 of 4 grantees reported" in body
    assert "Not yet reported for Jul–Sep 2026:" in body and "Quiet Consortium" in body
    assert "Gone Consortium" not in body
    spring = client.get(f"/p/{program.slug}/outcomes/?quarter=2026-q2").content.decode()
    assert "Apr–Jun 2026 · 1 of 4 grantees reported" in spring
    bad = client.get(f"/p/{program.slug}/outcomes/?quarter=2099-q1")
    assert (
        bad.status_code == 422 and "Choose one of the quarters in the list." in bad.content.decode()
    )
    assert client.get(f"/p/{program.slug}/outcomes/?quarter=nonsense").status_code == 422


def test_a_program_with_no_reports_yet(world, client_for):
    QuarterlyOutcome.objects.all().delete()
    body = client_for("ta_admin").get(f"/p/{world.program.slug}/outcomes/").content.decode()
    assert "No grantee has reported learner outcomes yet." in body
    assert "0 of 2 grantees reported" in body


def test_the_csv_has_every_reported_quarter_of_the_program_only(world, client_for, program):
    response = client_for("state").get(f"/p/{program.slug}/outcomes.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {(r["grantee"], r["quarter"]) for r in rows} == {
        (world.grantee.name, "2026-Q3"),
        ("Bravo Consortium", "2026-Q3"),
        ("East Consortium", "2026-Q3"),
        ("East Consortium", "2026-Q2"),
    }
    alpha = next(r for r in rows if MARKER in r["grantee"])
    assert alpha["enrolled"] == "24" and alpha["median_hourly_wage"] == "22.00"
    assert alpha["level_not_recorded"] == "0" and alpha["quarter_start"] == "2026-07-01"
    assert "notes" not in alpha
    other = b"".join(
        client_for("other_state")
        .get(f"/p/{world.other_program.slug}/outcomes.csv")
        .streaming_content
    ).decode()
    assert MARKER not in other and "Bravo" not in other


def test_who_sees_the_rollup(world, client_for):
    for url in (f"/p/{world.program.slug}/outcomes/", f"/p/{world.program.slug}/outcomes.csv"):
        for role in ("state", "ta_admin"):
            assert client_for(role).get(url).status_code == 200, (role, url)
        for role in ("lead", "staff", "coach", "other_state", "other_staff"):
            assert client_for(role).get(url).status_code == 404, (role, url)


def test_linked_from_the_program_overview_and_report(world, client_for):
    client = client_for("state")
    link = f'href="/p/{world.program.slug}/outcomes/"'
    assert link in client.get(f"/p/{world.program.slug}/").content.decode()
    assert link in client.get(f"/p/{world.program.slug}/reports/").content.decode()

"""Learner outcomes in the progress report (page, PDF, CSV, XLSX): the calendar quarters inside
the report's period, each and summed, the same numbers in every format."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from outcomes.models import QuarterlyOutcome
from reports import periods
from reports.selectors import grantee_progress
from tests.outcomes.helpers import values

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def reported(solo):
    for quarter, changes in (
        (D(2026, 4, 1), {"enrolled": 99, "enrolled_esl_4": 80}),  # before the program year
        (D(2026, 7, 1), {}),
        (
            D(2026, 10, 1),
            {
                "enrolled": 30,
                "credentials_earned": 13,
                "employed_healthcare": 9,
                "median_wage_cents": 2500,
            },
        ),
    ):
        QuarterlyOutcome.objects.create(
            grantee=solo.grantee, quarter_start=quarter, **values(**changes)
        )
    return solo


def test_the_report_covers_the_quarters_of_its_period(reported):
    program = reported.program
    q1 = grantee_progress(grantee=reported.grantee, period=periods.program_period(program, "q1"))
    assert q1.outcomes.quarters == [D(2026, 7, 1)]
    assert q1.outcomes.total.enrolled == 24
    year = grantee_progress(
        grantee=reported.grantee, period=periods.program_period(program, "year")
    )
    assert year.outcomes.quarters == [D(2026, 7, 1), D(2026, 10, 1), D(2027, 1, 1), D(2027, 4, 1)]
    assert [o.quarter_start for o in year.outcomes.outcomes] == [D(2026, 7, 1), D(2026, 10, 1)]
    assert year.outcomes.missing == [D(2027, 1, 1), D(2027, 4, 1)]
    total = year.outcomes.total
    assert (
        total.enrolled,
        total.counts["credentials_earned"],
        total.counts["employed_healthcare"],
    ) == (54, 24, 16)
    # $22.00 for 7 employed and $25.00 for 9: weighted, not summed.
    assert str(total.weighted_wage) == "23.69"
    empty = grantee_progress(
        grantee=reported.grantee, period=periods.Period("custom", D(2026, 9, 1), D(2026, 9, 30))
    )
    assert empty.outcomes.quarters == [] and empty.outcomes.total.enrolled == 0


def exports(client, slug, query):
    base = f"/g/{slug}/reports/progress"
    page = client.get(base + "/", query).content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get(base + ".csv", query).streaming_content).decode())
        )
    )
    book = load_workbook(io.BytesIO(client.get(base + ".xlsx", query).content))
    from tests.assessments.test_assessments import pdf_text

    pdf = pdf_text(client.get(base + ".pdf", query).content)
    return page, rows, book, pdf


def test_every_format_carries_the_section(reported):
    page, rows, book, pdf = exports(reported.client, reported.grantee.slug, {"period": "year"})
    assert 'id="outcomes-heading">Learner outcomes</h2>' in page
    assert "Quarters in the period: Jul–Sep 2026, Oct–Dec 2026, Jan–Mar 2027, Apr–Jun 2027." in page
    assert "Not reported yet: Jan–Mar 2027, Apr–Jun 2027." in page
    assert "Sum of the quarters" in page and "Apr–Jun 2026" not in page

    summary = {r["measure"]: r["value"] for r in rows if r["section"] == "Learner outcomes"}
    assert summary["Quarters reported"] == "2"
    assert summary["Learners enrolled (sum of quarters)"] == "54"
    assert summary["Earned an industry credential (sum of quarters)"] == "24"
    assert summary["Employed in healthcare within 2 quarters (sum of quarters)"] == "16"
    assert (
        summary["Median starting wage (employment-weighted average of the quarters' medians)"]
        == "23.69"
    )
    detail = {
        r["measure"]: r["value"] for r in rows if r["section"] == "Learner outcomes by quarter"
    }
    assert detail["Oct–Dec 2026: Learners enrolled"] == "30"
    assert detail["Jul–Sep 2026: Median starting hourly wage"] == "22.00"

    sheet = book["Learner outcomes"]
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:2] == ("Quarter", "Learners enrolled")
    assert [r[0] for r in table[1:]] == [
        "Jul–Sep 2026",
        "Oct–Dec 2026",
        "Jan–Mar 2027",
        "Apr–Jun 2027",
        "Sum of the quarters (wage: employment-weighted average of the medians)",
    ]
    assert table[1][1] == 24 and table[2][1] == 30 and table[3][1] == "not reported"
    assert table[5][1] == 54

    assert "Learner outcomes" in pdf and "Oct–Dec 2026" in pdf and "Sum of the quarters" in pdf


def test_a_period_without_reports_says_so(solo):
    page, rows, book, pdf = exports(solo.client, solo.grantee.slug, {"period": "q1"})
    assert "Not reported yet: Jul–Sep 2026." in page
    summary = {r["measure"]: r["value"] for r in rows if r["section"] == "Learner outcomes"}
    assert summary == {"Quarters in the period": "Jul–Sep 2026", "Quarters reported": "0"}
    first = list(book["Learner outcomes"].iter_rows(values_only=True))[1]
    assert first[:2] == ("Jul–Sep 2026", "not reported") and not any(first[2:])

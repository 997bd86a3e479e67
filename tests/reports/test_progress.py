"""The grantee progress report: periods, numbers that reconcile with the raw rows, exports that
never carry another tenant's data, and a query count that does not grow."""

from __future__ import annotations

import csv
import datetime
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Registration
from grantees.models import Topic
from portal.services import ServiceError
from reports import periods
from reports.selectors import grantee_progress
from support_hours.models import CoachingSession, LedgerEntry
from support_hours.services import session_record
from tests.budget import assert_constant_queries
from tests.world import INTERNAL_MARKER, MARKER

pytestmark = pytest.mark.django_db

D = datetime.date


class Program:
    starts_on, ends_on = D(2026, 7, 1), D(2027, 6, 30)


@pytest.mark.parametrize(
    ("key", "first", "last"),
    [
        ("q1", D(2026, 7, 1), D(2026, 9, 30)),
        ("q2", D(2026, 10, 1), D(2026, 12, 31)),
        ("q3", D(2027, 1, 1), D(2027, 3, 31)),
        ("q4", D(2027, 4, 1), D(2027, 6, 30)),
        ("h1", D(2026, 7, 1), D(2026, 12, 31)),
        ("h2", D(2027, 1, 1), D(2027, 6, 30)),
        ("year", D(2026, 7, 1), D(2027, 6, 30)),
    ],
)
def test_named_periods_follow_the_program_year(key, first, last):
    period = periods.program_period(Program, key)
    assert (period.starts_on, period.ends_on) == (first, last)


def test_no_period_asked_means_the_current_quarter():
    period = periods.parse_period(Program, {}, D(2026, 11, 29))
    assert (period.key, period.starts_on) == ("q2", D(2026, 10, 1))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "custom", "from": "nope", "to": "2026-01-01"}, "from", "YYYY-MM-DD"),
        ({"period": "custom", "from": "2026-09-01", "to": "2026-08-01"}, "to", "on or after"),
        ({"period": "custom", "from": "2020-01-01", "to": "2026-01-01"}, "to", "three years"),
    ],
)
def test_bad_custom_dates_name_the_field(params, field, message):
    with pytest.raises(ServiceError) as error:
        periods.parse_period(Program, params, D(2026, 11, 29))
    assert error.value.field == field and message in error.value.messages[0]


def year(world):
    return periods.program_period(world.program, "year")


def test_numbers_reconcile_with_the_raw_rows(world):
    """Recomputed here from the entries, sessions and registrations themselves, in Python."""
    topic = Topic.objects.order_by("name").last()
    session_record(
        actor=world.users["coach"],
        grantee=world.grantee,
        key="report-extra",
        data={
            "started_at": timezone.now() - timedelta(days=1),
            "minutes": 75,
            "mode": "virtual",
            "topics": [topic, Topic.objects.order_by("name").first()],
            "summary": "Extra",
        },
    )
    period = periods.Period("custom", world.program.starts_on, timezone.localdate())
    report = grantee_progress(grantee=world.grantee, period=period)

    entries = list(
        LedgerEntry.objects.filter(account__grantee=world.grantee, effective_on__lte=period.ends_on)
    )
    allocated = sum(e.minutes for e in entries if e.bucket == "allocated")
    used = -sum(e.minutes for e in entries if e.bucket == "used")
    held = -sum(e.minutes for e in entries if e.bucket == "held")
    assert report.hours.allocated_minutes == allocated == 100 * 60
    assert report.hours.used_to_date_minutes == used
    assert report.hours.held_minutes == held
    assert report.hours.remaining_minutes == allocated - used - held

    sessions = [
        s
        for s in CoachingSession.objects.filter(grantee=world.grantee)
        if period.starts_on <= timezone.localtime(s.started_at).date() <= period.ends_on
    ]
    assert report.sessions == len(sessions) == 2
    assert report.session_minutes == sum(s.minutes for s in sessions) == 90 + 75
    by_topic = {}
    for session in sessions:
        for t in session.topics.all():
            by_topic[t.name] = by_topic.get(t.name, 0) + session.minutes
    assert {row.label: row.minutes for row in report.by_topic} == by_topic
    assert sum(row.minutes for row in report.by_coach) == report.session_minutes

    registrations = [
        r
        for r in Registration.objects.filter(grantee=world.grantee).select_related("event")
        if r.status != "cancelled"
        and period.starts_on <= timezone.localtime(r.event.starts_at).date() <= period.ends_on
    ]
    assert len(report.event_rows) == len(registrations)
    assert report.assessment.assessment.overall_score == Decimal("2.00")
    assert report.actions_total == 1


def test_a_period_before_anything_happened_is_empty(world):
    period = periods.Period("custom", D(2020, 1, 1), D(2020, 3, 31))
    report = grantee_progress(grantee=world.grantee, period=period)
    assert report.sessions == 0 and report.hours.allocated_minutes == 0
    assert report.assessment is None


def export_texts(client, slug):
    base = f"/g/{slug}/reports/progress"
    query = {"period": "year"}
    csv_body = b"".join(client.get(base + ".csv", query).streaming_content).decode()
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(base + ".xlsx", query).content))
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    from tests.assessments.test_assessments import pdf_text

    pdf = pdf_text(client.get(base + ".pdf", query).content)
    page = client.get(base + "/", query).content.decode()
    return {"csv": csv_body, "xlsx": cells, "pdf": pdf, "page": page}


def test_the_page_lists_the_latest_registrations_and_the_exports_list_all(
    world, client_for, monkeypatch
):
    from reports import views

    report = grantee_progress(
        grantee=world.grantee, period=periods.program_period(world.grantee.program, "year")
    )
    total = report.events.registrations
    assert total == len(report.event_rows) >= 2  # the world's event and its CoP series
    monkeypatch.setattr(views, "PAGE_EVENT_ROWS", 1)
    texts = export_texts(client_for("lead"), world.grantee.slug)
    section = texts["page"].split('id="events-heading"')[1].split('id="assessment-heading"')[0]
    assert section.count("<tbody>") == 1 and section.count('<tr><th scope="row">') == 1
    assert f"The 1 latest of {total} registrations" in section
    assert report.event_rows[0].event.title in section  # the latest event first
    for kind in ("xlsx", "pdf"):  # the CSV has the totals only
        for row in report.event_rows:
            assert row.event.title in texts[kind], kind
        assert "latest of" not in texts[kind], kind


def test_exports_carry_the_grantee_and_never_another_tenant(world, client_for):
    mine = export_texts(client_for("lead"), world.grantee.slug)
    for kind, text in mine.items():
        assert MARKER in text, kind  # A's name carries the marker
        assert INTERNAL_MARKER not in text, kind
    rows = list(csv.DictReader(io.StringIO(mine["csv"])))
    assert {"Hours", "Sessions", "Events", "Needs assessment", "TA plan"} <= {
        r["section"] for r in rows
    }
    theirs = export_texts(client_for("other_staff"), world.other_grantee.slug)
    for kind, text in theirs.items():
        assert MARKER not in text, kind
        assert "Bravo" in text, kind


def test_outsiders_get_no_report(world, client_for):
    for suffix in ("/", ".pdf", ".csv", ".xlsx"):
        url = f"/g/{world.grantee.slug}/reports/progress{suffix}"
        assert client_for("other_staff").get(url).status_code == 404
        assert client_for("other_state").get(url).status_code == 404


def test_bad_dates_get_a_message_on_every_format(world, client_for):
    client = client_for("state")
    query = {"period": "custom", "from": "2026-09-01", "to": "2026-08-01"}
    for suffix in ("/", ".pdf", ".csv", ".xlsx"):
        response = client.get(f"/g/{world.grantee.slug}/reports/progress{suffix}", query)
        assert response.status_code == 422
        assert "The end date must be on or after the start date." in response.content.decode()


def test_report_page_keeps_its_query_count(world, client_for):
    topics = list(Topic.objects.all())

    def grow(n):
        for i in range(n):
            session_record(
                actor=world.users["coach"],
                grantee=world.grantee,
                key=f"grow-{CoachingSession.objects.count()}-{i}",
                data={
                    "started_at": timezone.now() - timedelta(days=2 + i),
                    "minutes": 30,
                    "mode": "virtual",
                    "topics": [topics[i % len(topics)]],
                    "summary": "More",
                },
            )

    assert_constant_queries(
        client_for("lead"),
        f"/g/{world.grantee.slug}/reports/progress/?period=year",
        grow=grow,
    )


class MidMonthProgram:
    starts_on, ends_on = D(2026, 7, 15), D(2027, 7, 14)


class ShortProgram:
    starts_on, ends_on = D(2026, 1, 1), D(2026, 6, 30)


def test_every_day_of_a_mid_month_program_falls_in_a_quarter():
    day = MidMonthProgram.starts_on
    while day <= MidMonthProgram.ends_on:
        period = periods.current_quarter(MidMonthProgram, day)
        assert period.starts_on <= day <= period.ends_on, day
        day += datetime.timedelta(days=1)
    assert periods.program_period(MidMonthProgram, "q4").ends_on == D(2027, 7, 14)


def test_a_short_program_has_only_its_quarters():
    keys = [key for key, _ in periods.available(ShortProgram)]
    assert keys == ["q1", "q2", "h1", "year", "custom"]
    with pytest.raises(ServiceError) as error:
        periods.parse_period(ShortProgram, {"period": "q3"}, D(2026, 3, 1))
    assert error.value.field == "period"


def test_custom_dates_stay_near_the_program():
    with pytest.raises(ServiceError) as error:
        periods.parse_period(
            Program, {"period": "custom", "from": "9999-12-30", "to": "9999-12-31"}, D(2026, 1, 1)
        )
    assert error.value.field == "from" and "Choose a date between" in error.value.messages[0]


def test_odd_region_and_dates_get_messages_not_errors(world, client_for):
    client = client_for("state")
    assert client.get(f"/p/{world.program.slug}/reports/", {"region": "²"}).status_code == 200
    far = {"period": "custom", "from": "9999-12-30", "to": "9999-12-31"}
    assert client.get(f"/g/{world.grantee.slug}/reports/progress/", far).status_code == 422


def test_the_pdf_renders_pages_with_ink_on_them(world, client_for, tmp_path):
    """Beyond its text: poppler draws the first two pages (cover and hours chart) and they are
    not blank."""
    import shutil
    import subprocess

    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils (pdftoppm) is part of the system dependencies"
    response = client_for("lead").get(
        f"/g/{world.grantee.slug}/reports/progress.pdf", {"period": "year"}
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(  # noqa: S603 - a fixed tool on a file this test wrote
        [pdftoppm, "-r", "30", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
        assert dark > 200, f"{page.name} looks blank"

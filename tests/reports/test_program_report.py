"""The program report and its exports: numbers that match each grantee's own report, files that
hold only the program's grantees, jobs that fail cleanly, retry, e-mail and expire."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import Notification
from reports import periods, services
from reports.models import ExportJob
from reports.selectors import grantee_progress, program_rows
from tests.budget import assert_constant_queries
from tests.factories import GranteeFactory
from tests.world import INTERNAL_MARKER, MARKER

pytestmark = pytest.mark.django_db


def year(program):
    return periods.program_period(program, "year")


def _more_outcomes(world):
    """A second quarter for A inside the period, and one for B before it (left out)."""
    from outcomes.models import QuarterlyOutcome

    QuarterlyOutcome.objects.create(
        grantee=world.grantee,
        quarter_start=date(2026, 10, 1),
        enrolled=30,
        enrolled_esl_4=20,
        skill_gains=9,
        credentials_earned=5,
        employed_healthcare=3,
        median_wage_cents=2300,
    )
    QuarterlyOutcome.objects.create(
        grantee=world.other_grantee,
        quarter_start=date(2026, 4, 1),
        enrolled=99,
        credentials_earned=98,
        employed_healthcare=97,
    )


def test_each_row_matches_the_grantee_s_own_report(world):
    _more_outcomes(world)
    period = periods.Period("custom", world.program.starts_on, date(2026, 12, 31))
    for row in program_rows(program=world.program, period=period):
        own = grantee_progress(grantee=row.grantee, period=period)
        assert row.allocated_minutes == own.hours.allocated_minutes
        assert row.used_in_period_minutes == own.hours.used_in_period_minutes
        assert row.used_to_date_minutes == own.hours.used_to_date_minutes
        assert row.held_minutes == own.hours.held_minutes
        assert (row.sessions, row.session_minutes) == (own.sessions, own.session_minutes)
        assert row.office_hours_attended == own.office_hours_attended
        assert row.one_on_ones == own.one_on_ones
        assert row.events_registered == own.events.registered
        assert row.events_attended == own.events.attended
        own_score = own.assessment.assessment.overall_score if own.assessment else None
        assert row.overall_score == own_score
        goals = sum(own.goals_by_status.values())
        assert (row.goals_total, row.goals_done) == (goals, own.goals_by_status.get("Done", 0))
        outcomes = own.outcomes.total.counts
        assert row.outcome_quarters == len(own.outcomes.outcomes)
        assert row.enrolled == outcomes["enrolled"]
        assert row.credentials_earned == outcomes["credentials_earned"]
        assert row.employed_healthcare == outcomes["employed_healthcare"]
    rows = {row.grantee.pk: row for row in program_rows(program=world.program, period=period)}
    a, b = rows[world.grantee.pk], rows[world.other_grantee.pk]
    # A: Jul–Sep (24 enrolled) and Oct–Dec (30); B: Jul–Sep only (Apr–Jun is before the period).
    assert (a.outcome_quarters, a.enrolled, a.credentials_earned) == (2, 54, 16)
    assert (b.outcome_quarters, b.enrolled, b.employed_healthcare) == (1, 24, 7)


def test_region_totals_reconcile_with_their_grantees_and_the_program(world):
    """Every summed measure: a region's total is the sum of its grantees' rows, and the
    program's total is the sum of the regions' (an extra grantee sits in another region)."""
    from grantees.models import Region
    from outcomes.models import QuarterlyOutcome
    from reports.selectors import SUMMED, by_region, totals

    _more_outcomes(world)
    elsewhere = Region.objects.exclude(pk=world.grantee.region_id).first()
    far = GranteeFactory(program=world.program, name="Elsewhere Consortium", region=elsewhere)
    QuarterlyOutcome.objects.create(
        grantee=far,
        quarter_start=date(2026, 7, 1),
        enrolled=40,
        credentials_earned=12,
        employed_healthcare=6,
        median_wage_cents=2050,
    )
    period = periods.program_period(world.program, "year")
    rows = program_rows(program=world.program, period=period)
    regions = by_region(rows)
    assert len(regions) == 2
    for total in regions:
        members = [r for r in rows if r.grantee.region.name == total["label"]]
        assert total["grantees"] == len(members)
        for name in SUMMED:
            assert total[name] == sum(getattr(r, name) for r in members), (total["label"], name)
    program = totals(rows, "Program")
    for name in SUMMED:
        assert program[name] == sum(t[name] for t in regions), name
    assert program["enrolled"] == 24 + 30 + 24 + 40
    assert program["credentials_earned"] == 11 + 5 + 11 + 12
    # The exported region rows carry the same outcome totals.
    from reports import exports

    header = exports.region_header()
    for total in [*regions, program]:
        row = dict(zip(header, exports.region_row(total), strict=True))
        assert row["Learners enrolled"] == total["enrolled"]
        assert row["Employed in healthcare"] == total["employed_healthcare"]


def run(job):
    return services.export_run(job.pk)


def workbook_text(job) -> tuple[list[str], str]:
    with job.file.open("rb") as data:
        book = load_workbook(io.BytesIO(data.read()))
    text = " ".join(
        str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r if v
    )
    return book.sheetnames, text


def test_the_world_export_is_a_whole_workbook(world):
    job = world.export
    assert job.status == ExportJob.Status.DONE and job.progress == 100
    sheets, text = workbook_text(job)
    assert sheets == [
        "Grantees",
        "Hours",
        "Sessions",
        "Events",
        "Assessments",
        "Learner outcomes",
        "By region",
    ]
    assert MARKER in text and "Bravo Consortium" in text
    assert "Charlie" not in text and INTERNAL_MARKER not in text
    assert job.file_name.endswith(".xlsx") and job.expires_at > timezone.now()


def test_ready_mail_is_sent_once_the_job_commits(world, django_capture_on_commit_callbacks):
    job = services.export_request(
        actor=world.users["ta_admin"], program=world.program, period=year(world.program), fmt="csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run(job)
    note = Notification.objects.get(recipient=world.users["ta_admin"], key=f"export:{job.pk}:ready")
    assert "is ready" in note.subject and f"/reports/exports/{job.pk}/" in note.url


def test_another_program_s_export_never_holds_a(world):
    job = services.export_request(
        actor=world.users["other_state"],
        program=world.other_program,
        period=year(world.other_program),
        fmt="xlsx",
    )
    _, text = workbook_text(run(job))
    assert MARKER not in text and "Charlie Consortium" in text


def test_region_filter_keeps_other_regions_out(world):
    from grantees.models import Region

    elsewhere = Region.objects.exclude(pk=world.grantee.region_id).first()
    GranteeFactory(program=world.program, name="Elsewhere Consortium", region=elsewhere)
    job = services.export_request(
        actor=world.users["state"],
        program=world.program,
        period=year(world.program),
        fmt="csv",
        region=world.grantee.region,
    )
    text = Path(run(job).file.path).read_text()
    assert MARKER in text and "Elsewhere Consortium" not in text


def test_pdf_summary(world):
    from tests.assessments.test_assessments import pdf_text

    job = services.export_request(
        actor=world.users["state"], program=world.program, period=year(world.program), fmt="pdf"
    )
    with run(job).file.open("rb") as data:
        text = pdf_text(data.read())
    assert "By region" in text and MARKER in text and "Page 1 of" in text


def test_a_failing_job_is_marked_with_its_reason_and_leaves_no_file(world):
    job = services.export_request(
        actor=world.users["state"], program=world.program, period=year(world.program), fmt="xlsx"
    )
    before = set(Path(settings.PRIVATE_MEDIA_ROOT, "exports").iterdir())

    def broken(job, path, *, progress):
        path.write_bytes(b"half a file")
        progress(40)
        raise OSError("disk full")

    failed = services.export_run(job.pk, writer=broken)
    assert failed.status == ExportJob.Status.FAILED
    assert failed.error == "OSError: disk full" and not failed.file
    assert set(Path(settings.PRIVATE_MEDIA_ROOT, "exports").iterdir()) == before
    retried = services.export_retry(actor=world.users["ta_admin"], job=failed)
    assert retried.status == ExportJob.Status.QUEUED
    done = run(retried)
    assert done.status == ExportJob.Status.DONE and done.attempts == 2


def test_a_duplicate_delivery_does_not_run_a_finished_job_again(world):
    assert services.export_run(world.export.pk) is None


def test_finished_files_expire(world, client_for):
    job = world.export
    path = Path(job.file.path)
    assert path.exists()
    assert services.exports_expire(now=timezone.now() + timedelta(days=365)) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not path.exists()
    url = f"/p/{world.program.slug}/reports/exports/{job.pk}/"
    assert client_for("state").get(url).status_code == 404


def test_download_for_the_program_s_admins_only(world, client_for):
    url = f"/p/{world.program.slug}/reports/exports/{world.export.pk}/"
    response = client_for("state").get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert client_for("other_state").get(url).status_code == 404
    other = f"/p/{world.other_program.slug}/reports/exports/{world.export.pk}/"
    assert client_for("other_state").get(other).status_code == 404


def test_export_form_and_polling(world, client_for):
    client = client_for("state")
    base = f"/p/{world.program.slug}/reports/exports/"
    bad = client.post(base, {"format": "docx", "period": "year"}, follow=True)
    assert "Choose a format." in bad.content.decode()
    assert not ExportJob.objects.filter(format="docx").exists()
    queued = ExportJob.objects.create(
        program=world.program,
        requested_by=world.users["state"],
        format="csv",
        period_key="year",
        starts_on=world.program.starts_on,
        ends_on=world.program.ends_on,
    )
    listing = client.get(base).content.decode()
    assert 'hx-trigger="every 2s"' in listing and f'id="export-{queued.pk}-progress"' in listing
    queued.delete()
    assert 'hx-trigger="every 2s"' not in client.get(base).content.decode()


def test_program_report_page(world, client_for):
    page = client_for("state").get(f"/p/{world.program.slug}/reports/", {"period": "year"})
    body = page.content.decode()
    assert page.status_code == 200 and MARKER in body and "By region" in body
    assert INTERNAL_MARKER not in body
    bad = client_for("state").get(
        f"/p/{world.program.slug}/reports/", {"period": "custom", "from": "x", "to": "y"}
    )
    assert bad.status_code == 422 and "Enter a date as YYYY-MM-DD." in bad.content.decode()


def test_program_report_page_keeps_its_query_count(world, client_for):
    def grow(n):
        for _ in range(n):
            GranteeFactory(program=world.program)

    assert_constant_queries(
        client_for("ta_admin"), f"/p/{world.program.slug}/reports/?period=year", grow=grow
    )


def test_the_worker_scopes_the_job_to_its_program(world):
    """A worker has no request and so no tenant scope; the job opens its own, for the program's
    grantees only (the tests' blanket scopes_disabled would hide a missing one)."""
    from django_scopes import scope

    job = services.export_request(
        actor=world.users["state"], program=world.program, period=year(world.program), fmt="pdf"
    )
    with scope():  # scoping on, nothing in scope: as in a bare worker process
        done = services.export_run(job.pk)
    assert done.status == ExportJob.Status.DONE, done.error


def test_a_job_whose_requester_lost_access_fails_with_the_reason(world):
    from grantees.models import ProgramRole

    job = services.export_request(
        actor=world.users["state"], program=world.program, period=year(world.program), fmt="csv"
    )
    ProgramRole.objects.filter(user=world.users["state"], program=world.program).delete()
    failed = services.export_run(job.pk)
    assert failed.status == ExportJob.Status.FAILED
    assert "no longer has access" in failed.error and not failed.file


def test_a_second_delivery_leaves_a_running_job_alone_unless_it_went_stale(world):
    job = services.export_request(
        actor=world.users["state"], program=world.program, period=year(world.program), fmt="csv"
    )
    ExportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    assert services.export_run(job.pk) is None
    ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=2))
    assert services.export_run(job.pk).status == ExportJob.Status.DONE


def test_the_sweep_fails_jobs_whose_worker_was_lost(world):
    job = services.export_request(
        actor=world.users["state"], program=world.program, period=year(world.program), fmt="csv"
    )
    long_ago = timezone.now() - timedelta(hours=3)
    ExportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=long_ago, created_at=long_ago
    )
    services.exports_expire()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "Retry" in job.error
    assert services.export_run(services.export_retry(actor=world.users["state"], job=job).pk)


def test_a_failing_e_mail_does_not_undo_a_finished_export(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("mail down")

    monkeypatch.setattr(services, "notify", broken)
    job = services.export_request(
        actor=world.users["state"], program=world.program, period=year(world.program), fmt="csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = services.export_run(job.pk)
    done.refresh_from_db()
    assert done.status == ExportJob.Status.DONE and Path(done.file.path).exists()

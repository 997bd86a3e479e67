"""Export jobs: requested by a program's TA or state admin, run by the worker, e-mailed when
ready, retried on request, deleted after REPORT_EXPORT_KEEP_DAYS."""

from __future__ import annotations

import datetime
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from grantees.models import Program, Region, User
from portal.notifications import notify
from portal.roles import compute_roles
from portal.services import ServiceError
from portal.uploads import PrivateStorage, safe_filename
from reports.models import ExportJob, IssuedReport
from reports.periods import Period

logger = logging.getLogger(__name__)


def _ensure_program_viewer(actor: User, program: Program) -> None:
    roles = compute_roles(actor)
    if program.pk not in roles.ta_admin_of | roles.state_admin_of:
        raise PermissionDenied


@transaction.atomic
def export_request(
    *, actor: User, program: Program, period: Period, fmt: str, region: Region | None = None
) -> ExportJob:
    """Queue a whole-program export; the worker picks it up once this transaction commits."""
    _ensure_program_viewer(actor, program)
    job = ExportJob.objects.create(
        program=program,
        requested_by=actor,
        format=fmt,
        period_key=period.key,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        region=region,
    )
    _enqueue(job)
    return job


def _enqueue(job: ExportJob) -> None:
    from reports.tasks import run_export

    transaction.on_commit(lambda: run_export.delay(job.pk), robust=True)


@transaction.atomic
def export_retry(*, actor: User, job: ExportJob) -> ExportJob:
    _ensure_program_viewer(actor, job.program)
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ExportJob.Status.FAILED:
        return job
    job.status, job.progress, job.error = ExportJob.Status.QUEUED, 0, ""
    job.save(update_fields=["status", "progress", "error"])
    _enqueue(job)
    return job


# A job running longer than this is taken to have lost its worker: a redelivery may take it
# over, and the hourly sweep marks it failed so that it can be retried.
STALE_AFTER = datetime.timedelta(minutes=30)


def _claim(job_id: int) -> ExportJob | None:
    """Mark a queued job running, once: a duplicate delivery finds it running (or done) and
    leaves it, unless the run it finds has gone stale."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        stale = (
            job.status == ExportJob.Status.RUNNING
            and job.started_at is not None
            and job.started_at < timezone.now() - STALE_AFTER
        )
        if job.status != ExportJob.Status.QUEUED and not stale:
            return None
        job.status = ExportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.progress = 0
        job.save(update_fields=["status", "started_at", "attempts", "progress"])
        return job


def _set_progress(job: ExportJob, percent: int) -> None:
    ExportJob.objects.filter(
        pk=job.pk, status=ExportJob.Status.RUNNING, attempts=job.attempts
    ).update(progress=min(max(percent, 0), 99))


def export_run(job_id: int, *, writer=None) -> ExportJob | None:
    """Write the export under a temporary name, move it into place, mark the job done and
    e-mail the person who asked. Any error marks it failed with the reason and leaves no file."""
    from reports import writers

    job = _claim(job_id)
    if job is None:
        return None
    storage = PrivateStorage()
    final_name = f"exports/{uuid.uuid4().hex}.{job.format}"
    final_path = Path(storage.path(final_name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    part = final_path.with_suffix(final_path.suffix + ".part")
    try:
        write = writer or writers.WRITERS[job.format]
        # A worker has no request to scope it: the job sees what its requester may see of its
        # program now (as the tenant middleware would), and fails if that is nothing any more.
        roles = compute_roles(job.requested_by)
        if job.program_id not in roles.visible_program_ids:
            raise PermissionDenied("The requester no longer has access to this program.")
        with scope(grantee=roles.grantees_in_program(job.program_id)):
            write(job, part, progress=lambda percent: _set_progress(job, percent))
        os.replace(part, final_path)  # atomic: the file is whole or absent
        with transaction.atomic():
            current = ExportJob.objects.select_for_update().get(pk=job.pk)
            if current.status != ExportJob.Status.RUNNING or current.attempts != job.attempts:
                # Another run took the job over meanwhile: this file is not the job's.
                final_path.unlink(missing_ok=True)
                return None
            current.file.name = final_name
            current.file_name = safe_filename(_download_stem(current), current.format)
            current.status = ExportJob.Status.DONE
            current.progress = 100
            current.finished_at = timezone.now()
            current.expires_at = current.finished_at + datetime.timedelta(
                days=settings.REPORT_EXPORT_KEEP_DAYS
            )
            current.save()
            # The e-mail must not undo a finished export if it fails: robust, logged.
            transaction.on_commit(lambda: _tell_ready(current), robust=True)
        return current
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the job
        logger.exception("Export job %s failed", job.pk)
        part.unlink(missing_ok=True)
        final_path.unlink(missing_ok=True)
        ExportJob.objects.filter(
            pk=job.pk, status=ExportJob.Status.RUNNING, attempts=job.attempts
        ).update(
            status=ExportJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:1000],
            finished_at=timezone.now(),
        )
        return ExportJob.objects.get(pk=job.pk)


def _download_stem(job: ExportJob) -> str:
    region = f"-{job.region.slug}" if job.region else ""
    return f"{job.program.slug}{region}-report-{job.starts_on:%Y-%m-%d}-to-{job.ends_on:%Y-%m-%d}"


def _tell_ready(job: ExportJob) -> None:
    url = reverse(
        "program_report_download",
        kwargs={"program_slug": job.program.slug, "export_id": job.pk},
    )
    notify(
        recipients=[job.requested_by],
        kind="export-ready",
        key=f"export:{job.pk}:ready",
        subject=f"Your {job.get_format_display()} of {job.program.name} is ready",
        template="reports/email/export_ready.txt",
        context={"job": job, "days": settings.REPORT_EXPORT_KEEP_DAYS},
        url=url,
    )


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete finished files past their keeping time (the job row stays, marked expired), mark
    jobs whose worker was lost as failed, so that they can be retried, and delete the part-files
    such workers left."""
    now = now or timezone.now()
    _remove_lost_parts(now)
    ExportJob.objects.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING],
        created_at__lt=now - STALE_AFTER * 2,
    ).filter(Q(started_at__isnull=True) | Q(started_at__lt=now - STALE_AFTER)).update(
        status=ExportJob.Status.FAILED,
        error="The export stopped without finishing (the worker was lost). Retry it.",
        finished_at=now,
    )
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        expired += 1
    return expired


def _remove_lost_parts(now: datetime.datetime) -> None:
    """A worker killed while writing leaves its part-file behind. It is never offered (only a
    whole file is moved into place), but nothing else would delete it. A part-file untouched
    for STALE_AFTER belongs to a lost run, as a job running that long is taken to be."""
    folder = Path(PrivateStorage().path("exports"))
    if not folder.is_dir():
        return
    cutoff = (now - STALE_AFTER).timestamp()
    for part in folder.glob("*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except FileNotFoundError:
            continue  # its run moved it into place or removed it meanwhile


# --- Issued (frozen) quarterly reports -----------------------------------------------------------

QUARTERS = ("q1", "q2", "q3", "q4")


def _text(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def report_issue(
    *, actor: User, program: Program, period: Period, today: datetime.date | None = None
) -> IssuedReport:
    """A state admin issues an ended quarter's program report. What is stored is what was
    issued: later ledger corrections change the live report, never this one."""
    from reports import exports, selectors

    if program.pk not in compute_roles(actor).state_admin_of:
        raise PermissionDenied
    today = today or timezone.localdate()
    if period.key not in QUARTERS:
        raise ServiceError("Issue a quarter (1st to 4th).", field="period")
    if period.ends_on >= today:
        raise ServiceError("A quarter can be issued once it has ended.", field="period")
    if period.starts_on > period.ends_on:
        raise ServiceError("This program has no such quarter.", field="period")
    # Two admins issuing at once: the second waits here, then finds the first one's report.
    Program.objects.select_for_update().get(pk=program.pk)
    if IssuedReport.objects.filter(
        program=program, starts_on=period.starts_on, ends_on=period.ends_on
    ).exists():
        raise ServiceError("This quarter's report has been issued already.", field="period")
    rows = selectors.program_rows(program=program, period=period)
    regions = selectors.by_region(rows) + [selectors.totals(rows, "Program")]
    return IssuedReport.objects.create(
        program=program,
        period_key=period.key,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        header=exports.program_header(),
        rows=[[_text(v) for v in exports.program_row(row)] for row in rows],
        grantee_ids=[row.grantee.pk for row in rows],
        regions=[[_text(v) for v in exports.region_row(total)] for total in regions],
        issued_by=actor,
    )

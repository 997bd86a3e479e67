"""Exports that run in the worker: a program report as XLSX, CSV or PDF. The file is written
under a temporary name and moved into place only when complete, so a failed or interrupted job
never offers half a file; finished files are deleted after REPORT_EXPORT_KEEP_DAYS."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from grantees.models import Program, Region
from portal.uploads import PrivateStorage


class ExportJob(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel workbook"
        CSV = "csv", "CSV"
        PDF = "pdf", "PDF summary"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    format = models.CharField(max_length=4, choices=Format.choices)
    period_key = models.CharField(max_length=8)
    starts_on = models.DateField()
    ends_on = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(storage=PrivateStorage, upload_to="exports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="export_done_has_file"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} of {self.program} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class IssuedReport(models.Model):
    """A quarter's program report as a state admin issued it: the numbers are stored, not
    recomputed, so a later ledger correction never changes what was issued."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="issued_reports")
    period_key = models.CharField(max_length=8)
    starts_on = models.DateField()
    ends_on = models.DateField()
    header = models.JSONField(help_text="Column names, in order.")
    rows = models.JSONField(help_text="One list of values per grantee, numbers as text.")
    grantee_ids = models.JSONField(help_text="The grantee of each row, in the same order.")
    regions = models.JSONField(help_text="Totals by region and for the program.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "starts_on", "ends_on"], name="issued_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} report for {self.starts_on:%b %Y}–{self.ends_on:%b %Y}"

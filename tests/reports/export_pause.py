"""Loaded into a real Celery worker by tests/reports/test_export_worker_killed.py (`celery -I`),
never by the portal: the program CSV writer stops for a while once it has written most of its
rows and reported that progress, so the test can kill the worker at that exact point.

The real writer does the work; only its progress callback is wrapped."""

from __future__ import annotations

import time

from reports import writers
from reports.models import ExportJob

PAUSE_AT_PERCENT = 70
_real_write_csv = writers.write_csv


def write_csv_then_pause(job, path, *, progress):
    def report(percent: int) -> None:
        progress(percent)  # committed: the test reads it from the database
        if PAUSE_AT_PERCENT <= percent < 100:
            time.sleep(60)  # the test kills the worker long before this ends

    _real_write_csv(job, path, progress=report)


writers.WRITERS[ExportJob.Format.CSV] = write_csv_then_pause

"""Files for the program report, written by the worker to a path it then moves into place.
Each writer reports progress in percent as it goes."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from portal.exports import spreadsheet_cell
from reports import exports, selectors
from reports.models import ExportJob
from reports.periods import Period

Progress = Callable[[int], None]
STEP = 50  # rows between progress updates


def _rows(job: ExportJob, progress: Progress) -> list[selectors.ProgramRow]:
    period = Period(job.period_key, job.starts_on, job.ends_on)
    rows = selectors.program_rows(program=job.program, period=period, region_id=job.region_id)
    progress(30)
    return rows


def _cells(values: list) -> list:
    return [spreadsheet_cell(value) for value in values]


def write_xlsx(job: ExportJob, path: Path, *, progress: Progress) -> None:
    """A sheet with every measure, a sheet per section, and the totals by region."""
    from openpyxl import Workbook

    rows = _rows(job, progress)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Grantees")
    sheet.freeze_panes = "C2"
    sheet.append(exports.program_header())
    for index, row in enumerate(rows, start=1):
        sheet.append(_cells(exports.program_row(row)))
        if index % STEP == 0:
            progress(30 + 40 * index // len(rows))
    for title, columns in exports.PROGRAM_SECTIONS.items():
        section = workbook.create_sheet(title)
        section.freeze_panes = "B2"
        section.append([name for name, _ in exports.KEY_COLUMNS + columns])
        for row in rows:
            section.append(_cells([get(row) for _, get in exports.KEY_COLUMNS + columns]))
    progress(85)
    regions = workbook.create_sheet("By region")
    regions.append(exports.region_header())
    for total in selectors.by_region(rows):
        regions.append(_cells(exports.region_row(total)))
    regions.append(_cells(exports.region_row(selectors.totals(rows, "Program"))))
    workbook.save(path)


def write_csv(job: ExportJob, path: Path, *, progress: Progress) -> None:
    rows = _rows(job, progress)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(exports.program_header())
        for index, row in enumerate(rows, start=1):
            writer.writerow(_cells(exports.program_row(row)))
            if index % STEP == 0:
                progress(30 + 60 * index // len(rows))


def write_pdf(job: ExportJob, path: Path, *, progress: Progress) -> None:
    from django.utils import timezone

    from portal.pdf import render_pdf

    rows = _rows(job, progress)
    regions = selectors.by_region(rows)
    context = {
        "job": job,
        "period": Period(job.period_key, job.starts_on, job.ends_on),
        "rows": rows,
        "regions": regions,
        "program_total": selectors.totals(rows, "Program"),
        "chart": selectors.region_hours_chart(regions),
        "generated_at": timezone.now(),
    }
    progress(60)
    path.write_bytes(render_pdf("reports/program_pdf.html", context))


WRITERS = {
    ExportJob.Format.XLSX: write_xlsx,
    ExportJob.Format.CSV: write_csv,
    ExportJob.Format.PDF: write_pdf,
}

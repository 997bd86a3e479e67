"""Export responses shared by every app: CSV streamed row by row (memory stays flat however long
the export) with formula-looking cells defused, and XLSX workbooks written in openpyxl's
write-only mode, a sheet per section."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse

from portal.csv import csv_safe
from portal.uploads import safe_filename

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_cell(value):
    # A plain number such as "-1.50" is data, not a formula; any other text starting like one
    # gets the apostrophe spreadsheet programs show but do not run.
    if isinstance(value, str) and not _NUMBER.fullmatch(value):
        return csv_safe(value)
    return value


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence], filename: str
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, "csv")}"'
    return response


def xlsx_response(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]], filename: str
) -> HttpResponse:
    """sheets: (title, header, rows) each; the header row is frozen."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])  # Excel's limit on sheet names
        sheet.freeze_panes = "A2"
        sheet.append(list(header))
        for row in rows:
            sheet.append([spreadsheet_cell(value) for value in row])
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, "xlsx")}"'
    workbook.save(response)
    return response

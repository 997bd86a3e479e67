"""Reading a CSV file of quarters into a preview, before anything is written.

One row per calendar quarter, columns as in COLUMNS (any order; `notes` may be left out, and
then the notes already saved stay). The quarter is written `2026-Q3`, or as its first day
`2026-07-01`. Rows whose first cell starts with `#` are comments (the template's help and
example). Quarters not in the file are left as they are: an import never deletes.

The same rules as the form (outcomes.rules), so a file and the form accept the same numbers.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile

from grantees.models import Grantee
from outcomes import quarters, rules
from outcomes.models import LEVEL_FIELDS, OUTCOME_FIELDS, QuarterlyOutcome
from portal.csv import csv_unsafe, decode_upload
from portal.services import ServiceError

WAGE_COLUMN = "median_hourly_wage"
COLUMNS = (
    "quarter",
    "enrolled",
    *(name for name, _ in LEVEL_FIELDS),
    *(name for name, _ in OUTCOME_FIELDS),
    WAGE_COLUMN,
    "notes",
)
OPTIONAL = {"notes"}
MAX_BYTES = 1_000_000
MAX_ROWS = 200
LEVELS_COLUMN = "enrolled_esl_1 … enrolled_esl_6"
LABELS = {
    "enrolled": "Enrolled",
    **dict(LEVEL_FIELDS),
    **dict(OUTCOME_FIELDS),
    "median_wage_cents": "Median starting wage",
    "notes": "Notes",
}
HELP = (
    "# One row per calendar quarter. quarter: like 2026-Q3 (July to September 2026) or the "
    "quarter's first day like 2026-07-01. Counts are whole numbers of learners (blank means 0); "
    "the English levels together and each outcome can't be more than enrolled. "
    "median_hourly_wage: dollars and cents like 22.50, only when someone is employed (blank if "
    "not known). Rows starting with # are skipped. Quarters left out of the file stay as they "
    "are."
)


@dataclass
class RowError:
    row: int  # the row in the file as a spreadsheet numbers it (the header is row 1)
    column: str
    message: str


@dataclass
class ImportRow:
    NEW, CHANGED, UNCHANGED = "new", "changes", "unchanged"

    row: int
    quarter: datetime.date
    values: dict
    notes: str
    existing: QuarterlyOutcome | None
    status: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)

    @property
    def quarter_label(self) -> str:
        return quarters.label(self.quarter)


@dataclass
class Preview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self.count(ImportRow.NEW)

    @property
    def changed(self) -> int:
        return self.count(ImportRow.CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(ImportRow.UNCHANGED)


def read_upload(upload: UploadedFile | None) -> str:
    """The uploaded file as text, or a message for the file field: present, at most MAX_BYTES,
    UTF-8 (a byte-order mark from Excel is fine), no NUL bytes."""
    if upload is None:
        raise ServiceError("Choose a CSV file to upload.", field="file")
    upload.seek(0)
    try:
        return decode_upload(upload.read(MAX_BYTES + 1), max_bytes=MAX_BYTES)
    except ValueError as error:
        raise ServiceError(str(error), field="file") from None


def _is_comment(record: list[str]) -> bool:
    return not any(cell.strip() for cell in record) or record[0].lstrip().startswith("#")


def _header(cells: list[str]) -> tuple[list[str], str]:
    names = [cell.strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    expected = ", ".join(COLUMNS)
    seen, twice = set(), []
    for name in names:
        if name in seen:
            twice.append(name)
        seen.add(name)
    unknown = [name or "(blank)" for name in names if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in seen and name not in OPTIONAL]
    problems = []
    if unknown:
        problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if twice:
        problems.append(f"{', '.join(twice)} appear{'s' if len(twice) == 1 else ''} twice")
    if problems:
        return names, (
            f"The header row is not right: {'; '.join(problems)}. The columns are: {expected} "
            "(notes may be left out). Download the template to start from."
        )
    return names, ""


def _fingerprint(existing: dict[datetime.date, QuarterlyOutcome], covered) -> str:
    """What the file's quarters hold now, to notice a change between preview and confirm."""
    state = [
        [q.isoformat(), *[getattr(existing[q], n) for n in (*_VALUE_NAMES, "notes")]]
        for q in sorted(covered)
        if q in existing
    ]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()[:32]


_COUNT_COLUMNS = tuple(c for c in COLUMNS if c not in ("quarter", WAGE_COLUMN, "notes"))
_VALUE_NAMES = (*_COUNT_COLUMNS, "median_wage_cents")


def _column_of(name: str) -> str:
    if name == rules.LEVELS:
        return LEVELS_COLUMN
    if name == "median_wage_cents":
        return WAGE_COLUMN
    return name


def _shown(name: str, value) -> str:
    if name == "median_wage_cents":
        return "—" if value is None else f"${rules.dollars(value)}"
    if name == "notes":
        return value or "—"
    return str(value)


def preview(*, grantee: Grantee, text: str, today: datetime.date) -> Preview:
    """Each row as new, changed (old → new) or unchanged, and every mistake with its row and
    column. Writes nothing."""
    result = Preview()
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        result.file_error = f"The file could not be read as CSV ({error})."
        return result
    numbered = [(index, rec) for index, rec in enumerate(records, start=1) if not _is_comment(rec)]
    if not numbered:
        result.file_error = "The file has no header row. Download the template to start from."
        return result
    (_, header_cells), body = numbered[0], numbered[1:]
    names, problem = _header(header_cells)
    if problem:
        result.file_error = problem
        return result
    if not body:
        result.file_error = "The file has no quarters under the header row."
        return result
    if len(body) > MAX_ROWS:
        result.file_error = (
            f"The file has {len(body)} rows of quarters; import at most {MAX_ROWS} at a time."
        )
        return result

    first, last = quarters.allowed_range(grantee.program, today)
    existing = {o.quarter_start: o for o in QuarterlyOutcome.objects.filter(grantee=grantee)}
    rows_of_quarter: dict[datetime.date, int] = {}
    has_notes = "notes" in names
    for row_number, record in body:
        # csv_unsafe takes off the apostrophe the template put before a cell that starts like
        # a formula ("'- cohort A started late"), so a downloaded file re-imports unchanged.
        cleaned = (csv_unsafe(cell.strip()).strip() for cell in record)
        cells = dict(zip(names, cleaned, strict=False))
        errors = []
        if len(record) > len(names) and any(cell.strip() for cell in record[len(names) :]):
            errors.append(
                RowError(row_number, "(no heading)", "A value sits past the last column.")
            )
        quarter = None
        try:
            quarter = quarters.from_csv(cells.get("quarter", ""))
        except ValueError as error:
            errors.append(RowError(row_number, "quarter", str(error)))
        if quarter is not None:
            if not first <= quarter <= last:
                errors.append(
                    RowError(
                        row_number,
                        "quarter",
                        f"{quarters.label(quarter)} can't be reported. "
                        f"{quarters.range_message(grantee.program, today)}",
                    )
                )
            elif quarter in rows_of_quarter:
                errors.append(
                    RowError(
                        row_number,
                        "quarter",
                        f"{quarters.csv_name(quarter)} is also on row {rows_of_quarter[quarter]}; "
                        "give each quarter one row.",
                    )
                )
            else:
                rows_of_quarter[quarter] = row_number
        values: dict = {}
        for name in _COUNT_COLUMNS:
            try:
                values[name] = rules.parse_count(cells.get(name), required=name == "enrolled")
            except ValueError as error:
                errors.append(RowError(row_number, name, str(error)))
        try:
            values["median_wage_cents"] = rules.parse_wage(cells.get(WAGE_COLUMN))
        except ValueError as error:
            errors.append(RowError(row_number, WAGE_COLUMN, str(error)))
        notes = cells.get("notes", "") if has_notes else None
        if notes is not None and len(notes) > rules.NOTES_MAX:
            errors.append(
                RowError(
                    row_number, "notes", f"Keep the notes under {rules.NOTES_MAX:,} characters."
                )
            )
        if not errors:
            errors = [
                RowError(row_number, _column_of(name), message)
                for name, message in rules.check(values)
            ]
        if errors:
            result.errors.extend(errors)
            continue
        old = existing.get(quarter)
        row = ImportRow(
            row=row_number,
            quarter=quarter,
            values=values,
            notes=notes if notes is not None else (old.notes if old else ""),
            existing=old,
        )
        if old is None:
            row.status = ImportRow.NEW
        else:
            for name in (*_VALUE_NAMES, "notes"):
                before = getattr(old, name)
                after = row.notes if name == "notes" else values[name]
                if before != after:
                    row.changes.append((LABELS[name], _shown(name, before), _shown(name, after)))
            row.status = ImportRow.CHANGED if row.changes else ImportRow.UNCHANGED
        result.rows.append(row)
    result.rows.sort(key=lambda r: r.quarter, reverse=True)
    result.fingerprint = _fingerprint(existing, rows_of_quarter)
    return result


# --- The template -------------------------------------------------------------------------------


def template_rows(*, grantee: Grantee, today: datetime.date) -> list[list]:
    """The rows under the header: the help as a comment row, then the grantee's quarters (so
    the file doubles as their data to correct), or a commented example to copy."""
    outcomes = list(QuarterlyOutcome.objects.filter(grantee=grantee).order_by("quarter_start"))
    rows: list[list] = [[HELP]]
    for o in outcomes:
        rows.append(
            [
                quarters.csv_name(o.quarter_start),
                *[getattr(o, name) for name in _COUNT_COLUMNS],
                "" if o.median_wage_cents is None else str(rules.dollars(o.median_wage_cents)),
                o.notes,
            ]
        )
    if not outcomes:
        example = quarters.shift(quarters.start_of(today), -1)
        rows.append(
            [
                f"#{quarters.csv_name(example)}",
                24,
                0,
                2,
                6,
                10,
                5,
                1,
                15,
                18,
                11,
                14,
                7,
                "22.50",
                "Example: delete the # before the quarter to use this row",
            ]
        )
    return rows

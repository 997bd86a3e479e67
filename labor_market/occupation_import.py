"""Reading an occupations CSV into a preview of changes, before anything is written.

The file has the columns of grantees/data/occupations.csv (the portal's own export is a valid
template). Nothing is deleted: an occupation missing from the file is kept, because grantees'
priorities and pathways point at it. The preview carries a fingerprint of the occupations as they
were, so applying refuses if someone changed them in between.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.utils import timezone

from grantees.models import Occupation
from portal.csv import csv_unsafe, decode_upload

REQUIRED_COLUMNS = (
    "soc_code",
    "title",
    "ca_median_annual_wage_usd",
    "wage_year",
    "typical_entry_education",
    "source",
)
OPTIONAL_COLUMNS = ("licensing_body", "title_es", "licensing_body_es")
COLUMNS = (*REQUIRED_COLUMNS[:5], *OPTIONAL_COLUMNS, "source")
MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
SOC_RE = re.compile(r"^\d{2}-\d{4}$", re.ASCII)
# CSV column → model field.
FIELD_OF = {
    "title": "title",
    "ca_median_annual_wage_usd": "ca_median_annual_wage",
    "wage_year": "wage_year",
    "typical_entry_education": "typical_entry_education",
    "licensing_body": "licensing_body",
    "title_es": "title_es",
    "licensing_body_es": "licensing_body_es",
    "source": "source",
}
LABELS = {
    "title": "Title",
    "ca_median_annual_wage": "CA median wage",
    "wage_year": "Wage year",
    "typical_entry_education": "Entry education",
    "licensing_body": "Licensing body",
    "title_es": "Spanish title",
    "licensing_body_es": "Licensing body (Spanish)",
    "source": "Source",
}


@dataclass
class RowError:
    row: int  # the line number in the file (the header is line 1)
    column: str
    message: str


@dataclass
class RowChange:
    soc_code: str
    action: str  # "new", "changed" or "unchanged"
    values: dict
    # (model field, label, old, new) of each fact that differs
    changes: list[tuple[str, str, object, object]] = field(default_factory=list)
    title: str = ""


@dataclass
class Preview:
    rows: list[RowChange]
    errors: list[RowError]
    file_error: str = ""
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new_count(self) -> int:
        return self.count("new")

    @property
    def changed_count(self) -> int:
        return self.count("changed")

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")


def fingerprint() -> str:
    """A digest of every occupation's facts: equal digests mean nothing changed."""
    digest = hashlib.sha256()
    for values in Occupation.objects.order_by("soc_code").values_list(
        "soc_code", *FIELD_OF.values()
    ):
        digest.update(repr(values).encode())
    return digest.hexdigest()


def _whole_number(text: str, *, low: int, high: int, what: str) -> int:
    cleaned = text.replace(",", "").replace("$", "").strip()
    if not re.fullmatch(r"\d+", cleaned, re.ASCII):
        raise ValueError(f"{what} must be a whole number.")
    number = int(cleaned)
    if not low <= number <= high:
        raise ValueError(f"{what} must be between {low:,} and {high:,}.")
    return number


def _clean_row(raw: dict[str, str], line: int, errors: list[RowError]) -> dict | None:
    before = len(errors)
    values = {}
    soc = (raw.get("soc_code") or "").strip()
    if not SOC_RE.match(soc):
        errors.append(RowError(line, "soc_code", "Give a SOC code like 31-9092."))
    title = (raw.get("title") or "").strip()
    if not title:
        errors.append(RowError(line, "title", "The title is required."))
    elif len(title) > 200:
        errors.append(RowError(line, "title", "Keep the title under 200 characters."))
    values["title"] = title
    wage_text = (raw.get("ca_median_annual_wage_usd") or "").strip()
    year_text = (raw.get("wage_year") or "").strip()
    values["ca_median_annual_wage"] = values["wage_year"] = None
    if wage_text:
        try:
            values["ca_median_annual_wage"] = _whole_number(
                wage_text, low=10_000, high=1_000_000, what="The annual wage"
            )
        except ValueError as error:
            errors.append(RowError(line, "ca_median_annual_wage_usd", str(error)))
        if not year_text:
            errors.append(RowError(line, "wage_year", "Give the year the wage is from."))
    if year_text:
        try:
            values["wage_year"] = _whole_number(
                year_text, low=1990, high=timezone.localdate().year + 1, what="The wage year"
            )
        except ValueError as error:
            errors.append(RowError(line, "wage_year", str(error)))
    for column in (
        "typical_entry_education",
        "licensing_body",
        "title_es",
        "licensing_body_es",
        "source",
    ):
        values[column] = csv_unsafe((raw.get(column) or "").strip())
    values["title"] = csv_unsafe(title)
    for column, limit in (("licensing_body", 200), ("title_es", 200), ("licensing_body_es", 200)):
        if len(values[column]) > limit:
            errors.append(RowError(line, column, f"Keep it under {limit} characters."))
    values["soc_code"] = soc
    return values if len(errors) == before else None


def read(content: bytes) -> Preview:
    """Parse and validate the whole file and compare it with the occupations we have."""
    try:
        text = decode_upload(content, max_bytes=MAX_BYTES)
    except ValueError as error:
        return Preview(rows=[], errors=[], file_error=str(error))
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        return Preview(rows=[], errors=[], file_error=f"This is not a readable CSV file: {error}.")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return Preview(
            rows=[],
            errors=[],
            file_error="The file is missing the column(s) "
            + ", ".join(missing)
            + ". Start from the portal's CSV export.",
        )
    reader.fieldnames = header
    errors: list[RowError] = []
    cleaned: list[dict] = []
    seen: dict[str, int] = {}
    try:
        for index, raw in enumerate(reader):
            line = index + 2
            if index >= MAX_ROWS:
                return Preview(
                    rows=[], errors=[], file_error=f"The file has more than {MAX_ROWS:,} rows."
                )
            if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
                continue  # a blank line
            values = _clean_row(raw, line, errors)
            if values is None:
                continue
            if values["soc_code"] in seen:
                errors.append(
                    RowError(
                        line,
                        "soc_code",
                        f"{values['soc_code']} is already on line {seen[values['soc_code']]}.",
                    )
                )
                continue
            seen[values["soc_code"]] = line
            cleaned.append(values)
    except csv.Error as error:
        return Preview(rows=[], errors=[], file_error=f"This is not a readable CSV file: {error}.")
    if not cleaned and not errors:
        return Preview(rows=[], errors=[], file_error="The file has no occupations in it.")
    existing = {o.soc_code: o for o in Occupation.objects.filter(soc_code__in=seen)}
    rows = []
    for values in cleaned:
        current = existing.get(values["soc_code"])
        if current is None:
            rows.append(RowChange(values["soc_code"], "new", values, title=values["title"]))
            continue
        changes = []
        for column, name in FIELD_OF.items():
            column_value = values["ca_median_annual_wage" if column.startswith("ca_") else column]
            if name in OPTIONAL_COLUMNS and column not in header:
                continue  # an older file without the column keeps what we have
            if getattr(current, name) != column_value:
                changes.append((name, LABELS[name], getattr(current, name), column_value))
        rows.append(
            RowChange(
                values["soc_code"],
                "changed" if changes else "unchanged",
                values,
                changes,
                title=current.title,
            )
        )
    return Preview(rows=rows, errors=errors, fingerprint=fingerprint())

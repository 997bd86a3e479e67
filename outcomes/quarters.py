"""Calendar quarters, as outcomes are reported: named by their first day in the database
(2026-07-01), `2026-q3` in URLs, `2026-Q3` in CSV files, "Jul–Sep 2026" for people.

A grantee reports from two years before its program starts up to the quarter under way (not a
future one: its learners have not enrolled yet).
"""

from __future__ import annotations

import datetime
import re

SLUG_RE = r"[0-9]{4}-q[1-4]"
_SLUG = re.compile(rf"^{SLUG_RE}$")
_CSV = re.compile(r"^([0-9]{4})-[Qq]([1-4])$", re.ASCII)
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", re.ASCII)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
YEARS_BEFORE_PROGRAM = 2


def start_of(day: datetime.date) -> datetime.date:
    """The first day of the calendar quarter holding `day`."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def shift(quarter: datetime.date, quarters: int) -> datetime.date:
    month = quarter.month - 1 + 3 * quarters
    return datetime.date(quarter.year + month // 12, month % 12 + 1, 1)


def end_of(quarter: datetime.date) -> datetime.date:
    return shift(quarter, 1) - datetime.timedelta(days=1)


def number(quarter: datetime.date) -> int:
    return (quarter.month - 1) // 3 + 1


def slug(quarter: datetime.date) -> str:
    """2026-07-01 → "2026-q3" (URLs)."""
    return f"{quarter.year}-q{number(quarter)}"


def csv_name(quarter: datetime.date) -> str:
    """2026-07-01 → "2026-Q3" (CSV files)."""
    return f"{quarter.year}-Q{number(quarter)}"


def label(quarter: datetime.date) -> str:
    """2026-07-01 → "Jul–Sep 2026"."""
    first = quarter.month - 1
    return f"{MONTHS[first]}–{MONTHS[first + 2]} {quarter.year}"


def short_label(quarter: datetime.date) -> str:
    """2026-07-01 → "Q3 2026" (chart axes)."""
    return f"Q{number(quarter)} {quarter.year}"


def from_slug(text: str) -> datetime.date | None:
    """ "2026-q3" → 2026-07-01; None for anything else."""
    if not _SLUG.match(text or ""):
        return None
    year, q = int(text[:4]), int(text[-1])
    return datetime.date(year, 3 * q - 2, 1) if year >= 1 else None


def from_csv(text: str) -> datetime.date:
    """A quarter as a CSV cell: "2026-Q3" (or "2026-q3"), or its first day "2026-07-01".
    Raises ValueError with a message for people."""
    text = (text or "").strip()
    match = _CSV.match(text)
    if match:
        year, q = int(match.group(1)), int(match.group(2))
        if year < 1:
            raise ValueError("Write the quarter like 2026-Q3.")
        return datetime.date(year, 3 * q - 2, 1)
    if _ISO.match(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text} is not a date; write the quarter like 2026-Q3.") from None
        if day != start_of(day):
            first = start_of(day)
            raise ValueError(
                f"Use the quarter's first day ({first.isoformat()}) or write it as "
                f"{csv_name(first)}."
            )
        return day
    if not text:
        raise ValueError("Enter the quarter, like 2026-Q3.")
    raise ValueError("Write the quarter like 2026-Q3 (or its first day, like 2026-07-01).")


def allowed_range(program, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first, last) quarter a grantee of `program` may report: from two years before the
    program starts to the quarter under way."""
    starts = program.starts_on
    first = start_of(starts.replace(year=starts.year - YEARS_BEFORE_PROGRAM, day=1))
    return first, start_of(today)


def allowed(program, today: datetime.date) -> list[datetime.date]:
    """The quarters a grantee may report, newest first (none before the earliest)."""
    first, last = allowed_range(program, today)
    quarters = []
    quarter = last
    while quarter >= first:
        quarters.append(quarter)
        quarter = shift(quarter, -1)
    return quarters


def range_message(program, today: datetime.date) -> str:
    first, last = allowed_range(program, today)
    if last < first:
        return "No quarter can be reported yet."
    return f"Quarters from {label(first)} to {label(last)} can be reported."


def middle(quarter: datetime.date) -> datetime.date:
    """The 15th of its middle month: the day that decides which report period a quarter
    counts in, so that consecutive periods never count a quarter twice."""
    return quarter.replace(month=quarter.month + 1, day=15)


def in_period(starts_on: datetime.date, ends_on: datetime.date) -> list[datetime.date]:
    """The quarters a report period covers (oldest first): those whose middle falls in it. A
    period aligned with calendar quarters covers exactly its quarters."""
    quarters = []
    quarter = start_of(starts_on)
    while quarter <= ends_on:
        if starts_on <= middle(quarter) <= ends_on:
            quarters.append(quarter)
        quarter = shift(quarter, 1)
    return quarters

"""Report periods inside a program year: quarters, halves, the whole year, or custom dates.

Quarters and halves count from the program's start (a July–June program's first quarter is
July to September). A period is a pair of dates, both included.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from portal.services import ServiceError

CHOICES = [
    ("q1", "1st quarter"),
    ("q2", "2nd quarter"),
    ("q3", "3rd quarter"),
    ("q4", "4th quarter"),
    ("h1", "1st half"),
    ("h2", "2nd half"),
    ("year", "Program year"),
    ("custom", "Custom dates"),
]
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    key: str
    starts_on: datetime.date
    ends_on: datetime.date  # included

    @property
    def label(self) -> str:
        name = dict(CHOICES)[self.key]
        dates = f"{self.starts_on:%b %-d, %Y} – {self.ends_on:%b %-d, %Y}"
        return dates if self.key == "custom" else f"{name}, {dates}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def as_query(self) -> dict[str, str]:
        if self.key == "custom":
            return {
                "period": "custom",
                "from": self.starts_on.isoformat(),
                "to": self.ends_on.isoformat(),
            }
        return {"period": self.key}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return day.replace(year=year, month=month % 12 + 1, day=1)


def program_period(program, key: str) -> Period:
    """One of the named periods of the program's year."""
    start = program.starts_on.replace(day=1)
    spans = {"q1": (0, 3), "q2": (3, 3), "q3": (6, 3), "q4": (9, 3), "h1": (0, 6), "h2": (6, 6)}
    if key == "year":
        return Period("year", program.starts_on, program.ends_on)
    offset, length = spans[key]
    first = max(_add_months(start, offset), program.starts_on)
    last = min(_add_months(start, offset + length) - datetime.timedelta(days=1), program.ends_on)
    return Period(key, first, last)


def current_quarter(program, today: datetime.date) -> Period:
    for key in ("q1", "q2", "q3", "q4"):
        period = program_period(program, key)
        if period.starts_on <= today <= period.ends_on:
            return period
    return program_period(program, "q4" if today > program.ends_on else "q1")


def parse_period(program, params, today: datetime.date) -> Period:
    """The period a report's query string asks for; the current quarter when it asks for none.
    Bad custom dates raise ServiceError naming the field."""
    key = params.get("period", "")
    if key in {"q1", "q2", "q3", "q4", "h1", "h2", "year"}:
        return program_period(program, key)
    if key != "custom":
        return current_quarter(program, today)
    dates = {}
    for name in ("from", "to"):
        try:
            dates[name] = datetime.date.fromisoformat(params.get(name, ""))
        except ValueError:
            raise ServiceError("Enter a date as YYYY-MM-DD.", field=name) from None
    if dates["to"] < dates["from"]:
        raise ServiceError("The end date must be on or after the start date.", field="to")
    if (dates["to"] - dates["from"]).days > MAX_CUSTOM_DAYS:
        raise ServiceError("Choose at most three years.", field="to")
    return Period("custom", dates["from"], dates["to"])

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


def _spans(program) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Quarters and halves from the program's real dates: three-month steps from its start (a
    mid-month start keeps its day), the last quarter and half running to its end whatever the
    program's length. A program shorter than a year has fewer quarters."""
    start, end = program.starts_on, program.ends_on

    def step(months: int) -> datetime.date:
        moved = _add_months(start, months)
        return moved.replace(day=min(start.day, 28)) if start.day > 1 else moved

    spans = {}
    for index, key in enumerate(("q1", "q2", "q3", "q4")):
        first = step(3 * index)
        last = end if key == "q4" else step(3 * (index + 1)) - datetime.timedelta(days=1)
        if first <= end:
            spans[key] = (first, min(last, end))
    spans["h1"] = (start, min(step(6) - datetime.timedelta(days=1), end))
    if step(6) <= end:
        spans["h2"] = (step(6), end)
    return spans


def available(program) -> list[tuple[str, str]]:
    """The period choices this program has (a short program may lack later quarters)."""
    spans = _spans(program)
    return [(key, label) for key, label in CHOICES if key in spans or key in ("year", "custom")]


def program_period(program, key: str) -> Period:
    """One of the named periods of the program's year."""
    if key == "year":
        return Period("year", program.starts_on, program.ends_on)
    spans = _spans(program)
    if key not in spans:
        raise ServiceError("This program has no such period.", field="period")
    return Period(key, *spans[key])


def current_quarter(program, today: datetime.date) -> Period:
    spans = _spans(program)
    quarters = [key for key in ("q1", "q2", "q3", "q4") if key in spans]
    for key in quarters:
        first, last = spans[key]
        if first <= today <= last:
            return Period(key, first, last)
    key = quarters[-1] if today > program.ends_on else quarters[0]
    return Period(key, *spans[key])


def parse_period(program, params, today: datetime.date) -> Period:
    """The period a report's query string asks for; the current quarter when it asks for none.
    Bad custom dates raise ServiceError naming the field."""
    key = params.get("period", "")
    if key in {"q1", "q2", "q3", "q4", "h1", "h2", "year"}:
        return program_period(program, key)  # a period this program lacks: a field message
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
    # Reports look a little before and after the program, not to year 9999.
    earliest = program.starts_on - datetime.timedelta(days=MAX_CUSTOM_DAYS)
    latest = program.ends_on + datetime.timedelta(days=MAX_CUSTOM_DAYS)
    for name in ("from", "to"):
        if not earliest <= dates[name] <= latest:
            raise ServiceError(
                f"Choose a date between {earliest:%b %-d, %Y} and {latest:%b %-d, %Y}.",
                field=name,
            )
    return Period("custom", dates["from"], dates["to"])

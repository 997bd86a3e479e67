"""Wall-clock rules → UTC instants.

A rule says "10:00 on the 2nd Tuesday, America/Los_Angeles". Each date is expanded in that zone and
only then converted to UTC, so the local time stays 10:00 on both sides of a daylight-saving change
(18:00 UTC in winter, 17:00 UTC in summer). A local time that does not exist (02:30 on the March
change) resolves to the offset before the change, as zoneinfo does with fold=0.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_OCCURRENCES = 260  # five years of weekly dates


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth (1–4, or -1 for last) `weekday` (0 = Monday) of a month."""
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def rule_dates(
    *, frequency: str, weekday: int, week_of_month: int | None, first: date, last: date
) -> list[date]:
    """The dates a weekly or monthly-nth-weekday rule gives between `first` and `last`."""
    dates: list[date] = []
    if frequency == "weekly":
        day = first + timedelta(days=(weekday - first.weekday()) % 7)
        while day <= last and len(dates) < MAX_OCCURRENCES:
            dates.append(day)
            day += timedelta(weeks=1)
        return dates
    year, month = first.year, first.month
    while len(dates) < MAX_OCCURRENCES:
        day = nth_weekday(year, month, weekday, week_of_month or 1)
        if day is not None and day > last:
            break
        if day is not None and day >= first:
            dates.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
        if date(year, month, 1) > last:
            break
    return dates

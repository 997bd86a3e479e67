"""The rules a quarter's numbers follow, shared by the form, the CSV import and the service (which
decides). Parsing turns what people typed into numbers, with a message for each mistake; `check`
finds the numbers that do not fit together. Messages name the field's own terms."""

from __future__ import annotations

import re
from decimal import Decimal

from outcomes.models import LEVEL_FIELDS, OUTCOME_FIELDS, WAGE_MAX_CENTS, WAGE_MIN_CENTS

MAX_COUNT = 100_000  # more learners than any consortium enrolls in a quarter: a typo
NOTES_MAX = 2_000
LEVEL_NAMES = tuple(name for name, _ in LEVEL_FIELDS)
OUTCOME_NAMES = tuple(name for name, _ in OUTCOME_FIELDS)
# The key of the message about the English levels together (it belongs to no one field).
LEVELS = "levels"

_WHOLE = re.compile(r"^[0-9]+$", re.ASCII)
_MONEY = re.compile(r"^([0-9]+)(?:\.([0-9]{1,2}))?$", re.ASCII)


def parse_count(text, *, required: bool = False) -> int:
    """A count as typed: whole, 0 or more, ASCII digits (blank is 0 unless required)."""
    text = ("" if text is None else str(text)).strip()
    if not text:
        if required:
            raise ValueError("Enter the number of learners (0 if none).")
        return 0
    if text.startswith("-") and _WHOLE.match(text[1:]):
        raise ValueError("Can't be less than 0.")
    if not _WHOLE.match(text):
        raise ValueError("Enter a whole number, like 12.")
    value = int(text)
    if value > MAX_COUNT:
        raise ValueError(f"Enter at most {MAX_COUNT:,}; check for a typo.")
    return value


def parse_wage(text) -> int | None:
    """An hourly wage in dollars and cents ("22.50", "$22.5", "22") → cents; blank → None."""
    text = ("" if text is None else str(text)).strip()
    if text.startswith("$"):
        text = text[1:].strip()
    if not text:
        return None
    match = _MONEY.match(text)
    if not match:
        raise ValueError("Enter dollars and cents, like 22.50.")
    dollars, cents = match.group(1), (match.group(2) or "0").ljust(2, "0")
    if len(dollars) > 6:
        raise ValueError(_wage_range())
    return int(dollars) * 100 + int(cents)


def _wage_range() -> str:
    return (
        f"Enter an hourly wage between ${WAGE_MIN_CENTS / 100:.2f} and ${WAGE_MAX_CENTS / 100:.2f}."
    )


def _learners(n: int) -> str:
    return f"the {n} learner{'' if n == 1 else 's'} enrolled"


def check(values: dict) -> list[tuple[str, str]]:
    """(field, message) for every number that does not fit the others: the English levels
    together and each outcome no more than the learners enrolled, a wage only when someone is
    employed and in range. An empty list means the quarter may be saved."""
    errors = []
    enrolled = values["enrolled"]
    levels = sum(values[name] for name in LEVEL_NAMES)
    if levels > enrolled:
        errors.append(
            (
                LEVELS,
                f"The English levels add up to {levels}, more than {_learners(enrolled)}. "
                "Lower them, or raise the number enrolled.",
            )
        )
    for name in OUTCOME_NAMES:
        if values[name] > enrolled:
            errors.append((name, f"Can't be more than {_learners(enrolled)}."))
    wage = values.get("median_wage_cents")
    if wage is not None:
        if values["employed_healthcare"] == 0:
            errors.append(
                (
                    "median_wage_cents",
                    "Leave the wage empty while no learner is employed in healthcare: a median "
                    "starting wage needs at least one employed learner.",
                )
            )
        elif not WAGE_MIN_CENTS <= wage <= WAGE_MAX_CENTS:
            errors.append(("median_wage_cents", _wage_range()))
    return errors


def dollars(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))

"""CSV helpers shared by every export."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + text if text[:1] in FORMULA_PREFIXES else text

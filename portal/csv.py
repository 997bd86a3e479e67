"""CSV helpers shared by every export."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + text if text[:1] in FORMULA_PREFIXES else text


def csv_unsafe(text: str) -> str:
    """Undo csv_safe on a cell read back from a file the portal wrote: "'=1" → "=1"."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES else text

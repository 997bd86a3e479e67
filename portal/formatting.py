"""How the portal writes numbers people read; shared by pages, e-mails and exports."""

from __future__ import annotations

from decimal import Decimal


def format_hours(minutes: int) -> str:
    """90 → "1.5 hours", 15 → "0.25 hours", 60 → "1 hour" (the UI counts in quarter hours)."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return f"{text} hour" if text in ("1", "-1") else f"{text} hours"


def format_hours_number(minutes: int) -> str:
    """90 → "1.5": hours without the unit, for tables whose header says "hours"."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def hours_decimal(minutes: int) -> Decimal:
    """90 → Decimal("1.50"): hours as a number for spreadsheets and charts, two places."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))

"""Filters for outcome numbers: {{ cents|dollars }} → "$22.50", {{ share|rate }} → "46 %"."""

from django import template

from outcomes import quarters
from outcomes.rules import dollars as cents_to_dollars
from portal.templatetags.portal_format import percent

register = template.Library()


@register.filter
def dollars(cents) -> str:
    """Cents → "$22.50"; nothing → "—"."""
    value = cents_to_dollars(cents)
    return "—" if value is None else f"${value:,.2f}"


@register.filter
def money(value) -> str:
    """Dollars (a Decimal) → "$22.50"; nothing → "—"."""
    return "—" if value is None else f"${value:,.2f}"


@register.filter
def rate(share) -> str:
    """A share of the learners enrolled → "46 %"; none (nobody enrolled) → "—"."""
    return "—" if share is None else percent(share)


@register.filter
def quarter_slug(day) -> str:
    """A quarter's first day → "2026-q3" (its URL)."""
    return quarters.slug(day)


@register.filter
def quarter_label(day) -> str:
    """A quarter's first day → "Jul–Sep 2026"."""
    return quarters.label(day)


@register.filter
def index(sequence, position):
    """The item at `position` of a list (its counterpart in a parallel list)."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return None

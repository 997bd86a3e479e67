"""Template filters for numbers: {{ minutes|hours }} → "1.5 hours", {{ minutes|hours_number }}."""

from django import template

from portal.formatting import format_hours, format_hours_number

register = template.Library()


@register.filter
def hours(minutes) -> str:
    return format_hours(int(minutes or 0))


@register.filter
def hours_number(minutes) -> str:
    return format_hours_number(int(minutes or 0))


@register.filter
def signed_hours(minutes) -> str:
    minutes = int(minutes or 0)
    sign = "+" if minutes > 0 else "−" if minutes < 0 else ""
    return sign + format_hours_number(abs(minutes))


@register.filter
def percent(share) -> str:
    """0.375 → "38 %"."""
    return f"{round(float(share or 0) * 100)} %"


@register.filter
def dollars(cents) -> str:
    """2650 → "$26.50" (money is kept in cents); None → ""."""
    if cents is None or cents == "":
        return ""
    return f"${int(cents) / 100:,.2f}"

from django import template

register = template.Library()


@register.simple_tag
def autosave_key(source: str, item_id, name: str) -> str:
    """The save endpoint's field name ("coach:12:level", "regional_strategy") and, with colons as
    hyphens, the stem of its element ids."""
    return name if source == "narrative" else f"{source}:{item_id}:{name}"


@register.filter
def dom_id(key: str) -> str:
    return key.replace(":", "-")


@register.filter
def heat_level(score) -> str:
    """The heatmap's colour band for a score: 1 below 2, 2 below 2.5, 3 below 3, 4 from 3."""
    if score is None:
        return "none"
    for level, below in ((1, 2), (2, 2.5), (3, 3)):
        if score < below:
            return str(level)
    return "4"

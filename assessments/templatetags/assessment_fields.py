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

"""Renders a bound field's widget with USWDS classes and the ARIA links to its hint and error."""

from django import forms, template

register = template.Library()

WIDGET_CLASSES = {
    forms.Textarea: "usa-textarea",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.CheckboxInput: "usa-checkbox__input",
}


@register.filter
def uswds_widget(field: forms.BoundField) -> str:
    widget = field.field.widget
    css = next((c for cls, c in WIDGET_CLASSES.items() if isinstance(widget, cls)), "usa-input")
    classes = [widget.attrs.get("class", ""), css]
    described = []
    attrs = {}
    if field.errors:
        classes.append("usa-input--error")
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    attrs["class"] = " ".join(c for c in classes if c)
    return field.as_widget(attrs=attrs)

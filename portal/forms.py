"""Form plumbing shared by every app: every form, allauth's included, renders with USWDS markup."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Renders form fields through templates/portal/forms/ (labels, hints, errors, ARIA)."""

    form_template_name = "portal/forms/form.html"
    field_template_name = "portal/forms/field.html"

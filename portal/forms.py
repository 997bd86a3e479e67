"""Form plumbing shared by every app: every form, allauth's included, renders with USWDS markup."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import TemplatesSetting

from portal.timezones import time_zone_choices


class PortalFormRenderer(TemplatesSetting):
    """Renders form fields through templates/portal/forms/ (labels, hints, errors, ARIA)."""

    form_template_name = "portal/forms/form.html"
    field_template_name = "portal/forms/field.html"


class FormKeyMixin:
    """A hidden, per-rendering key that makes a form's write idempotent: a double click or a
    re-sent POST carries the same key, so the service returns what the first submit created."""

    form_key_field = "form_key"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        import uuid

        from django import forms

        self.fields[self.form_key_field] = forms.RegexField(
            regex=r"^[0-9a-f]{32}$",
            widget=forms.HiddenInput,
            initial=uuid.uuid4().hex,
            error_messages={"invalid": "This form expired; reload the page and try again."},
        )


class TimeZoneField(forms.ChoiceField):
    """An IANA zone name; the choices are zoneinfo.available_timezones(), so nothing else passes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        super().__init__(choices=time_zone_choices, **kwargs)
        self.error_messages["invalid_choice"] = "Choose a time zone from the list."


class UploadField(forms.FileField):
    """A file input that offers the accepted types; the content is checked by the service
    (`portal.uploads.check_upload`), which is what decides."""

    def __init__(self, **kwargs):
        from portal.uploads import ACCEPT_ATTRIBUTE

        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault(
            "help_text", "PDF, Word, Excel, PowerPoint, PNG, JPEG or MP4, up to the size limit."
        )
        super().__init__(**kwargs)


PHONE_RE = re.compile(r"^\+?[0-9 ().\-]{7,20}(\s*(x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)


def clean_phone(value: str, *, example: str = "(916) 555-0123") -> str:
    """A phone number people can dial: digits with the usual punctuation, an area code (10+
    digits) and an optional extension. Blank stays blank."""
    phone = value.strip()
    if phone and (not PHONE_RE.match(phone) or len(re.sub(r"\D", "", phone)) < 10):
        raise forms.ValidationError(f"Enter a phone number with area code, like {example}.")
    return phone

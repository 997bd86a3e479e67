"""The signed-in person's own settings."""

from __future__ import annotations

from django import forms

from portal.forms import TimeZoneField


class TimeZoneForm(forms.Form):
    time_zone = TimeZoneField(
        label="Your time zone",
        help_text="Every date and time in the portal and in its e-mails is shown in this zone.",
    )

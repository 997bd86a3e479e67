"""Forms for grantee people booking office hours and 1:1s. The choices are the free places the
selectors computed for this request; a POSTed time outside them is refused as a field error."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils import timezone

from portal.forms import FormKeyMixin

NOTE_HELP = "A sentence or two, so your coach can prepare."


def time_label(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{start:%-I:%M %p} – {end:%-I:%M %p %Z}"


def _parse_instant(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed if timezone.is_aware(parsed) else None


class DayForm(forms.Form):
    """The date whose free 1:1 times are shown (read in the viewer's time zone)."""

    day = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class PlaceChoiceForm(FormKeyMixin, forms.Form):
    """Pick one of the offered start times (radio buttons) and say what it is for."""

    starts_at = forms.ChoiceField(label="Time", widget=forms.RadioSelect)
    note = forms.CharField(
        label="What do you want to work on?",
        max_length=1000,
        help_text=NOTE_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args, places=(), note_required: bool = True, with_note: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not with_note:  # rescheduling keeps the note it has
            del self.fields["note"]
        self.fields["starts_at"].choices = [
            (place.value, time_label(place.starts_at, place.ends_at)) for place in places
        ]
        self.fields["starts_at"].error_messages["invalid_choice"] = (
            "That time is not free any more. Please pick one of the times listed."
        )
        self.fields["starts_at"].error_messages["required"] = "Choose a time."
        if with_note:
            self.fields["note"].required = note_required

    def clean_starts_at(self) -> datetime:
        instant = _parse_instant(self.cleaned_data["starts_at"])
        if instant is None:
            raise forms.ValidationError("Choose a time.")
        return instant


class SeatForm(FormKeyMixin, forms.Form):
    """A drop-in office hour: no time to pick, just a seat and an optional note."""

    note = forms.CharField(
        label="What do you want to work on?",
        max_length=1000,
        required=False,
        help_text=NOTE_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfficeHoursRescheduleForm(forms.Form):
    """Another date or slot of the same office hours: values are "<occurrence id>|<ISO start>"."""

    place = forms.ChoiceField(label="New time", widget=forms.RadioSelect)

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [
            (f"{occurrence.pk}|{place.value}", _dated_label(place.starts_at, place.ends_at))
            for occurrence, place in options
        ]
        self.fields["place"].error_messages["invalid_choice"] = (
            "That time is not free any more. Please pick one of the times listed."
        )
        self.fields["place"].error_messages["required"] = "Choose a new time."

    def clean_place(self) -> tuple[int, datetime]:
        occurrence_id, _, value = self.cleaned_data["place"].partition("|")
        instant = _parse_instant(value)
        if not occurrence_id.isdigit() or instant is None:
            raise forms.ValidationError("Choose a new time.")
        return int(occurrence_id), instant


def _dated_label(starts_at: datetime, ends_at: datetime) -> str:
    return f"{timezone.localtime(starts_at):%a %b %-d}, {time_label(starts_at, ends_at)}"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=300,
        help_text="Shared with the coach or host.",
    )


def parse_day(value: str | None, default: date) -> date:
    """A day from the query or form; anything unreadable or far from today is the default (a
    year like 9999 would overflow the date arithmetic of the slot picker)."""
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    if day is not None and abs((day - date.today()).days) > 5 * 366:
        return default
    return day

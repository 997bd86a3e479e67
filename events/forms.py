"""Forms for events: announcing one (TA admins) and registering for one (grantee people)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms

from events.models import Event, EventSeries, Material
from grantees.models import Grantee, Program, Region, Topic, User
from portal.forms import FormKeyMixin, TimeZoneField, UploadField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"})


class EventForm(forms.Form):
    """Dates and times are typed as wall-clock values in the event's time zone."""

    kind = forms.ChoiceField(choices=Event.Kind.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), required=False, empty_label="— No particular topic —"
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(), required=False, empty_label="— Statewide —"
    )
    format = forms.ChoiceField(choices=Event.Format.choices, widget=forms.RadioSelect)
    venue = forms.CharField(max_length=200, required=False, help_text="For in-person events.")
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    parking = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    accessibility_notes = forms.CharField(
        label="Accessibility", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    meeting_url = forms.URLField(
        label="Video-meeting link",
        assume_scheme="https",
        required=False,
        help_text="For virtual events; shown only to people registered.",
    )
    date = forms.DateField(widget=DATE_WIDGET)
    start_time = forms.TimeField(label="Starts", widget=TIME_WIDGET)
    end_time = forms.TimeField(label="Ends", widget=TIME_WIDGET)
    time_zone = TimeZoneField(help_text="The date and times above are read in this zone.")
    capacity = forms.IntegerField(min_value=1, max_value=5000)
    per_grantee_cap = forms.IntegerField(
        label="Seats per grantee",
        min_value=1,
        max_value=500,
        required=False,
        help_text="Leave empty for no limit per consortium.",
    )
    organizers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Coaches who run it on the day: they see the roster and check people in.",
    )
    series = forms.ModelChoiceField(
        queryset=EventSeries.objects.none(),
        required=False,
        empty_label="— Not part of a series —",
        help_text="Sessions of a series (such as the quarterly CoP) are listed together.",
    )
    audience_regions = forms.ModelMultipleChoiceField(
        label="Open to grantees in",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none to open it to the whole program.",
    )
    registration_opens_on = forms.DateField(
        label="Registration opens on",
        widget=DATE_WIDGET,
        required=False,
        help_text="At the start of this day. Empty: at once.",
    )
    registration_closes_on = forms.DateField(
        label="Registration closes on",
        widget=DATE_WIDGET,
        help_text="At the end of this day, and no later than the start.",
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        from grantees.selectors import available_coaches

        self.fields["organizers"].queryset = available_coaches()
        self.fields["series"].queryset = EventSeries.objects.filter(program=program)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        zone = ZoneInfo(data["time_zone"])
        data["starts_at"] = datetime.combine(data["date"], data["start_time"], tzinfo=zone)
        data["ends_at"] = datetime.combine(data["date"], data["end_time"], tzinfo=zone)
        closes = datetime.combine(
            data["registration_closes_on"], datetime.max.time(), tzinfo=zone
        ).replace(microsecond=0)
        data["registration_closes_at"] = min(closes, data["starts_at"])
        if data.get("registration_opens_on"):
            data["registration_opens_at"] = datetime.combine(
                data["registration_opens_on"], datetime.min.time(), tzinfo=zone
            )
        else:
            from django.utils import timezone

            data["registration_opens_at"] = timezone.now()
        return data


class RegistrationForm(FormKeyMixin, forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Who is coming?", empty_label=None
    )
    needs = forms.CharField(
        label="Accessibility or dietary needs",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Seen only by the organizers.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


def event_initial(event: Event) -> dict:
    """The form's wall-clock fields for an existing event, read in its own time zone."""
    zone = ZoneInfo(event.time_zone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    initial = {
        name: getattr(event, name)
        for name in (
            "kind",
            "title",
            "description",
            "format",
            "venue",
            "address",
            "parking",
            "accessibility_notes",
            "meeting_url",
            "time_zone",
            "capacity",
            "per_grantee_cap",
        )
    }
    initial.update(
        {
            "topic": event.topic_id,
            "region": event.region_id,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "registration_opens_on": event.registration_opens_at.astimezone(zone).date(),
            "registration_closes_on": event.registration_closes_at.astimezone(zone).date(),
            "organizers": list(event.organizers.all()),
            "series": event.series_id,
            "audience_regions": list(event.audience_regions.all()),
        }
    )
    return initial


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why is it cancelled?",
        help_text="Sent to everyone registered or waiting.",
    )


class AgendaItemForm(forms.Form):
    """A part of the agenda, on the event's day, in the event's time zone."""

    start_time = forms.TimeField(label="Starts", widget=TIME_WIDGET)
    end_time = forms.TimeField(label="Ends", widget=TIME_WIDGET)
    title = forms.CharField(max_length=200)
    speakers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, for example “Dana Ruiz, Valley Health (employer)”.",
    )

    def __init__(self, *args, event: Event, **kwargs):
        self.event = event
        super().__init__(*args, prefix="agenda", **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        zone = ZoneInfo(self.event.time_zone)
        day = self.event.starts_at.astimezone(zone).date()
        data["starts_at"] = datetime.combine(day, data["start_time"], tzinfo=zone)
        data["ends_at"] = datetime.combine(day, data["end_time"], tzinfo=zone)
        return data


class MaterialForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        label="What it is", choices=Material.Kind.choices, widget=forms.RadioSelect
    )
    file = UploadField(label="File")
    url = forms.URLField(
        label="Or a link",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text="For a recording on a video site, or slides kept elsewhere.",
    )
    release = forms.ChoiceField(
        label="Share it",
        choices=Material.Release.choices,
        widget=forms.RadioSelect,
        initial="before",
    )
    file_in_library = forms.BooleanField(
        label="Also file it in the library for everyone in the program",
        required=False,
        initial=True,
        help_text="Published there once the event is over.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="material", **kwargs)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How useful was it for your work?",
        coerce=int,
        choices=[
            (5, "5 — very useful"),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, "1 — not useful"),
        ],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label="What should we keep or change?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SeriesForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    registration_mode = forms.ChoiceField(
        label="Registration",
        choices=EventSeries.RegistrationMode.choices,
        widget=forms.RadioSelect,
        initial=EventSeries.RegistrationMode.SERIES,
    )


class WalkInForm(forms.Form):
    """Someone at the door who is not on the list."""

    full_name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(
        label="E-mail",
        required=False,
        help_text="Optional. Someone with an account on that team is matched to it.",
    )
    grantee = forms.ModelChoiceField(
        label="Consortium", queryset=Grantee.objects.none(), empty_label="— Choose —"
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, prefix="walk-in", **kwargs)
        self.fields["grantee"].queryset = Grantee.objects.filter(program=program).order_by("name")

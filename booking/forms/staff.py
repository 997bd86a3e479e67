"""Forms for coaches and TA admins: 1:1 availability, days away, office-hour series and dates.

The forms check what was typed (a real time zone, a time, a date); the business rules (windows
that overlap, a slot that does not fit, who may host) stay in booking.services, whose errors the
views put on the matching field.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from booking.models import WEEKDAYS, CoachSchedule, OfficeHourSeries
from grantees.models import Topic, User
from portal.forms import TimeZoneField

SLOT_MINUTES = [
    (15, "15 minutes"),
    (20, "20 minutes"),
    (30, "30 minutes"),
    (45, "45 minutes"),
    (60, "1 hour"),
]
SCHEDULE_LIMITS = {  # field: (lowest, highest)
    "minimum_notice_hours": (0, 720),
    "max_sessions_per_day": (1, 12),
    "horizon_days": (1, 365),
}
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_label(user: User) -> str:
    return user.full_name or user.email


# --- 1:1 availability -----------------------------------------------------------------------------


class ScheduleForm(forms.ModelForm):
    """A coach's 1:1 rules. Saved by services.schedule_update, never by the form itself."""

    time_zone = TimeZoneField(help_text="Your weekly windows below are in this time zone.")
    meeting_url = forms.URLField(
        label="Video-meeting link",
        required=False,
        assume_scheme="https",
        help_text="Shown only to people with a booking.",
    )

    class Meta:
        model = CoachSchedule
        fields = [
            "time_zone",
            "session_minutes",
            "buffer_minutes",
            "minimum_notice_hours",
            "max_sessions_per_day",
            "horizon_days",
            "meeting_url",
        ]
        help_texts = {
            "buffer_minutes": "Kept free before and after each session and office hour.",
            "max_sessions_per_day": "No more 1:1s are offered on a day that has this many.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in SCHEDULE_LIMITS.items():
            field = self.fields[name]
            field.validators = [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update({"min": low, "max": high})

    @property
    def settings(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class WindowForm(forms.Form):
    """One weekly window. A row left empty is ignored; a row with "Remove" ticked is dropped."""

    weekday = forms.TypedChoiceField(
        label="Day", coerce=int, choices=[("", "— Day —"), *WEEKDAYS], required=False
    )
    starts_at = forms.TimeField(label="From", widget=TIME_WIDGET, required=False)
    ends_at = forms.TimeField(label="Until", widget=TIME_WIDGET, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("DELETE"):
            return cleaned
        values = [cleaned.get(name) for name in ("weekday", "starts_at", "ends_at")]
        if all(value in (None, "") for value in values):
            return {}  # an unused row
        for name, value in zip(("weekday", "starts_at", "ends_at"), values, strict=True):
            if value in (None, ""):
                self.add_error(name, "Fill in the day and both times, or leave the row empty.")
        if not self.errors and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("ends_at", "The window must end after it starts.")
        return cleaned


class BaseWindowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"

    def windows(self) -> list[dict]:
        """The windows to keep: filled rows not marked for removal, in the service's shape."""
        return [
            {name: form.cleaned_data[name] for name in ("weekday", "starts_at", "ends_at")}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


WindowFormSet = forms.formset_factory(
    WindowForm,
    formset=BaseWindowFormSet,
    extra=2,
    can_delete=True,
    max_num=35,
    validate_max=True,
)


class AwayForm(forms.Form):
    starts_on = forms.DateField(label="First day away", widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label="Last day away", widget=DATE_WIDGET, help_text="The same day for a single day."
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=200,
        help_text="For yourself; grantees see only that you are not available.",
    )


# --- Office hours ---------------------------------------------------------------------------------


class SeriesForm(forms.Form):
    """A new recurring office-hour series. `hosts=None` (a coach who is not a TA admin) hides the
    hosts field: the coach hosts it alone."""

    program = forms.ModelChoiceField(queryset=None, empty_label="— Choose a program —")
    title = forms.CharField(
        max_length=200, help_text="For example “Office hours: contextualized ESL”."
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), required=False, empty_label="— No particular topic —"
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What to bring and who it is for.",
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=OfficeHourSeries.Frequency.choices,
        widget=forms.RadioSelect,
        initial=OfficeHourSeries.Frequency.MONTHLY,
    )
    week_of_month = forms.TypedChoiceField(
        label="Week of the month",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", "— Monthly only —"),
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (-1, "Last"),
        ],
        help_text="For monthly office hours, for example the 2nd Tuesday.",
    )
    weekday = forms.TypedChoiceField(label="Day of the week", coerce=int, choices=WEEKDAYS)
    starts_at = forms.TimeField(label="From", widget=TIME_WIDGET)
    ends_at = forms.TimeField(label="Until", widget=TIME_WIDGET)
    time_zone = TimeZoneField(help_text="The times above are wall-clock times in this zone.")
    first_date = forms.DateField(label="First date on or after", widget=DATE_WIDGET)
    last_date = forms.DateField(label="Last date on or before", widget=DATE_WIDGET)
    format = forms.ChoiceField(
        choices=OfficeHourSeries.Format.choices,
        widget=forms.RadioSelect,
        initial=OfficeHourSeries.Format.SLOTS,
    )
    slot_minutes = forms.TypedChoiceField(
        label="Slot length",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "— Individual slots only —"), *SLOT_MINUTES],
        initial=30,
    )
    capacity = forms.IntegerField(
        label="Seats",
        required=False,
        min_value=1,
        max_value=500,
        help_text="For a group drop-in: how many people can join.",
    )
    meeting_url = forms.URLField(
        label="Video-meeting link",
        required=False,
        assume_scheme="https",
        help_text="Shown only to people with a booking.",
    )
    hosts = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, programs, hosts, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["program"].queryset = programs
        self.fields["topic"].queryset = Topic.objects.order_by("name")
        if hosts is None:
            del self.fields["hosts"]
        else:
            self.fields["hosts"].queryset = hosts
            self.fields["hosts"].label_from_instance = person_label

    def clean(self):
        cleaned = super().clean()
        cleaned["hosts"] = (
            list(cleaned.get("hosts") or []) if "hosts" in self.fields else [self.actor]
        )
        return cleaned


class SeriesEditForm(forms.Form):
    """What a series is about; its rule and dates stay (skip or move single dates instead)."""

    title = forms.CharField(max_length=200)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), required=False, empty_label="— No particular topic —"
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    meeting_url = forms.URLField(
        label="Video-meeting link",
        required=False,
        assume_scheme="https",
        help_text="Shown only to people with a booking.",
    )
    hosts = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("name")
        self.fields["hosts"].queryset = hosts
        self.fields["hosts"].label_from_instance = person_label

    def clean_hosts(self) -> list[User]:
        return list(self.cleaned_data["hosts"])


class SkipForm(forms.Form):
    note = forms.CharField(
        label="Why is this date skipped?",
        max_length=300,
        help_text="Sent to everyone booked, with the cancellation.",
    )


class MoveForm(forms.Form):
    new_date = forms.DateField(label="New date", widget=DATE_WIDGET)
    new_start = forms.TimeField(label="New start time", widget=TIME_WIDGET)
    note = forms.CharField(
        label="Note to the people booked",
        required=False,
        max_length=300,
        help_text="Sent with the new time.",
    )


class AttendanceForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("attended", "Attended"), ("no_show", "No-show")])

"""Forms for support hours. Hours are typed as decimals in quarter-hour steps and stored as
integer minutes; dates and times are read in the person's own time zone."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms

from assessments.models import Goal
from grantees.models import Topic, User
from portal.formatting import format_hours
from portal.forms import FormKeyMixin
from support_hours.models import (
    SESSION_MAX_MINUTES,
    SESSION_STEP_MINUTES,
    ActionItem,
    CoachingSession,
    SupportRequest,
)


class HoursField(forms.DecimalField):
    """Hours as typed (1.5) → minutes as stored (90); only quarter hours are accepted."""

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_value", Decimal(2000))
        kwargs.setdefault("min_value", Decimal(-2000) if allow_negative else Decimal("0.25"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"step": "0.25", "inputmode": "decimal"})

    def clean(self, value):
        hours = super().clean(value)
        if hours is None:
            return None
        minutes = hours * 60
        if minutes != minutes.to_integral_value() or int(minutes) % SESSION_STEP_MINUTES:
            raise forms.ValidationError("Use quarter-hour steps, such as 1, 1.25, 1.5 or 1.75.")
        return int(minutes)


class AllocateForm(FormKeyMixin, forms.Form):
    hours = HoursField(label="Hours to allocate", help_text="For the whole program period.")
    reason = forms.CharField(
        label="Note", required=False, max_length=300, help_text="Shown in the grantee's ledger."
    )


class AdjustForm(FormKeyMixin, forms.Form):
    hours = HoursField(
        allow_negative=True,
        label="Hours to add or remove",
        help_text="A negative number removes hours, for example −2.5.",
    )
    reason = forms.CharField(
        label="Reason", max_length=300, help_text="Required; shown in the grantee's ledger."
    )
    override_reason = forms.CharField(
        label="Override reason",
        required=False,
        max_length=300,
        help_text="Only when this adjustment takes the available hours below zero.",
    )

    def clean_hours(self):
        minutes = self.cleaned_data["hours"]
        if minutes == 0:
            raise forms.ValidationError("Enter a number of hours other than zero.")
        return minutes


class SupportRequestForm(FormKeyMixin, forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = [
            "title",
            "topic",
            "description",
            "urgency",
            "preferred_times",
            "desired_expertise",
        ]
        labels = {"topic": "Main topic", "desired_expertise": "Expertise that would help"}
        help_texts = {
            "title": "A few words, for example “Contextualized ESL for CNA clinicals”.",
            "description": "What is happening, what you have tried, what a good outcome is.",
            "preferred_times": "For example “Tuesday or Thursday mornings”.",
        }
        widgets = {
            "urgency": forms.RadioSelect,
            "desired_expertise": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.order_by("name")
        self.fields["topic"].empty_label = "— Choose a topic —"
        self.fields["desired_expertise"].queryset = Topic.objects.order_by("name")
        self.fields["urgency"].choices = SupportRequest.Urgency.choices


class RequestAssignForm(forms.Form):
    coach = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="— Choose a coach —")
    note = forms.CharField(
        label="Note to the coach",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches


class RequestMoveForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=SupportRequest.Status.choices)
    note = forms.CharField(label="Note", required=False, max_length=500)

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label) for value, label in SupportRequest.Status.choices if value in moves
        ]


def duration_choices() -> list[tuple[int, str]]:
    choices = []
    for minutes in range(SESSION_STEP_MINUTES, SESSION_MAX_MINUTES + 1, SESSION_STEP_MINUTES):
        hours, rest = divmod(minutes, 60)
        label = " ".join(p for p in (f"{hours} h" if hours else "", f"{rest} min" if rest else ""))
        choices.append((minutes, f"{label} ({format_hours(minutes)})"))
    return choices


class SessionForm(FormKeyMixin, forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.TypedChoiceField(
        label="Duration", coerce=int, choices=duration_choices, initial=60
    )
    mode = forms.ChoiceField(
        choices=CoachingSession.Mode.choices,
        widget=forms.RadioSelect,
        initial=CoachingSession.Mode.VIRTUAL,
    )
    request = forms.ModelChoiceField(
        label="Support request",
        queryset=SupportRequest.objects.none(),
        required=False,
        empty_label="— Not linked to a request —",
    )
    plan_goal = forms.ModelChoiceField(
        label="TA plan goal",
        queryset=Goal.objects.none(),
        required=False,
        empty_label="— Not for a plan goal —",
        help_text="The plan shows the sessions spent on each goal.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.ModelMultipleChoiceField(
        label="Attendees from the grantee",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.CharField(
        label="Other attendees",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line, for example “Dana Ortiz, Valley Medical (employer partner)”.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), help_text="Shared with the grantee."
    )
    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    internal_notes = forms.CharField(
        label="Internal notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by TA staff only, never by the grantee.",
    )

    def __init__(
        self,
        *args,
        requests,
        members,
        time_zone: str,
        goals=None,
        allow_override: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if allow_override:
            self.fields["override_reason"] = forms.CharField(
                label="Override reason (TA admins)",
                required=False,
                max_length=300,
                help_text="Only if this session needs more hours than the grantee has available.",
            )
        self.time_zone = ZoneInfo(time_zone)
        self.fields["topics"].queryset = Topic.objects.order_by("name")
        self.fields["attendees"].queryset = members
        self.fields["request"].queryset = requests
        if goals is not None:
            self.fields["plan_goal"].queryset = goals
        self.fields["attendees"].label_from_instance = lambda user: user.full_name or user.email

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("start_time")
        if day and time:
            cleaned["started_at"] = datetime.combine(day, time, tzinfo=self.time_zone)
        return cleaned


class SessionReviseForm(SessionForm):
    """Editing keeps history, so it asks what changed."""

    reason = forms.CharField(
        label="What did you correct?",
        max_length=300,
        help_text="Kept with the session's history.",
    )


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_on", "status"]
        labels = {"description": "Action", "owner": "Who", "due_on": "Due"}
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


ActionItemFormSet = forms.formset_factory(ActionItemForm, extra=2, max_num=20)


class DisputeForm(forms.Form):
    comment = forms.CharField(
        label="What is wrong with this record?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Your TA admin sees this and will follow up.",
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="How was the dispute resolved?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

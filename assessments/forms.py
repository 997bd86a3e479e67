"""Forms for instruments (TA admins) and for starting an assessment (coaches). The interview
itself saves field by field (see services.assessment_save_field), not through a form."""

from __future__ import annotations

from django import forms
from django.db.models import Case, When
from django.utils.text import slugify

from assessments.models import Assessment, Domain, Goal
from assessments.selectors import versions_to_use
from grantees.models import Topic


class InstrumentForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VersionForm(forms.Form):
    notes = forms.CharField(
        label="What will change",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Shown with the version, e.g. “Splits domain 3 into two items”.",
    )


class DomainForm(forms.Form):
    title = forms.CharField(max_length=200)
    key = forms.SlugField(
        max_length=60,
        required=False,
        help_text="Stays the same across versions so growth compares like with like. "
        "Left empty, it is made from the title.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Plans recommend library resources, events and experts on these topics.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("key") and data.get("title"):
            data["key"] = slugify(data["title"])[:60]
        if "title" in data and not data.get("key"):
            self.add_error("key", "Give a key of letters, numbers and hyphens.")
        return data


class ItemForm(forms.Form):
    prompt = forms.CharField(max_length=300, help_text="What the interviewer rates.")
    exploring = forms.CharField(
        label="1 Exploring", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    developing = forms.CharField(
        label="2 Developing", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    implementing = forms.CharField(
        label="3 Implementing", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    sustaining = forms.CharField(
        label="4 Sustaining", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    probes = forms.CharField(
        label="Interview probes",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class AssessmentStartForm(forms.Form):
    kind = forms.ChoiceField(choices=Assessment.Kind.choices, widget=forms.RadioSelect)
    version = forms.ModelChoiceField(
        label="Instrument", queryset=versions_to_use(), empty_label=None
    )
    interview_on = forms.DateField(
        label="Interview date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="You can set it later.",
    )


class InterviewDateForm(forms.Form):
    interview_on = forms.DateField(
        label="Interview date", widget=forms.DateInput(attrs={"type": "date"})
    )


class PlanForm(forms.Form):
    domains = forms.ModelMultipleChoiceField(
        label="Priorities",
        queryset=Domain.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one priority."},
        help_text="Each becomes a goal you can rename and give actions, an owner and a date.",
    )

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["domains"]
        order = [p.domain.pk for p in priorities]
        # The proposed priorities first, as propose_priorities ordered them.
        field.queryset = Domain.objects.filter(pk__in=order).order_by(
            Case(*[When(pk=pk, then=index) for index, pk in enumerate(order)])
        )
        by_id = {p.domain.pk: p for p in priorities}

        def label(domain):
            priority = by_id[domain.pk]
            reason = f" — {priority.reason}" if priority.reason else ""
            return f"{domain.title} (score {priority.score}){reason}"

        field.label_from_instance = label


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        label="What success looks like", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    domain = forms.ModelChoiceField(
        queryset=Domain.objects.none(), required=False, empty_label="— No domain —"
    )
    owner = forms.ModelChoiceField(
        label="Owner", queryset=None, required=False, empty_label="— Nobody yet —"
    )
    due_on = forms.DateField(
        label="Due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(choices=Goal.Status.choices)

    def __init__(self, *args, domains, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = domains
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda user: user.full_name or user.email


class GoalActionForm(forms.Form):
    description = forms.CharField(label="Action", max_length=300)
    owner = forms.ModelChoiceField(
        label="Who", queryset=None, required=False, empty_label="— Nobody yet —"
    )
    due_on = forms.DateField(
        label="By when", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda user: user.full_name or user.email

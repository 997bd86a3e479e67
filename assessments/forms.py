"""Forms for instruments (TA admins) and for starting an assessment (coaches). The interview
itself saves field by field (see services.assessment_save_field), not through a form."""

from __future__ import annotations

from django import forms
from django.utils.text import slugify

from assessments.models import Assessment
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

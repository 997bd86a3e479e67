"""Forms for the library: search (GET) and adding or editing a resource (TA staff)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from events.models import Event
from grantees.models import Grantee, Program, Topic
from library.models import PathwayModel, Resource
from portal.forms import UploadField


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(choices=Resource.Kind.choices)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    pathway_models = forms.ModelMultipleChoiceField(
        label="Pathway models",
        queryset=PathwayModel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(choices=Resource.Audience.choices)
    visibility = forms.ChoiceField(
        label="Who may see it", choices=Resource.Visibility.choices, widget=forms.RadioSelect
    )
    program = forms.ModelChoiceField(
        queryset=Program.objects.none(),
        required=False,
        help_text="For “One program”.",
        empty_label="— Choose —",
    )
    grantee = forms.ModelChoiceField(
        queryset=Grantee.objects.none(),
        required=False,
        help_text="For “One grantee”.",
        empty_label="— Choose —",
    )
    file = UploadField()
    external_url = forms.URLField(label="Link", required=False, assume_scheme="https")
    video_url = forms.URLField(label="Video link", required=False, assume_scheme="https")
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=1, max_value=1440, required=False
    )
    source_event = forms.ModelChoiceField(
        label="From the event",
        queryset=Event.objects.none(),
        required=False,
        help_text="For a recording or slides of a training, CoP or webinar.",
        empty_label="— None —",
    )
    publish = forms.BooleanField(
        label="Published", required=False, help_text="Unticked: a draft only TA staff see."
    )

    def __init__(self, *args, programs, grantees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["grantee"].queryset = grantees
        self.fields["source_event"].queryset = Event.objects.filter(program__in=programs).order_by(
            "-starts_at"
        )
        self.fields["source_event"].label_from_instance = lambda event: (
            f"{event.title} ({timezone.localtime(event.starts_at):%b %-d, %Y})"
        )


def resource_initial(resource: Resource) -> dict:
    return {
        "title": resource.title,
        "summary": resource.summary,
        "kind": resource.kind,
        "topics": list(resource.topics.all()),
        "pathway_models": list(resource.pathway_models.all()),
        "audience": resource.audience,
        "visibility": resource.visibility,
        "program": resource.program_id,
        "grantee": resource.grantee_id,
        "external_url": resource.external_url,
        "video_url": resource.video_url,
        "duration_minutes": resource.duration_minutes,
        "source_event": resource.source_event_id,
        "publish": resource.is_published,
    }


class CollectionForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the collection is for and where to start.",
    )

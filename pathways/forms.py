from __future__ import annotations

from django import forms

from grantees.models import Grantee
from pathways import selectors
from pathways.models import EnglishLevel, PathwayModel, PathwayStep

SPANISH_HINT = "Printed on the Spanish map; leave empty to print the English text there."


class ConceptNewForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="What learners will recognize, for example: Medical assistant pathway.",
    )
    title_es = forms.CharField(
        label="Title in Spanish", max_length=200, required=False, help_text=SPANISH_HINT
    )
    model = forms.ChoiceField(
        label="Pathway model", choices=PathwayModel.choices, widget=forms.RadioSelect
    )


class OccupationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        label = f"{obj.title} ({obj.soc_code})"
        if getattr(obj, "priority_position", None) is not None:
            label += " — your priority occupation"
        return label


class PathwayForm(forms.Form):
    title = forms.CharField(max_length=200)
    title_es = forms.CharField(
        label="Title in Spanish", max_length=200, required=False, help_text=SPANISH_HINT
    )
    model = forms.ChoiceField(
        label="Pathway model", choices=PathwayModel.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1200,
        required=False,
        help_text="Who it is for and where it leads, in plain words a learner understands.",
    )
    summary_es = forms.CharField(
        label="Summary in Spanish",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1200,
        required=False,
        help_text=SPANISH_HINT,
    )
    supports = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1200,
        required=False,
        help_text="One per line: childcare, transportation, fees, tutoring, navigation.",
    )
    supports_es = forms.CharField(
        label="Supports in Spanish",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1200,
        required=False,
        help_text=SPANISH_HINT,
    )
    target_occupations = OccupationChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The jobs at the end of the pathway; your priority occupations come first.",
    )

    def __init__(self, *args, grantee: Grantee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_occupations"].queryset = selectors.occupations_for_choice(grantee)


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of step", choices=PathwayStep.Kind.choices)
    title = forms.CharField(max_length=200, help_text="For example: VESL for Healthcare bridge.")
    title_es = forms.CharField(
        label="Title in Spanish", max_length=200, required=False, help_text=SPANISH_HINT
    )
    duration = forms.CharField(max_length=80, required=False, help_text="For example: 12 weeks.")
    duration_es = forms.CharField(
        label="Duration in Spanish", max_length=80, required=False, help_text=SPANISH_HINT
    )
    detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=600,
        required=False,
        help_text="What the learner does and earns; articulation into a credit program.",
    )
    detail_es = forms.CharField(
        label="Detail in Spanish",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=600,
        required=False,
        help_text=SPANISH_HINT,
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who delivers or hosts this step (from your partner list).",
        error_messages={"invalid_choice": "Choose partners from your own partner list."},
    )

    def __init__(self, *args, grantee: Grantee, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the grantee's own partners: another grantee's id is not a valid choice.
        self.fields["partners"].queryset = selectors.grantee_partners(grantee)


class EntryPointsForm(forms.Form):
    """One row per English level: the step the learner starts at (or none), and a note."""

    def __init__(self, *args, steps: list[PathwayStep], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Not an entry point")] + [
            (str(step.key), f"Step {number}: {step.title}")
            for number, step in enumerate(steps, start=1)
        ]
        self.levels = []
        for number, (level, label) in enumerate(EnglishLevel.choices, start=1):
            self.fields[f"{level}-step"] = forms.ChoiceField(
                label=f"Starts at (NRS ESL level {number}, {label})",
                choices=choices,
                required=False,
            )
            self.fields[f"{level}-note"] = forms.CharField(
                label=f"Note (level {number})",
                max_length=300,
                required=False,
            )
            self.fields[f"{level}-note_es"] = forms.CharField(
                label=f"Note in Spanish (level {number})", max_length=300, required=False
            )
            self.levels.append((number, level, label))

    def rows(self):
        """Bound fields grouped by level, for the template."""
        for number, level, label in self.levels:
            yield {
                "number": number,
                "level": level,
                "label": label,
                "step": self[f"{level}-step"],
                "note": self[f"{level}-note"],
                "note_es": self[f"{level}-note_es"],
            }

    def entry_rows(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            level: {
                "step_key": data.get(f"{level}-step") or None,
                "note": data.get(f"{level}-note", ""),
                "note_es": data.get(f"{level}-note_es", ""),
            }
            for _number, level, _label in self.levels
        }


class NewVersionForm(forms.Form):
    from_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    change_note = forms.CharField(
        label="What changes in the new version",
        max_length=300,
        help_text="For example: after the coach's review, added the externship.",
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

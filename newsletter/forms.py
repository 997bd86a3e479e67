from __future__ import annotations

from django import forms


class IssueForm(forms.Form):
    title = forms.CharField(max_length=200)
    period_starts_on = forms.DateField(
        label="Period from", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_ends_on = forms.DateField(label="to", widget=forms.DateInput(attrs={"type": "date"}))
    highlights = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="What happened in the period, in a few sentences or a list (one per line).",
    )
    spotlight_title = forms.CharField(label="Spotlight title", max_length=200, required=False)
    spotlight_body = forms.CharField(
        label="Spotlight story",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        required=False,
        help_text="One grantee's story: what they tried and what changed.",
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("spotlight_title")) != bool(data.get("spotlight_body")):
            self.add_error(
                "spotlight_body" if data.get("spotlight_title") else "spotlight_title",
                "Give the spotlight both a title and a story, or neither.",
            )
        return data

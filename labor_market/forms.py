"""Forms for priorities, living wages and the occupations import."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from grantees.models import Occupation


class PriorityForm(forms.Form):
    occupation = forms.ModelChoiceField(
        queryset=Occupation.objects.order_by("title"),
        empty_label="Choose an occupation",
        error_messages={"invalid_choice": "Choose an occupation from the list."},
    )
    rationale = forms.CharField(
        label="Why it is a priority",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Demand in your region, wages against the living wage, employer partners, "
        "and how reachable it is for your English learners.",
    )


class RationaleForm(forms.Form):
    rationale = PriorityForm.base_fields["rationale"]


class LivingWageRowForm(forms.Form):
    region = forms.IntegerField(widget=forms.HiddenInput)
    hourly = forms.DecimalField(
        label="Hourly living wage ($)",
        required=False,
        min_value=Decimal("1"),
        max_value=Decimal("200"),
        decimal_places=2,
        error_messages={
            "min_value": "Give a wage between $1 and $200 an hour.",
            "max_value": "Give a wage between $1 and $200 an hour.",
            "max_decimal_places": "Give dollars and cents, like 26.50.",
            "invalid": "Give dollars and cents, like 26.50.",
        },
    )
    year = forms.IntegerField(label="Year", required=False)
    source = forms.CharField(label="Source", required=False, max_length=300)

    def clean_year(self):
        year = self.cleaned_data.get("year")
        this_year = timezone.localdate().year
        if year is not None and not 2000 <= year <= this_year + 1:
            raise forms.ValidationError(f"Give a year between 2000 and {this_year + 1}.")
        return year

    def clean(self):
        data = super().clean()
        if (
            data.get("hourly") is not None
            and data.get("year") is None
            and "year" not in self.errors
        ):
            self.add_error("year", "Give the year this living wage is for.")
        blank_wage = data.get("hourly") is None and "hourly" not in self.errors
        if blank_wage and (data.get("year") or data.get("source")):
            self.add_error("hourly", "Give the wage too, or clear the year and source.")
        return data


LivingWageFormSet = forms.formset_factory(LivingWageRowForm, extra=0)


class OccupationUploadForm(forms.Form):
    file = forms.FileField(
        label="Occupations CSV",
        help_text="UTF-8 CSV with the columns of the export (soc_code, title, "
        "ca_median_annual_wage_usd, wage_year, typical_entry_education, licensing_body, "
        "title_es, source), up to 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class OccupationApplyForm(forms.Form):
    content = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=1_100_000)
    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)

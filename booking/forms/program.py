"""A program's booking policy, set by its TA admins."""

from __future__ import annotations

from django import forms

from grantees.models import Program


class BookingPolicyForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "booking_cancel_cutoff_hours",
            "late_cancel_policy",
            "office_hours_draw_hours",
            "reminder_hours",
        ]
        widgets = {"late_cancel_policy": forms.RadioSelect}
        help_texts = {
            "late_cancel_policy": "What happens to the held hours when a grantee cancels after "
            "the cutoff, or nobody comes.",
            "reminder_hours": "For example 24, 1: a reminder a day before and an hour before.",
        }

    def clean_booking_cancel_cutoff_hours(self) -> int:
        hours = self.cleaned_data["booking_cancel_cutoff_hours"]
        if hours > 24 * 14:
            raise forms.ValidationError("Choose at most 336 hours (14 days).")
        return hours

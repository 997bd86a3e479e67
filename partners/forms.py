"""Forms for partners and commitments. The business rules live in partners.services; the forms
turn typed text into values and show every message next to its field."""

from __future__ import annotations

from django import forms

from partners import services
from partners.models import Commitment, Partner
from portal.forms import clean_phone


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "stage",
            "contact_name",
            "contact_title",
            "contact_email",
            "contact_phone",
            "notes",
        ]
        labels = {
            "name": "Partner name",
            "kind": "Type of partner",
            "stage": "Relationship stage",
            "contact_name": "Contact person",
            "contact_title": "Contact's title",
            "contact_email": "Contact e-mail",
            "contact_phone": "Contact phone",
        }
        help_texts = {
            "name": "As the partner calls itself, for example “Eastshore Medical Group”.",
            "stage": "How far the relationship has come. Later moves are recorded with who "
            "made them.",
            "contact_phone": "With area code, for example (510) 555-0148.",
            "notes": "What you have talked about, who else to know there, next steps.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "name": {"required": "Enter the partner's name."},
            "kind": {"required": "Choose the type of partner."},
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a type")] + list(Partner.Kind.choices)
        self.fields["contact_email"].error_messages["invalid"] = (
            "Enter an e-mail address like name@example.org."
        )
        if editing:
            # The stage changes on the partner's page, with the history that goes with it.
            del self.fields["stage"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError("Enter the partner's full name.")
        return name

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"], example="(510) 555-0148")

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"].strip()
        if len(notes) > 5000:
            raise forms.ValidationError(
                f"Keep the notes under 5,000 characters (they have {len(notes):,})."
            )
        return notes


class QuantityInput(forms.NumberInput):
    def use_required_attribute(self, initial) -> bool:
        return False  # needed for some types of commitment only


class QuantityField(forms.IntegerField):
    """Shown without "(optional)": slots, interviews and hiring need a number (the rules in
    partners.services say so, with a message that names the type); the others may leave it out."""

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def validate(self, value) -> None:
        if value in self.empty_values:
            return
        super().validate(value)


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of commitment",
        choices=[("", "Choose a type")] + list(Commitment.Kind.choices),
        error_messages={"required": "Choose the type of commitment."},
    )
    quantity = QuantityField(
        label="How many",
        help_text="Slots, talks, interviews, hires or items. Needed for slots, interviews and "
        "hiring; optional for the others.",
        max_value=services.MAX_QUANTITY,
        error_messages={
            "invalid": "Enter a whole number, like 6.",
            "max_value": services.TOO_MANY,
        },
        widget=QuantityInput(attrs={"min": 1, "inputmode": "numeric"}),
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example “Externship slots at the Eastshore clinic, Saturdays”. Needed "
        "for “Other”.",
    )
    status = forms.ChoiceField(
        choices=Commitment.Status.choices,
        initial=Commitment.Status.PROPOSED,
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, like 2027-01-15."},
    )
    ends_on = forms.DateField(
        label="Until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, like 2027-06-30."},
    )

    def clean(self):
        data = super().clean()
        for field, message in services.commitment_problems(data):
            if field not in self.errors:
                self.add_error(field, message)
        return data

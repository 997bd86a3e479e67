"""Forms for grantee profiles, invitations, coach assignment and people search."""

from __future__ import annotations

from django import forms

from grantees.models import Grantee, Membership, Region, User
from portal.forms import clean_phone


class GranteeProfileForm(forms.ModelForm):
    region = forms.ModelChoiceField(queryset=Region.objects.all(), empty_label="Choose a region")

    class Meta:
        model = Grantee
        fields = [
            "name",
            "region",
            "member_agencies",
            "contact_name",
            "contact_email",
            "contact_phone",
            "pathway_focus",
        ]
        labels = {"name": "Consortium name", "pathway_focus": "Pathway focus"}
        help_texts = {
            "pathway_focus": "Your pathway models and the learners they serve, in a few sentences.",
            "contact_phone": "For example (916) 555-0123.",
        }
        widgets = {
            "member_agencies": forms.Textarea(attrs={"rows": 4}),
            "pathway_focus": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 3:
            raise forms.ValidationError("Enter the consortium's full name (at least 3 characters).")
        return name

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"])

    def clean_pathway_focus(self) -> str:
        text = self.cleaned_data["pathway_focus"].strip()
        if len(text) > 2000:
            raise forms.ValidationError(
                f"Keep the pathway focus under 2,000 characters (it has {len(text):,})."
            )
        return text

    def clean_member_agencies(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["member_agencies"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_email") and not cleaned.get("contact_name"):
            self.add_error("contact_name", "Add the name that goes with the contact e-mail.")
        return cleaned


class InvitationForm(forms.Form):
    full_name = forms.CharField(label="Name", max_length=150, required=False)
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        initial=Membership.Role.STAFF,
        widget=forms.RadioSelect,
        help_text="Leads can edit the profile and invite colleagues.",
    )


class ProgramInvitationForm(InvitationForm):
    grantee = forms.ModelChoiceField(
        queryset=Grantee.objects.none(), empty_label="Choose a grantee"
    )
    field_order = ["grantee", "full_name", "email", "role"]

    def __init__(self, *args, grantees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantee"].queryset = grantees


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=150)
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="Repeat the password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ. Type the same password twice.")
        return cleaned


class CoachAssignForm(forms.Form):
    coach = forms.ModelChoiceField(queryset=User.objects.none(), empty_label="Choose a coach")

    def __init__(self, *args, coaches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search people by name or e-mail", required=False, max_length=100)

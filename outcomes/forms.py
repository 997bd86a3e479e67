"""The quarter form and the CSV upload. Fields turn typed text into numbers with the rules'
own messages; whether the numbers fit together is the service's call (rules.check)."""

from __future__ import annotations

from django import forms

from outcomes import rules
from outcomes.models import LEVEL_FIELDS, OUTCOME_FIELDS, QuarterlyOutcome


class CountField(forms.CharField):
    """A number of learners: whole, 0 or more, typed with ASCII digits. Every count is asked
    for, but a blank one counts as 0 unless `blank_is_zero` is off (the learners enrolled)."""

    def __init__(self, *, blank_is_zero: bool = True, **kwargs):
        self.blank_is_zero = blank_is_zero
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.error_messages["required"] = "Enter the number of learners (0 if none)."
        self.error_messages["max_length"] = "Enter a whole number, like 12."

    def validate(self, value):
        if value in self.empty_values and self.blank_is_zero:
            return
        super().validate(value)

    def clean(self, value):
        value = super().clean(value)
        try:
            return rules.parse_count(value, required=not self.blank_is_zero)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class WageField(forms.CharField):
    """Dollars and cents → cents (None when blank)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = "Enter dollars and cents, like 22.50."

    def clean(self, value):
        value = super().clean(value)
        try:
            return rules.parse_wage(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


def _help(name: str) -> str:
    return str(QuarterlyOutcome._meta.get_field(name).help_text)


class OutcomeForm(forms.Form):
    enrolled = CountField(
        label="Learners enrolled",
        blank_is_zero=False,
        help_text="Everyone in the pathway's bridge, IET or training this quarter.",
    )
    # The English levels at entry (a fieldset in the template).
    enrolled_esl_1 = CountField(label=LEVEL_FIELDS[0][1])
    enrolled_esl_2 = CountField(label=LEVEL_FIELDS[1][1])
    enrolled_esl_3 = CountField(label=LEVEL_FIELDS[2][1])
    enrolled_esl_4 = CountField(label=LEVEL_FIELDS[3][1])
    enrolled_esl_5 = CountField(label=LEVEL_FIELDS[4][1])
    enrolled_esl_6 = CountField(label=LEVEL_FIELDS[5][1])
    # The outcomes, each a part of the learners enrolled.
    skill_gains = CountField(label=OUTCOME_FIELDS[0][1], help_text=_help("skill_gains"))
    completed_bridge_iet = CountField(label=OUTCOME_FIELDS[1][1])
    credentials_earned = CountField(
        label=OUTCOME_FIELDS[2][1], help_text=_help("credentials_earned")
    )
    placed_wbl = CountField(label=OUTCOME_FIELDS[3][1])
    employed_healthcare = CountField(
        label=OUTCOME_FIELDS[4][1], help_text=_help("employed_healthcare")
    )
    median_wage_cents = WageField(
        label="Median starting hourly wage",
        help_text="In dollars and cents, like 22.50, of the learners employed in healthcare. "
        "Leave it empty while no one is employed, or if you don't know it.",
    )
    notes = forms.CharField(
        required=False,
        max_length=rules.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Cohorts, changes in how you count, anything the numbers don't say. "
        "No learners' names.",
    )

    LEVELS = tuple(name for name, _ in LEVEL_FIELDS)
    OUTCOMES = tuple(name for name, _ in OUTCOME_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].error_messages["max_length"] = (
            f"Keep the notes under {rules.NOTES_MAX:,} characters."
        )
        self.levels_error = ""  # the message about the levels together (rules.LEVELS)

    @classmethod
    def initial_for(cls, outcome: QuarterlyOutcome | None) -> dict:
        if outcome is None:  # a new quarter: the parts start at 0, enrolled is asked for
            return dict.fromkeys((*cls.LEVELS, *cls.OUTCOMES), 0)
        initial = {
            name: getattr(outcome, name) for name in ("enrolled", *cls.LEVELS, *cls.OUTCOMES)
        }
        initial["median_wage_cents"] = (
            "" if outcome.median_wage_cents is None else rules.dollars(outcome.median_wage_cents)
        )
        initial["notes"] = outcome.notes
        return initial

    def level_fields(self):
        return [self[name] for name in self.LEVELS]

    def outcome_fields(self):
        return [self[name] for name in self.OUTCOMES]

    def add_rule_errors(self, errors: list[tuple[str, str]]) -> None:
        for name, message in errors:
            if name == rules.LEVELS:
                self.levels_error = message
            elif name in self.fields:
                self.add_error(name, message)
            else:
                self.add_error(None, message)

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in data if name != "notes"}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="UTF-8 CSV with the template's columns, up to 1 MB and 200 quarters.",
        error_messages={
            "required": "Choose a CSV file to upload.",
            "empty": "The file is empty.",
            "invalid": "Choose a CSV file to upload.",
        },
    )

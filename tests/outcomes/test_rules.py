"""The numbers' rules, shared by the form, the import and the service: parsing with a message
for each mistake, and the checks of numbers against each other."""

from __future__ import annotations

import datetime

import pytest

from outcomes import quarters, rules
from tests.outcomes.helpers import values

D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"), [("12", 12), ("0", 0), (" 7 ", 7), ("", 0), (None, 0), ("100000", 100000)]
)
def test_counts_are_whole_numbers(text, expected):
    assert rules.parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3", "Can't be less than 0."),
        ("2.5", "Enter a whole number, like 12."),
        ("twelve", "Enter a whole number, like 12."),
        ("١٢", "Enter a whole number, like 12."),  # Arabic-Indic digits: int() would take them
        ("１２", "Enter a whole number, like 12."),  # full-width digits
        ("1e3", "Enter a whole number, like 12."),
        ("100001", "Enter at most 100,000; check for a typo."),
    ],
)
def test_bad_counts_say_what_is_wrong(text, message):
    with pytest.raises(ValueError) as error:
        rules.parse_count(text)
    assert str(error.value) == message


def test_enrolled_may_not_be_left_blank():
    with pytest.raises(ValueError) as error:
        rules.parse_count("", required=True)
    assert str(error.value) == "Enter the number of learners (0 if none)."


@pytest.mark.parametrize(
    ("text", "cents"),
    [("22.50", 2250), ("$22.5", 2250), ("22", 2200), ("$ 18.05", 1805), ("", None), (None, None)],
)
def test_wages_are_dollars_and_cents(text, cents):
    assert rules.parse_wage(text) == cents


@pytest.mark.parametrize("text", ["22.505", "22,50", "abc", "-5", "٢٢.٥٠", "22."])
def test_bad_wages_ask_for_dollars_and_cents(text):
    with pytest.raises(ValueError) as error:
        rules.parse_wage(text)
    assert str(error.value) == "Enter dollars and cents, like 22.50."


def test_a_valid_quarter_has_no_errors():
    assert rules.check(values()) == []
    assert rules.check(values(median_wage_cents=None)) == []
    assert (
        rules.check(
            values(
                enrolled=0,
                **dict.fromkeys(rules.LEVEL_NAMES, 0),
                **dict.fromkeys(rules.OUTCOME_NAMES, 0),
                median_wage_cents=None,
            )
        )
        == []
    )


def test_levels_together_no_more_than_enrolled():
    errors = rules.check(values(enrolled_esl_6=3))  # 6 + 12 + 4 + 3 = 25 > 24
    assert errors == [
        (
            rules.LEVELS,
            "The English levels add up to 25, more than the 24 learners enrolled. "
            "Lower them, or raise the number enrolled.",
        )
    ]
    assert rules.check(values(enrolled_esl_6=2)) == []  # exactly 24


@pytest.mark.parametrize("name", rules.OUTCOME_NAMES)
def test_each_outcome_no_more_than_enrolled(name):
    assert rules.check(values(**{name: 25})) == [
        (name, "Can't be more than the 24 learners enrolled.")
    ]
    assert rules.check(values(**{name: 24})) == []


def test_one_learner_is_singular_and_every_error_is_listed():
    errors = rules.check(
        values(
            enrolled=1,
            enrolled_esl_3=0,
            enrolled_esl_4=1,
            enrolled_esl_5=0,
            skill_gains=2,
            completed_bridge_iet=1,
            credentials_earned=3,
            placed_wbl=0,
            employed_healthcare=0,
            median_wage_cents=None,
        )
    )
    assert errors == [
        ("skill_gains", "Can't be more than the 1 learner enrolled."),
        ("credentials_earned", "Can't be more than the 1 learner enrolled."),
    ]


def test_a_wage_needs_someone_employed_and_says_so():
    errors = rules.check(values(employed_healthcare=0))
    assert len(errors) == 1 and errors[0][0] == "median_wage_cents"
    assert "no learner is employed in healthcare" in errors[0][1]


@pytest.mark.parametrize("cents", [99, 20001, 0])
def test_a_wage_between_one_and_two_hundred_dollars(cents):
    assert rules.check(values(median_wage_cents=cents)) == [
        ("median_wage_cents", "Enter an hourly wage between $1.00 and $200.00.")
    ]


@pytest.mark.parametrize("cents", [100, 20000])
def test_the_wage_limits_themselves_are_fine(cents):
    assert rules.check(values(median_wage_cents=cents)) == []


# --- Quarters ----------------------------------------------------------------------------------


class Program:
    starts_on, ends_on = D(2026, 7, 1), D(2027, 6, 30)


class MidMonthProgram:
    starts_on, ends_on = D(2026, 7, 15), D(2027, 7, 14)


def test_quarter_names():
    q3 = D(2026, 7, 1)
    assert quarters.slug(q3) == "2026-q3" and quarters.from_slug("2026-q3") == q3
    assert quarters.csv_name(q3) == "2026-Q3" and quarters.label(q3) == "Jul–Sep 2026"
    assert quarters.label(D(2026, 10, 1)) == "Oct–Dec 2026"
    assert quarters.start_of(D(2026, 9, 30)) == q3 and quarters.end_of(q3) == D(2026, 9, 30)
    assert quarters.shift(D(2026, 10, 1), 1) == D(2027, 1, 1)
    assert quarters.shift(D(2026, 1, 1), -1) == D(2025, 10, 1)
    for bad in ("2026-q5", "2026-Q3", "2026-q0", "26-q3", "", "2026-07-01"):
        assert quarters.from_slug(bad) is None, bad


@pytest.mark.parametrize("text", ["2026-Q3", "2026-q3", " 2026-Q3 ", "2026-07-01"])
def test_csv_quarters_in_either_form(text):
    assert quarters.from_csv(text) == D(2026, 7, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-08-15", "Use the quarter's first day (2026-07-01) or write it as 2026-Q3."),
        ("2026-02-30", "2026-02-30 is not a date"),
        ("Q3 2026", "Write the quarter like 2026-Q3"),
        ("2026-Q5", "Write the quarter like 2026-Q3"),
        ("", "Enter the quarter, like 2026-Q3."),
    ],
)
def test_bad_csv_quarters(text, message):
    with pytest.raises(ValueError) as error:
        quarters.from_csv(text)
    assert message in str(error.value)


def test_allowed_quarters_run_from_two_years_before_the_program_to_now():
    first, last = quarters.allowed_range(Program, D(2026, 11, 29))
    assert (first, last) == (D(2024, 7, 1), D(2026, 10, 1))
    allowed = quarters.allowed(Program, D(2026, 11, 29))
    assert allowed[0] == D(2026, 10, 1) and allowed[-1] == D(2024, 7, 1) and len(allowed) == 10
    assert quarters.allowed_range(MidMonthProgram, D(2026, 8, 1))[0] == D(2024, 7, 1)


def test_a_period_covers_the_quarters_whose_middle_it_holds():
    assert quarters.in_period(D(2026, 7, 1), D(2026, 9, 30)) == [D(2026, 7, 1)]
    assert quarters.in_period(D(2026, 7, 1), D(2027, 6, 30)) == [
        D(2026, 7, 1),
        D(2026, 10, 1),
        D(2027, 1, 1),
        D(2027, 4, 1),
    ]
    assert quarters.in_period(D(2026, 8, 1), D(2026, 8, 31)) == [D(2026, 7, 1)]
    assert quarters.in_period(D(2026, 9, 1), D(2026, 9, 30)) == []


def test_a_mid_month_program_s_quarters_count_each_calendar_quarter_once():
    from reports import periods

    counted = []
    for key in ("q1", "q2", "q3", "q4"):
        period = periods.program_period(MidMonthProgram, key)
        counted += quarters.in_period(period.starts_on, period.ends_on)
    year = periods.program_period(MidMonthProgram, "year")
    assert counted == quarters.in_period(year.starts_on, year.ends_on)
    assert len(counted) == len(set(counted)) == 4

"""Shared test data for learner outcomes: a valid quarter's numbers and CSV text."""

from __future__ import annotations

from outcomes.csv_import import COLUMNS


def values(**changes) -> dict:
    """A valid quarter: 24 enrolled, levels 6 + 12 + 4 (2 not recorded), every outcome below 24."""
    base = {
        "enrolled": 24,
        "enrolled_esl_1": 0,
        "enrolled_esl_2": 0,
        "enrolled_esl_3": 6,
        "enrolled_esl_4": 12,
        "enrolled_esl_5": 4,
        "enrolled_esl_6": 0,
        "skill_gains": 15,
        "completed_bridge_iet": 18,
        "credentials_earned": 11,
        "placed_wbl": 14,
        "employed_healthcare": 7,
        "median_wage_cents": 2200,
    }
    return {**base, **changes}


def form_data(**changes) -> dict:
    """The form's POST data for values(), the wage in dollars."""
    data = {k: str(v) for k, v in values().items() if k != "median_wage_cents"}
    data["median_wage_cents"] = "22.00"
    data["notes"] = "Cohort notes"
    data.update({k: str(v) for k, v in changes.items()})
    return data


def csv_row(quarter: str, **changes) -> list[str]:
    v = values(**changes)
    wage = changes.get("median_hourly_wage")
    if wage is None:
        wage = "" if v["median_wage_cents"] is None else f"{v['median_wage_cents'] / 100:.2f}"
    notes = changes.get("notes", "")
    return [quarter, *[str(v[c]) for c in COLUMNS[1:-2]], str(wage), notes]


def csv_text(*rows: list[str], header=COLUMNS) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()

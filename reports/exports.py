"""The progress report as rows: one long table for CSV (section, measure, value) and a sheet per
section for XLSX. The same numbers as the page and the PDF, from the same selector."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from outcomes import quarters
from outcomes.models import LEVEL_FIELDS, OUTCOME_FIELDS
from outcomes.rules import dollars
from portal.formatting import hours_decimal as hours
from reports.selectors import GranteeProgress

LONG_HEADER = ["grantee", "period_start", "period_end", "section", "measure", "value"]


def _summary(report: GranteeProgress) -> list[tuple[str, str, object]]:
    h = report.hours
    rows = [
        ("Hours", "Allocated hours", hours(h.allocated_minutes)),
        ("Hours", "Hours used in the period", hours(h.used_in_period_minutes)),
        ("Hours", "Hours used to date", hours(h.used_to_date_minutes)),
        ("Hours", "Hours scheduled", hours(h.held_minutes)),
        ("Hours", "Hours remaining", hours(h.remaining_minutes)),
        ("Hours", "Runs out at today's pace", h.run_out_on.isoformat() if h.run_out_on else ""),
        ("Hours", "Unused at the end at today's pace", hours(h.projected_unused_minutes)),
        ("Sessions", "Coaching sessions", report.sessions),
        ("Sessions", "Coaching hours", hours(report.session_minutes)),
        ("Office hours", "Office-hour visits", report.office_hours_attended),
        ("Office hours", "1:1 bookings held", report.one_on_ones),
        ("Office hours", "No-shows", report.office_hours_no_shows),
        ("Events", "Registrations at past events", report.events.registered),
        ("Events", "Attended", report.events.attended),
        ("Events", "Did not attend", report.events.no_shows),
        ("Events", "Upcoming registrations", report.events.upcoming),
    ]
    if report.assessment:
        a = report.assessment
        rows.append(("Needs assessment", "Latest assessment", a.assessment.get_kind_display()))
        rows.append(("Needs assessment", "Overall score", a.assessment.overall_score))
        if a.overall_growth is not None:
            rows.append(("Needs assessment", "Growth since the baseline", a.overall_growth))
    if report.plan:
        for status, count in report.goals_by_status.items():
            rows.append(("TA plan", f"Goals {status.lower()}", count))
        rows.append(("TA plan", "Actions done", report.actions_done))
        rows.append(("TA plan", "Actions in all", report.actions_total))
    rows.extend(_outcome_summary(report))
    return rows


OUTCOMES = "Learner outcomes"
# (label, value of a QuarterlyOutcome or a Tally's counts) of every outcome measure.
OUTCOME_MEASURES = [
    ("Learners enrolled", "enrolled"),
    *[(f"Enrolled at {label}", name) for name, label in LEVEL_FIELDS],
    ("Enrolled, level not recorded", "level_not_recorded"),
    *[(label, name) for name, label in OUTCOME_FIELDS],
]


def _outcome_summary(report: GranteeProgress) -> list[tuple[str, str, object]]:
    """The quarters the period covers, and their counts summed (a learner enrolled in two
    quarters counts in both)."""
    o = report.outcomes
    rows = [
        (OUTCOMES, "Quarters in the period", ", ".join(o.quarter_labels) or "none"),
        (OUTCOMES, "Quarters reported", len(o.outcomes)),
    ]
    if o.outcomes:
        t = o.total
        counts = {**t.counts, "level_not_recorded": t.level_not_recorded}
        rows += [
            (OUTCOMES, f"{label} (sum of quarters)", counts[n]) for label, n in OUTCOME_MEASURES
        ]
        rows.append(
            (
                OUTCOMES,
                "Median starting wage (employment-weighted average of the quarters' medians)",
                t.weighted_wage if t.weighted_wage is not None else "",
            )
        )
    return rows


def long_rows(report: GranteeProgress) -> Iterator[list]:
    lead = [report.grantee.name, report.period.starts_on, report.period.ends_on]
    for section, measure, value in _summary(report):
        yield [*lead, section, measure, value]
    for row in report.by_topic:
        yield [*lead, "Sessions by topic", row.label, hours(row.minutes)]
    for row in report.by_coach:
        yield [*lead, "Sessions by coach", row.label, hours(row.minutes)]
    if report.assessment:
        for row in report.assessment.rows:
            yield [*lead, "Needs assessment by domain", row.domain.title, row.score]
    for outcome in report.outcomes.outcomes:
        quarter = quarters.label(outcome.quarter_start)
        for label, name in OUTCOME_MEASURES:
            yield [
                *lead,
                "Learner outcomes by quarter",
                f"{quarter}: {label}",
                getattr(outcome, name),
            ]
        wage = dollars(outcome.median_wage_cents)
        yield [
            *lead,
            "Learner outcomes by quarter",
            f"{quarter}: Median starting hourly wage",
            "" if wage is None else wage,
        ]


def sheets(report: GranteeProgress) -> list[tuple[str, list[str], list]]:
    result = [
        (
            "Summary",
            ["Grantee", "Period", "Section", "Measure", "Value"],
            [
                [report.grantee.name, report.period.label, section, measure, value]
                for section, measure, value in _summary(report)
            ],
        ),
        (
            "Sessions by topic",
            ["Topic", "Sessions", "Hours"],
            [[r.label, r.sessions, hours(r.minutes)] for r in report.by_topic],
        ),
        (
            "Sessions by coach",
            ["Coach", "Sessions", "Hours"],
            [[r.label, r.sessions, hours(r.minutes)] for r in report.by_coach],
        ),
        (
            "Events",
            ["Event", "Starts", "Person", "Status", "Attended"],
            [
                [
                    r.event.title,
                    timezone.localtime(r.event.starts_at).date(),
                    r.attendee_name,
                    r.get_status_display(),
                    "yes" if r.checked_in_at else "",
                ]
                for r in report.event_rows
            ],
        ),
    ]
    result.append(_outcome_sheet(report))
    if report.assessment:
        result.append(
            (
                "Needs assessment",
                ["Domain", "Score", "Baseline", "Growth", "Self-assessment"],
                [
                    [r.domain.title, r.score, r.baseline, r.growth, r.self_rating]
                    for r in report.assessment.rows
                ],
            )
        )
    return result


def _outcome_sheet(report: GranteeProgress) -> tuple[str, list[str], list]:
    """One row per quarter the period covers (blank when not reported), and their sum."""
    header = ["Quarter", *[label for label, _ in OUTCOME_MEASURES], "Median starting hourly wage"]
    by_quarter = {o.quarter_start: o for o in report.outcomes.outcomes}
    rows = []
    for quarter in report.outcomes.quarters:
        outcome = by_quarter.get(quarter)
        if outcome is None:
            rows.append([quarters.label(quarter), "not reported"])
            continue
        wage = dollars(outcome.median_wage_cents)
        rows.append(
            [
                quarters.label(quarter),
                *[getattr(outcome, name) for _, name in OUTCOME_MEASURES],
                "" if wage is None else wage,
            ]
        )
    if len(report.outcomes.outcomes) > 1:
        t = report.outcomes.total
        counts = {**t.counts, "level_not_recorded": t.level_not_recorded}
        wage = t.weighted_wage
        rows.append(
            [
                "Sum of the quarters (wage: employment-weighted average of the medians)",
                *[counts[name] for _, name in OUTCOME_MEASURES],
                "" if wage is None else wage,
            ]
        )
    return (OUTCOMES, header, rows)


# --- The program report --------------------------------------------------------------------------


def _score(value):
    return value if value is not None else ""


PROGRAM_SECTIONS = {
    "Hours": [
        ("Allocated hours", lambda r: hours(r.allocated_minutes)),
        ("Hours used in the period", lambda r: hours(r.used_in_period_minutes)),
        ("Hours used to date", lambda r: hours(r.used_to_date_minutes)),
        ("Hours scheduled", lambda r: hours(r.held_minutes)),
        ("Hours remaining", lambda r: hours(r.remaining_minutes)),
    ],
    "Sessions": [
        ("Coaching sessions", lambda r: r.sessions),
        ("Coaching hours", lambda r: hours(r.session_minutes)),
        ("Office-hour visits", lambda r: r.office_hours_attended),
        ("1:1 bookings held", lambda r: r.one_on_ones),
    ],
    "Events": [
        ("Registrations at past events", lambda r: r.events_registered),
        ("Attended", lambda r: r.events_attended),
    ],
    "Assessments": [
        ("Latest assessment", lambda r: r.assessment_kind),
        ("Overall score", lambda r: _score(r.overall_score)),
        ("Growth since the baseline", lambda r: _score(r.growth)),
        ("Plan goals done", lambda r: r.goals_done),
        ("Plan goals", lambda r: r.goals_total),
    ],
    # Summed over the calendar quarters the period covers (outcomes.quarters.in_period).
    "Learner outcomes": [
        ("Outcome quarters reported", lambda r: r.outcome_quarters),
        ("Learners enrolled", lambda r: r.enrolled),
        ("Credentials earned", lambda r: r.credentials_earned),
        ("Employed in healthcare", lambda r: r.employed_healthcare),
    ],
}
KEY_COLUMNS = [("Grantee", lambda r: r.grantee.name), ("Region", lambda r: r.grantee.region.name)]
PROGRAM_COLUMNS = KEY_COLUMNS + [c for cols in PROGRAM_SECTIONS.values() for c in cols]


def program_header() -> list[str]:
    return [name for name, _ in PROGRAM_COLUMNS]


def program_row(row) -> list:
    return [get(row) for _, get in PROGRAM_COLUMNS]


def region_header() -> list[str]:
    return [
        "Region",
        "Grantees",
        "Allocated hours",
        "Hours used in the period",
        "Hours remaining",
        "Coaching sessions",
        "Registrations at past events",
        "Attended",
        "Mean overall score",
        "Learners enrolled",
        "Credentials earned",
        "Employed in healthcare",
    ]


def region_row(total: dict) -> list:
    return [
        total["label"],
        total["grantees"],
        hours(total["allocated_minutes"]),
        hours(total["used_in_period_minutes"]),
        hours(total["remaining_minutes"]),
        total["sessions"],
        total["events_registered"],
        total["events_attended"],
        _score(total["overall_score"]),
        total["enrolled"],
        total["credentials_earned"],
        total["employed_healthcare"],
    ]

"""Reads of learner outcomes: a grantee's quarters, the quarters inside a report period, and the
program's rollup by region. Counts add up across grantees and quarters; a median does not, so
wherever medians meet they are averaged weighted by the employed learners behind each one, and
labelled as such."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from grantees.models import Grantee
from outcomes import quarters
from outcomes.models import COUNT_FIELDS, LEVEL_FIELDS, OUTCOME_FIELDS, QuarterlyOutcome
from portal.charts import TrendChart, trend_chart

RATE_FIELDS = tuple(name for name, _ in OUTCOME_FIELDS)


@dataclass
class Tally:
    """Counts summed over grantee-quarters, with the rates and the employment-weighted average
    of the medians they carry."""

    label: str
    grantees: int = 0  # grantees counted in (reporting or not)
    reporting: int = 0  # grantee-quarters reported
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))
    wage_employed: int = 0  # employed learners of the reports that gave a median wage
    wage_weighted: int = 0  # Σ median cents × those employed learners

    def add(self, values) -> None:
        """Add one grantee's quarter (a QuarterlyOutcome, or a mapping of its fields)."""
        get = values.get if isinstance(values, Mapping) else lambda name: getattr(values, name)
        for name in COUNT_FIELDS:
            self.counts[name] += get(name) or 0
        wage = get("median_wage_cents")
        if wage is not None:
            self.wage_employed += get("employed_healthcare")
            self.wage_weighted += wage * get("employed_healthcare")
        self.reporting += 1

    @property
    def enrolled(self) -> int:
        return self.counts["enrolled"]

    @property
    def level_not_recorded(self) -> int:
        return self.enrolled - sum(self.counts[name] for name, _ in LEVEL_FIELDS)

    @property
    def not_reporting(self) -> int:
        return self.grantees - self.reporting

    @property
    def rates(self) -> dict[str, Decimal | None]:
        return {name: share(self.counts[name], self.enrolled) for name in RATE_FIELDS}

    @property
    def weighted_wage(self) -> Decimal | None:
        """Dollars: the medians averaged, each weighted by its employed learners (None when no
        report gave a median)."""
        if not self.wage_employed:
            return None
        return (Decimal(self.wage_weighted) / self.wage_employed / 100).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )


def share(part: int, whole: int) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def tally(rows: Iterable, label: str) -> Tally:
    total = Tally(label)
    for row in rows:
        total.add(row)
    return total


def combine(tallies: Iterable[Tally], label: str) -> Tally:
    """Tallies added together (regions into the program): the same as tallying every row."""
    total = Tally(label)
    for t in tallies:
        total.grantees += t.grantees
        total.reporting += t.reporting
        for name in COUNT_FIELDS:
            total.counts[name] += t.counts[name]
        total.wage_employed += t.wage_employed
        total.wage_weighted += t.wage_weighted
    return total


# --- One grantee --------------------------------------------------------------------------------


def grantee_outcomes(*, grantee: Grantee) -> list[QuarterlyOutcome]:
    """The grantee's reported quarters, newest first."""
    return list(
        QuarterlyOutcome.objects.filter(grantee=grantee)
        .select_related("submitted_by")
        .order_by("-quarter_start")
    )


def outcome_for(*, grantee: Grantee, quarter: datetime.date) -> QuarterlyOutcome | None:
    return QuarterlyOutcome.objects.filter(grantee=grantee, quarter_start=quarter).first()


@dataclass
class MeasureRow:
    """A row of the grantee's table: one measure across the quarters (newest first)."""

    label: str
    kind: str  # "key" (enrolled), "group" (a heading row), "part", "outcome" or "wage"
    values: list = field(default_factory=list)  # counts, or cents for the wage
    rates: list = field(default_factory=list)  # shares of enrolled, for outcomes


def measure_rows(outcomes: list[QuarterlyOutcome]) -> list[MeasureRow]:
    def values(name):
        return [getattr(o, name) for o in outcomes]

    return [
        MeasureRow("Learners enrolled", "key", values("enrolled")),
        MeasureRow("English level at entry", "group"),
        *[MeasureRow(label, "part", values(name)) for name, label in LEVEL_FIELDS],
        MeasureRow("Level not recorded", "part", values("level_not_recorded")),
        MeasureRow("Outcomes (share of the learners enrolled)", "group"),
        *[
            MeasureRow(label, "outcome", values(name), [o.rates[name] for o in outcomes])
            for name, label in OUTCOME_FIELDS
        ],
        MeasureRow("Median starting hourly wage", "wage", values("median_wage_cents")),
    ]


@dataclass
class GranteeOutcomes:
    outcomes: list[QuarterlyOutcome]  # newest first
    rows: list[MeasureRow]
    latest: QuarterlyOutcome | None
    unreported: list[datetime.date]  # quarters that may be reported and are not, newest first
    range_message: str
    charts: list[tuple[str, str, TrendChart]]  # (id, caption, chart)
    notes: list[tuple[str, str]]  # (quarter, notes) of the quarters with notes, newest first


def _span(reported: list[datetime.date]) -> list[datetime.date]:
    """Every quarter from the first reported to the last, oldest first (gaps included)."""
    if not reported:
        return []
    span, quarter = [], min(reported)
    while quarter <= max(reported):
        span.append(quarter)
        quarter = quarters.shift(quarter, 1)
    return span


def _series(by_quarter: dict, span: list[datetime.date], get) -> list:
    return [get(by_quarter[q]) if q in by_quarter else None for q in span]


def _rate(name: str):
    def get(row) -> Decimal | None:
        rate = share(
            getattr(row, name) if not isinstance(row, Tally) else row.counts[name], row.enrolled
        )
        return None if rate is None else (rate * 100).quantize(Decimal("1"), ROUND_HALF_UP)

    return get


def _percent(value) -> str:
    return f"{value:.0f} %"


def _money(value) -> str:
    return f"${value:,.2f}"


def trend_charts(by_quarter: dict, *, prefix: str) -> list[tuple[str, str, TrendChart]]:
    """The trend charts of outcome pages: learners, outcomes, rates and the wage by quarter.
    `by_quarter` maps a quarter to a QuarterlyOutcome or a Tally."""
    span = _span(list(by_quarter))
    if not span:
        return []
    labels = [quarters.short_label(q) for q in span]

    def count(name):
        return lambda row: row.counts[name] if isinstance(row, Tally) else getattr(row, name)

    def wage(row):
        if isinstance(row, Tally):
            return row.weighted_wage
        return None if row.median_wage_cents is None else Decimal(row.median_wage_cents) / 100

    is_program = any(isinstance(row, Tally) for row in by_quarter.values())
    wage_caption = (
        "Median starting hourly wage (employment-weighted average of grantee medians)"
        if is_program
        else "Median starting hourly wage"
    )
    return [
        (
            f"{prefix}-learners",
            "Learners enrolled, with skill gains, and completing a bridge or IET",
            trend_chart(
                [
                    ("Enrolled", _series(by_quarter, span, count("enrolled"))),
                    ("Measurable skill gains", _series(by_quarter, span, count("skill_gains"))),
                    (
                        "Completed a bridge or IET",
                        _series(by_quarter, span, count("completed_bridge_iet")),
                    ),
                ],
                x_labels=labels,
                value_label="Learners by quarter",
            ),
        ),
        (
            f"{prefix}-outcomes",
            "Credentials, clinical or work-based placements, and jobs in healthcare",
            trend_chart(
                [
                    (
                        "Earned a credential",
                        _series(by_quarter, span, count("credentials_earned")),
                    ),
                    ("Placed in clinical or WBL", _series(by_quarter, span, count("placed_wbl"))),
                    (
                        "Employed in healthcare",
                        _series(by_quarter, span, count("employed_healthcare")),
                    ),
                ],
                x_labels=labels,
                value_label="Learners by quarter",
            ),
        ),
        (
            f"{prefix}-rates",
            "Rates: share of the learners enrolled",
            trend_chart(
                [
                    ("Credential rate", _series(by_quarter, span, _rate("credentials_earned"))),
                    (
                        "Employment rate",
                        _series(by_quarter, span, _rate("employed_healthcare")),
                    ),
                ],
                x_labels=labels,
                value_label="Percent of learners enrolled by quarter",
                value_format=_percent,
            ),
        ),
        (
            f"{prefix}-wage",
            wage_caption,
            trend_chart(
                [("Median starting wage", _series(by_quarter, span, wage))],
                x_labels=labels,
                value_label="Dollars an hour by quarter",
                value_format=_money,
                y_label_format=lambda v: f"${v:,.0f}",
            ),
        ),
    ]


def grantee_page(*, grantee: Grantee, today: datetime.date) -> GranteeOutcomes:
    outcomes = grantee_outcomes(grantee=grantee)
    reported = {o.quarter_start for o in outcomes}
    return GranteeOutcomes(
        outcomes=outcomes,
        rows=measure_rows(outcomes),
        latest=outcomes[0] if outcomes else None,
        unreported=[q for q in quarters.allowed(grantee.program, today) if q not in reported],
        range_message=quarters.range_message(grantee.program, today),
        charts=trend_charts({o.quarter_start: o for o in outcomes}, prefix="outcomes"),
        notes=[(o.quarter_label, o.notes) for o in outcomes if o.notes],
    )


# --- Report periods (the progress reports) -------------------------------------------------------


@dataclass
class PeriodOutcomes:
    quarters: list[datetime.date]  # the calendar quarters the period covers, oldest first
    outcomes: list[QuarterlyOutcome]  # those reported, oldest first
    total: Tally

    @property
    def missing(self) -> list[datetime.date]:
        reported = {o.quarter_start for o in self.outcomes}
        return [q for q in self.quarters if q not in reported]

    @property
    def quarter_labels(self) -> list[str]:
        return [quarters.label(q) for q in self.quarters]


def period_outcomes(
    *, grantee: Grantee, starts_on: datetime.date, ends_on: datetime.date
) -> PeriodOutcomes:
    """The grantee's quarters that a report period covers (a quarter counts in the period that
    holds its middle), and their sum."""
    covered = quarters.in_period(starts_on, ends_on)
    outcomes = list(
        QuarterlyOutcome.objects.filter(grantee=grantee, quarter_start__in=covered).order_by(
            "quarter_start"
        )
    )
    total = tally(outcomes, "Sum of the quarters")
    total.grantees = 1
    return PeriodOutcomes(quarters=covered, outcomes=outcomes, total=total)


PERIOD_COLUMNS = ("enrolled", "credentials_earned", "employed_healthcare")


def period_totals(
    *, grantee_ids: list[int], starts_on: datetime.date, ends_on: datetime.date
) -> dict[int, dict[str, int]]:
    """For the program report: per grantee, the quarters reported in the period and the sums of
    the counts it shows (one grouped query; the same quarters as period_outcomes)."""
    covered = quarters.in_period(starts_on, ends_on)
    rows = (
        QuarterlyOutcome.objects.filter(grantee_id__in=grantee_ids, quarter_start__in=covered)
        .values("grantee_id")
        .annotate(quarters=Count("pk"), **{name: Sum(name) for name in PERIOD_COLUMNS})
        .order_by()
    )
    return {row.pop("grantee_id"): row for row in rows}


# --- The program -------------------------------------------------------------------------------


@dataclass
class GranteeQuarter:
    grantee: Grantee
    outcome: QuarterlyOutcome | None  # None: not reported yet


@dataclass
class RegionRollup:
    tally: Tally
    rows: list[GranteeQuarter]


@dataclass
class ProgramRollup:
    quarter: datetime.date
    regions: list[RegionRollup]
    total: Tally

    @property
    def not_reported(self) -> list[Grantee]:
        return [r.grantee for region in self.regions for r in region.rows if r.outcome is None]


def program_grantees(program):
    return (
        Grantee.objects.filter(program=program, is_active=True)
        .select_related("region")
        .order_by("region__position", "region__name", "name")
    )


def program_rollup(*, program, quarter: datetime.date) -> ProgramRollup:
    """One quarter across the program's active grantees: each grantee's report (or none yet),
    sums by region, and the program total as the sum of the regions."""
    grantees = list(program_grantees(program))
    reported = {
        o.grantee_id: o
        for o in QuarterlyOutcome.objects.filter(
            grantee__in=[g.pk for g in grantees], quarter_start=quarter
        )
    }
    regions: dict[int, RegionRollup] = {}
    for grantee in grantees:
        region = regions.get(grantee.region_id)
        if region is None:
            region = regions[grantee.region_id] = RegionRollup(Tally(grantee.region.name), [])
        outcome = reported.get(grantee.pk)
        region.rows.append(GranteeQuarter(grantee, outcome))
        region.tally.grantees += 1
        if outcome is not None:
            region.tally.add(outcome)
    listed = list(regions.values())
    return ProgramRollup(
        quarter=quarter, regions=listed, total=combine((r.tally for r in listed), "Program")
    )


def program_trend(*, program) -> dict[datetime.date, Tally]:
    """Program totals for every quarter any active grantee reported (one grouped query)."""
    employed_with_wage = Q(median_wage_cents__isnull=False)
    rows = (
        QuarterlyOutcome.objects.filter(grantee__program=program, grantee__is_active=True)
        .values("quarter_start")
        .annotate(
            reporting=Count("pk"),
            wage_employed=Sum("employed_healthcare", filter=employed_with_wage),
            wage_weighted=Sum(
                F("median_wage_cents") * F("employed_healthcare"), filter=employed_with_wage
            ),
            **{f"sum_{name}": Sum(name) for name in COUNT_FIELDS},
        )
        .order_by("quarter_start")
    )
    trend = {}
    for row in rows:
        t = Tally("Program", reporting=row["reporting"])
        t.counts = {name: row[f"sum_{name}"] or 0 for name in COUNT_FIELDS}
        t.wage_employed = row["wage_employed"] or 0
        t.wage_weighted = row["wage_weighted"] or 0
        trend[row["quarter_start"]] = t
    return trend


def program_export_rows(*, program) -> Iterable[QuarterlyOutcome]:
    """Every reported quarter of the program's active grantees, for the CSV download."""
    return (
        QuarterlyOutcome.objects.filter(grantee__program=program, grantee__is_active=True)
        .select_related("grantee__region")
        .order_by("grantee__region__position", "grantee__name", "-quarter_start")
        .iterator(chunk_size=500)
    )

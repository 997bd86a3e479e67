"""Server-drawn charts: the geometry is computed here and drawn by one SVG template
(`portal/partials/bar_chart.html`), so a page and its PDF show the same picture. Colours are SVG
attributes, not inline styles, which keeps the page within the Content-Security-Policy and lets
WeasyPrint draw it without the site's stylesheet. Every chart sits next to a table of the same
numbers for people who cannot see it."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from decimal import Decimal

WIDTH = 720
LABEL_RIGHT = 262  # labels end here (right-aligned)
PLOT_LEFT, PLOT_RIGHT = 272, 680
TOP = 28  # room for the tick labels
ROW = 44
LABEL_CHARS = 38


@dataclass(frozen=True)
class Bar:
    label_lines: list[str]
    label_y: float
    value: Decimal
    value_text: str
    y: float
    width: float
    compare: Decimal | None
    compare_width: float
    compare_y: float
    value_x: float
    value_inside: bool  # a bar near the axis' end carries its number inside, in white


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    bar_height: int
    value_label: str
    compare_label: str
    plot_left: int = PLOT_LEFT
    label_right: int = LABEL_RIGHT

    @property
    def plot_bottom(self) -> int:
        return self.height - 8


def bar_chart(
    rows: list[tuple[str, Decimal, Decimal | None]],
    *,
    scale: tuple[int, int],
    value_label: str,
    compare_label: str = "",
    tick_labels: dict[int, str] | None = None,
    tick_step: int = 1,
) -> BarChart:
    """Horizontal bars, one per (label, value, comparison value or None), on an axis from 0 to
    scale's top with a tick every `tick_step` from scale's bottom."""
    low, high = scale
    span = PLOT_RIGHT - PLOT_LEFT

    def x_of(value: Decimal | int) -> float:
        clamped = min(max(Decimal(value), Decimal(0)), Decimal(high))
        return float(clamped) / high * span

    bar_height = 14 if compare_label else 20
    bars = []
    for index, (label, value, compare) in enumerate(rows):
        top = TOP + index * ROW
        lines = textwrap.wrap(label, LABEL_CHARS)[:2] or [""]
        y = top + (ROW - (bar_height * 2 + 4 if compare_label else bar_height)) / 2
        width = round(x_of(value), 1)
        bars.append(
            Bar(
                label_lines=lines,
                label_y=top + ROW / 2 - (len(lines) - 1) * 7 + 4,
                value=value,
                value_text=f"{value:.2f}",
                y=y,
                width=width,
                compare=compare,
                compare_width=round(x_of(compare), 1) if compare is not None else 0,
                compare_y=y + bar_height + 4,
                value_x=PLOT_LEFT + width + 4 if width < span - 44 else PLOT_LEFT + width - 4,
                value_inside=width >= span - 44,
            )
        )
    names = tick_labels or {}
    ticks = [
        Tick(PLOT_LEFT + x_of(n), f"{n} {names[n]}" if n in names else str(n))
        for n in range(low, high + 1, tick_step)
    ]
    return BarChart(
        bars=bars,
        ticks=ticks,
        width=WIDTH,
        height=TOP + len(rows) * ROW + 12,
        bar_height=bar_height,
        value_label=value_label,
        compare_label=compare_label,
    )


# --- Trends: a few series over ordered periods (quarters) -------------------------------------

# A trend is drawn small enough to sit two to a row with its text at about page size.
TREND_WIDTH = 520
TREND_LEFT = 52
TREND_END_LABELS = 60  # room right of the plot for the numbers at the lines' ends
TREND_TOP, TREND_BOTTOM = 16, 216
TREND_HEIGHT = 246
# Colours with at least 3:1 contrast on white, each with its own dash and marker (filled or
# hollow dots) so that the lines are told apart without colour too.
TREND_STYLES = (
    ("#005ea2", "", False),
    ("#c05600", "7 4", True),
    ("#162e51", "2 3", False),
    ("#008817", "10 3 2 3", True),
)
NICE_TOPS = (1, 2, 5, 10, 20, 25, 50, 100, 150, 200, 250, 500, 1000, 2500, 5000, 10000)


def nice_top(value: float) -> int:
    """A round axis end at or above the value: 5, 10, 20, 25, 50, 100, …"""
    for top in NICE_TOPS:
        if value <= top:
            return top
    return int(value) + 1


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    value: Decimal
    text: str


@dataclass(frozen=True)
class TrendSeries:
    label: str
    colour: str
    dash: str
    hollow: bool  # hollow dots on the line, else filled
    segments: list[str]  # polyline points; a missing value breaks the line
    points: list[TrendPoint]
    last: TrendPoint | None  # its number is written beside it, at last_label_y
    last_label_x: float = 0
    last_label_y: float = 0


@dataclass(frozen=True)
class TrendChart:
    series: list[TrendSeries]
    x_ticks: list[Tick]
    y_ticks: list[Tick]  # Tick.x holds the y position here
    value_label: str
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT
    plot_left: int = TREND_LEFT
    plot_right: int = TREND_WIDTH - TREND_END_LABELS
    plot_top: int = TREND_TOP
    plot_bottom: int = TREND_BOTTOM


def trend_chart(
    series: list[tuple[str, list[Decimal | int | None]]],
    *,
    x_labels: list[str],
    value_label: str,
    value_format=lambda value: f"{value:,.0f}",
    y_label_format=None,
) -> TrendChart:
    """Lines over `x_labels` (oldest first), one per (label, values); a None value (nothing
    reported) leaves a gap. The y axis runs from 0 to a round number above the largest value."""
    values = [Decimal(v) for _, vs in series for v in vs if v is not None]
    top = nice_top(float(max(values, default=0)) or 1)
    step = Decimal(top) / 5 if top >= 5 else Decimal(1)
    count = len(x_labels)
    inner = 28  # keep the first and last points off the axes
    right = TREND_WIDTH - TREND_END_LABELS

    def x_of(index: int) -> float:
        if count == 1:
            return (TREND_LEFT + right) / 2
        return TREND_LEFT + inner + index * (right - TREND_LEFT - 2 * inner) / (count - 1)

    def y_of(value: Decimal) -> float:
        share = min(max(value, Decimal(0)), Decimal(top)) / Decimal(top)
        return round(TREND_BOTTOM - float(share) * (TREND_BOTTOM - TREND_TOP), 1)

    label_y = y_label_format or value_format
    y_ticks = []
    tick = Decimal(0)
    while tick <= top:
        y_ticks.append(Tick(y_of(tick), label_y(tick)))
        tick += step
    drawn = []
    for index, (name, vs) in enumerate(series):
        colour, dash, hollow = TREND_STYLES[index % len(TREND_STYLES)]
        points, segments, current = [], [], []
        for i, value in enumerate(vs):
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            point = TrendPoint(round(x_of(i), 1), y_of(Decimal(value)), value, value_format(value))
            points.append(point)
            current.append(f"{point.x},{point.y}")
        if current:
            segments.append(" ".join(current))
        drawn.append(
            TrendSeries(
                name, colour, dash, hollow, segments, points, points[-1] if points else None
            )
        )
    drawn = _spread_last_labels(drawn)
    # At most six labels under the axis (always the latest), so that they never overlap.
    every = -(-count // 6)
    x_ticks = [
        Tick(round(x_of(i), 1), text)
        for i, text in enumerate(x_labels)
        if (count - 1 - i) % every == 0
    ]
    return TrendChart(series=drawn, x_ticks=x_ticks, y_ticks=y_ticks, value_label=value_label)


def _spread_last_labels(series: list[TrendSeries], gap: float = 14) -> list[TrendSeries]:
    """Move the numbers beside the lines' ends apart so that close values do not overprint."""
    ends = sorted((s.last.y, index) for index, s in enumerate(series) if s.last is not None)
    placed: dict[int, float] = {}
    previous = None
    for y, index in ends:
        y = y + 4 if previous is None else max(y + 4, previous + gap)
        placed[index] = y
        previous = y
    return [
        replace(s, last_label_x=s.last.x + 10, last_label_y=placed[i]) if s.last else s
        for i, s in enumerate(series)
    ]

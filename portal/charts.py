"""Server-drawn charts: the geometry is computed here and drawn by one SVG template
(`portal/partials/bar_chart.html`), so a page and its PDF show the same picture. Colours are SVG
attributes, not inline styles, which keeps the page within the Content-Security-Policy and lets
WeasyPrint draw it without the site's stylesheet. Every chart sits next to a table of the same
numbers for people who cannot see it."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
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

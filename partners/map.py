"""Geometry of the partnership map: the grantee at the left, one row per partner type, one column
per relationship stage, each partner a labelled chip in its cell.

Pure Python (no database, no Django): the view passes plain tuples and the template
`partners/partials/map_svg.html` draws what this returns. Colours are returned as values for SVG
attributes, never inline styles, so the page stays within the Content-Security-Policy. Stage is
shown twice (the column and the chip's colour), so the colour is never the only cue. A name runs
to two lines in its chip (a longer one ends in "…", and the chip's tooltip has it whole). A
crowded cell shows its first chips and a "+ N more" chip; the table under the map lists every
partner.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace

MARGIN = 8
HUB_WIDTH = 124  # the grantee's box
HUB_GAP = 30  # room for the connectors between the grantee and the rows
LABEL_WIDTH = 124  # the row labels (partner types)
COLUMN_WIDTH = 142
HEADER_HEIGHT = 60
CHIP_LINE = 13  # a chip's text runs to two lines of 11.5px text, 13px apart
CHIP_PAD_Y = 5
CHIP_GAP = 6
CELL_PADDING = 8
MIN_ROW_HEIGHT = 52
MAX_CHIPS_PER_CELL = 8  # a fuller cell shows MAX_CHIPS_PER_CELL - 1 chips and "+ N more"
CHIP_CHARS = 18  # characters that fit a chip's line (a longer name's second line ends in "…")
CHIP_LINES = 2
HUB_CHARS = 16
LABEL_CHARS = 16
HEADER_CHARS = 18

# Per stage: (chip fill, accent stripe and header rule). Light fills carry dark text (contrast
# above 12:1); the accents are USWDS system colours.
STAGE_COLOURS: dict[str, tuple[str, str]] = {
    "identified": ("#f0f0f0", "#71767a"),
    "contacted": ("#d9e8f6", "#2378c3"),
    "engaged": ("#e7f6f8", "#00829a"),
    "committed": ("#ecf3ec", "#4d8055"),
    "active_wbl": ("#c7efd4", "#008817"),
}
DEFAULT_COLOURS = ("#f0f0f0", "#565c65")
TEXT = "#1b1b1b"
MUTED = "#565c65"


@dataclass(frozen=True)
class Column:
    stage: str
    label_lines: list[str]
    count: int
    x: float  # left edge of the column
    width: float
    points: str  # the header chevron's polygon
    text_x: float
    label_y: float  # baseline of the first label line
    count_y: float  # baseline of the count under it
    fill: str
    accent: str


@dataclass(frozen=True)
class Row:
    kind: str
    label_lines: list[str]
    count_text: str
    y: float  # top of the row
    height: float
    label_x: float
    label_y: float  # baseline of the first label line
    shaded: bool  # every other row has a tinted band
    connector: str  # path from the grantee's box to the row label


@dataclass(frozen=True)
class Chip:
    x: float
    y: float
    width: float
    height: float
    lines: list[str]
    title: str  # the full name (a tooltip; the table carries it for everyone)
    fill: str
    accent: str
    text_x: float
    text_y: float  # baseline of the first line
    overflow: bool = False  # the "+ N more" chip

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def chip_height(lines: int) -> float:
    return 2 * CHIP_PAD_Y + 12 + (lines - 1) * CHIP_LINE


@dataclass(frozen=True)
class Hub:
    x: float
    y: float
    width: float
    height: float
    lines: list[str]
    text_x: float
    first_line_y: float


@dataclass(frozen=True)
class PartnershipMap:
    width: float
    height: float
    hub: Hub
    columns: list[Column]
    rows: list[Row]
    chips: list[Chip]
    grid_left: float
    grid_right: float
    grid_top: float
    grid_bottom: float
    partner_count: int
    chip_line: int = CHIP_LINE  # between a chip's two lines of text

    @property
    def grid_width(self) -> float:
        return self.grid_right - self.grid_left

    @property
    def separators(self) -> list[float]:
        """x of the vertical lines between stage columns."""
        return [c.x for c in self.columns[1:]]


def natural_key(name: str) -> list:
    """Sort "site 2" before "site 10"."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", name)]


def shorten(text: str, limit: int) -> str:
    """The text, or its first limit-1 characters and an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [shorten(" ".join(lines[max_lines - 1 :]), width)]
    return lines


def partners_word(count: int) -> str:
    if count == 0:
        return "none yet"
    return "1 partner" if count == 1 else f"{count} partners"


def partnership_map(
    grantee_name: str,
    partners: Sequence[tuple[str, str, str]],
    *,
    kinds: Sequence[tuple[str, str]],
    stages: Sequence[tuple[str, str]],
) -> PartnershipMap:
    """Lay out `partners` — (name, kind, stage) — in a grid of `kinds` (rows, in order) by
    `stages` (columns, in order), with `grantee_name` in a box at the left joined to every row.
    Partners of a kind or stage not listed are left out (the caller passes the full choices)."""
    stage_index = {value: i for i, (value, _label) in enumerate(stages)}
    kind_index = {value: i for i, (value, _label) in enumerate(kinds)}
    cells: dict[tuple[int, int], list[str]] = {}
    for name, kind, stage in partners:
        if kind in kind_index and stage in stage_index:
            cells.setdefault((kind_index[kind], stage_index[stage]), []).append(name)
    for names in cells.values():
        names.sort(key=natural_key)

    grid_left = MARGIN + HUB_WIDTH + HUB_GAP
    columns_left = grid_left + LABEL_WIDTH
    width = columns_left + COLUMN_WIDTH * len(stages) + MARGIN
    grid_top = MARGIN + HEADER_HEIGHT

    columns = []
    for i, (value, label) in enumerate(stages):
        x = columns_left + i * COLUMN_WIDTH
        count = sum(len(names) for (_k, s), names in cells.items() if s == i)
        fill, accent = STAGE_COLOURS.get(value, DEFAULT_COLOURS)
        label_lines = wrap(label, HEADER_CHARS, 2)
        label_y = MARGIN + (22 if len(label_lines) == 1 else 16)
        columns.append(
            Column(
                stage=value,
                label_lines=label_lines,
                count=count,
                x=x,
                width=COLUMN_WIDTH,
                points=_chevron(x + 2, MARGIN + 4, COLUMN_WIDTH - 4, HEADER_HEIGHT - 12, i == 0),
                text_x=x + COLUMN_WIDTH / 2 + (0 if i == 0 else 4),
                label_y=label_y,
                count_y=label_y + 14 * len(label_lines) + 1,
                fill=fill,
                accent=accent,
            )
        )

    rows: list[Row] = []
    chips: list[Chip] = []
    chip_width = COLUMN_WIDTH - 2 * CELL_PADDING
    y = grid_top
    for r, (kind, label) in enumerate(kinds):
        row_cells = [cells.get((r, s), []) for s in range(len(stages))]
        cell_bottom = y + CELL_PADDING
        for s, names in enumerate(row_cells):
            fill, accent = columns[s].fill, columns[s].accent
            x = columns[s].x + CELL_PADDING
            top = y + CELL_PADDING
            visible = names
            if len(names) > MAX_CHIPS_PER_CELL:
                visible = names[: MAX_CHIPS_PER_CELL - 1]
            for name in visible:
                chip = _chip(x, top, chip_width, wrap(name, CHIP_CHARS, CHIP_LINES), name)
                chips.append(replace(chip, fill=fill, accent=accent))
                top += chip.height + CHIP_GAP
            if len(visible) < len(names):
                hidden = len(names) - len(visible)
                chip = _chip(
                    x, top, chip_width, [f"+ {hidden} more"], f"{hidden} more in the table below"
                )
                chips.append(
                    replace(
                        chip,
                        fill="#ffffff",
                        accent=accent,
                        overflow=True,
                        text_x=x + chip_width / 2,
                    )
                )
                top += chip.height + CHIP_GAP
            cell_bottom = max(cell_bottom, top - CHIP_GAP)
        height = max(MIN_ROW_HEIGHT, cell_bottom + CELL_PADDING - y)
        lines = wrap(label, LABEL_CHARS, 2)
        count = sum(len(names) for names in row_cells)
        text_block = (len(lines) + 1) * 15
        rows.append(
            Row(
                kind=kind,
                label_lines=lines,
                count_text=partners_word(count),
                y=y,
                height=height,
                label_x=grid_left + 10,
                label_y=y + (height - text_block) / 2 + 12,
                shaded=r % 2 == 0,
                connector="",  # filled in once the hub's place is known
            )
        )
        y += height
    grid_bottom = y

    hub_lines = wrap(grantee_name, HUB_CHARS, 4)
    hub_height = 28 + 17 * len(hub_lines)
    hub_y = max(grid_top, grid_top + (grid_bottom - grid_top - hub_height) / 2)
    hub = Hub(
        x=MARGIN,
        y=hub_y,
        width=HUB_WIDTH,
        height=hub_height,
        lines=hub_lines,
        text_x=MARGIN + HUB_WIDTH / 2,
        first_line_y=hub_y + 14 + 12,
    )
    hub_right, hub_mid = MARGIN + HUB_WIDTH, hub_y + hub_height / 2
    bend = hub_right + HUB_GAP / 2
    rows = [
        replace(
            row,
            connector=(
                f"M{hub_right:.1f} {hub_mid:.1f} C{bend:.1f} {hub_mid:.1f} "
                f"{bend:.1f} {row.y + row.height / 2:.1f} "
                f"{grid_left:.1f} {row.y + row.height / 2:.1f}"
            ),
        )
        for row in rows
    ]
    height = max(grid_bottom, hub_y + hub_height) + MARGIN
    return PartnershipMap(
        width=width,
        height=height,
        hub=hub,
        columns=columns,
        rows=rows,
        chips=chips,
        grid_left=grid_left,
        grid_right=columns_left + COLUMN_WIDTH * len(stages),
        grid_top=grid_top,
        grid_bottom=grid_bottom,
        partner_count=sum(len(names) for names in cells.values()),
    )


def _chip(x: float, y: float, width: float, lines: list[str], title: str) -> Chip:
    return Chip(
        x=x,
        y=y,
        width=width,
        height=chip_height(len(lines)),
        lines=lines,
        title=title,
        fill=DEFAULT_COLOURS[0],
        accent=DEFAULT_COLOURS[1],
        text_x=x + 10,
        text_y=y + CHIP_PAD_Y + 10,
    )


def _chevron(x: float, y: float, width: float, height: float, first: bool) -> str:
    """An arrow-shaped header: the stages read as steps from left to right."""
    tip = 10
    notch = 0 if first else tip
    points = [
        (x, y),
        (x + width - tip, y),
        (x + width, y + height / 2),
        (x + width - tip, y + height),
        (x, y + height),
        (x + notch, y + height / 2),
    ]
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in points)

"""The partnership map's geometry (partners/map.py, pure Python) and the page that draws it."""

from __future__ import annotations

import itertools
import re

import pytest

from partners import map as partner_map
from partners.map import MAX_CHIPS_PER_CELL, partnership_map
from partners.models import Partner

KINDS = Partner.Kind.choices
STAGES = Partner.Stage.choices


def draw(partners, name="Harbor Bay Adult Education Consortium"):
    return partnership_map(name, partners, kinds=KINDS, stages=STAGES)


def overlaps(a, b) -> bool:
    return not (
        a.x + a.width <= b.x
        or b.x + b.width <= a.x
        or a.y + a.height <= b.y
        or b.y + b.height <= a.y
    )


def many_partners(count: int) -> list[tuple[str, str, str]]:
    """`count` partners spread over every type and stage, employers the most numerous."""
    kinds = [k for k, _ in KINDS] + ["employer"] * 4
    stages = [s for s, _ in STAGES]
    return [
        (f"Partner number {i} with a rather long organization name", kind, stage)
        for i, (kind, stage) in zip(
            range(count), itertools.cycle(itertools.product(kinds, stages)), strict=False
        )
    ]


def test_empty_map_still_shows_every_type_and_stage():
    drawing = draw([])
    assert [r.kind for r in drawing.rows] == [k for k, _ in KINDS]
    assert [c.stage for c in drawing.columns] == [s for s, _ in STAGES]
    assert drawing.chips == [] and drawing.partner_count == 0
    assert {r.count_text for r in drawing.rows} == {"none yet"}
    assert all(r.height == partner_map.MIN_ROW_HEIGHT for r in drawing.rows)


def test_each_partner_sits_in_its_type_s_row_and_stage_s_column():
    partners = [
        ("Eastshore Medical Group", "employer", "committed"),
        ("Harbor Adult School", "adult_school", "active_wbl"),
        ("Bay Nurses Union", "union", "identified"),
    ]
    drawing = draw(partners)
    rows = {r.kind: r for r in drawing.rows}
    columns = {c.stage: c for c in drawing.columns}
    for name, kind, stage in partners:
        [chip] = [c for c in drawing.chips if c.title == name]
        row, column = rows[kind], columns[stage]
        assert row.y <= chip.y and chip.y + chip.height <= row.y + row.height
        assert column.x <= chip.x and chip.x + chip.width <= column.x + column.width
        assert (chip.fill, chip.accent) == partner_map.STAGE_COLOURS[stage]
    assert rows["employer"].count_text == "1 partner"
    assert columns["committed"].count == 1 and columns["engaged"].count == 0


def test_rows_stack_without_gaps_and_columns_run_left_to_right():
    drawing = draw(many_partners(40))
    y = drawing.grid_top
    for row in drawing.rows:
        assert row.y == y
        y += row.height
    assert y == drawing.grid_bottom <= drawing.height
    xs = [c.x for c in drawing.columns]
    assert xs == sorted(xs) and drawing.columns[-1].x + drawing.columns[-1].width <= drawing.width
    assert drawing.separators == xs[1:]
    assert [r.shaded for r in drawing.rows] == [True, False] * 3


@pytest.mark.parametrize("count", [0, 1, 12, 35, 120])
def test_readable_at_any_size(count):
    """30+ partners (and far more): nothing overlaps, everything is inside the picture, the
    text keeps its size, and every partner is drawn or counted in a "+ N more" chip."""
    drawing = draw(many_partners(count))
    chips = drawing.chips
    for a, b in itertools.combinations(chips, 2):
        assert not overlaps(a, b), (a.title, b.title)
    for chip in chips:
        assert chip.x >= 0 and chip.x + chip.width <= drawing.width
        assert drawing.grid_top <= chip.y and chip.y + chip.height <= drawing.grid_bottom
        assert 1 <= len(chip.lines) <= partner_map.CHIP_LINES
        assert all(len(line) <= partner_map.CHIP_CHARS for line in chip.lines)
        assert chip.height == partner_map.chip_height(len(chip.lines))
        assert chip.y + 3 < chip.text_y < chip.y + chip.height
    drawn = sum(1 for c in chips if not c.overflow)
    hidden = sum(int(re.search(r"\d+", c.text).group()) for c in chips if c.overflow)
    assert drawn + hidden == count == drawing.partner_count
    assert drawing.hub.x + drawing.hub.width < drawing.grid_left
    assert drawing.grid_top <= drawing.hub.y
    assert drawing.hub.y + drawing.hub.height <= drawing.height


def test_a_crowded_cell_shows_its_first_partners_and_how_many_more():
    partners = [(f"Clinic {i:02d}", "employer", "identified") for i in range(20)]
    drawing = draw(partners)
    chips = drawing.chips
    assert len(chips) == MAX_CHIPS_PER_CELL
    assert [c.text for c in chips[:-1]] == [
        f"Clinic {i:02d}" for i in range(MAX_CHIPS_PER_CELL - 1)
    ]
    more = chips[-1]
    assert more.overflow and more.text == f"+ {20 - MAX_CHIPS_PER_CELL + 1} more"
    assert more.text_x == more.x + more.width / 2  # centred
    # The row grows to the cap and no further: one-line chips, gaps and padding.
    row = next(r for r in drawing.rows if r.kind == "employer")
    one_line = partner_map.chip_height(1)
    assert (
        row.height
        == 2 * partner_map.CELL_PADDING
        + MAX_CHIPS_PER_CELL * (one_line + partner_map.CHIP_GAP)
        - partner_map.CHIP_GAP
    )


def test_long_names_run_to_two_lines_and_are_kept_whole_in_the_title():
    partners = [
        ("Bayview Community Health Center", "employer", "engaged"),
        ("Eastshore Regional Medical Center Foundation Clinics", "employer", "engaged"),
        ("Harbor College", "college", "engaged"),
    ]
    chips = {c.title: c for c in draw(partners).chips}
    assert chips["Bayview Community Health Center"].lines == ["Bayview Community", "Health Center"]
    long = chips["Eastshore Regional Medical Center Foundation Clinics"]
    assert long.lines == ["Eastshore Regional", "Medical Center Fo…"]
    assert chips["Harbor College"].lines == ["Harbor College"]
    assert long.height > chips["Harbor College"].height
    # Chips of one cell stack below each other with a gap, whatever their height.
    first, second = sorted((chips["Bayview Community Health Center"], long), key=lambda c: c.y)
    assert second.y == first.y + first.height + partner_map.CHIP_GAP
    assert partner_map.shorten("Short name", 20) == "Short name"
    assert partner_map.shorten("  spaced   out  ", 20) == "spaced out"
    assert partner_map.shorten("A very long organization name", 12) == "A very long…"


def test_the_grantee_sits_at_the_left_joined_to_every_row():
    drawing = draw(many_partners(10), name="A consortium with a name long enough to wrap")
    hub = drawing.hub
    assert hub.x == partner_map.MARGIN and 2 <= len(hub.lines) <= 4
    assert all(len(line) <= partner_map.HUB_CHARS for line in hub.lines)
    right, middle = hub.x + hub.width, hub.y + hub.height / 2
    for row in drawing.rows:
        start, *_rest = row.connector.split(" C")
        assert start == f"M{right:.1f} {middle:.1f}"
        assert row.connector.endswith(f"{drawing.grid_left:.1f} {row.y + row.height / 2:.1f}")


def test_stage_headers_are_arrows_reading_left_to_right():
    drawing = draw([])
    first, second = drawing.columns[0], drawing.columns[1]
    points = [tuple(map(float, p.split(","))) for p in second.points.split()]
    assert len(points) == 6
    # The tip points right; all but the first header have a notch on the left.
    assert max(p[0] for p in points) == points[2][0]
    assert points[5][0] > points[0][0]
    first_points = [tuple(map(float, p.split(","))) for p in first.points.split()]
    assert first_points[5][0] == first_points[0][0]
    assert [c.label_lines for c in drawing.columns][-1] == ["Active work-based", "learning"]


def test_unknown_types_or_stages_are_left_out():
    drawing = draw([("Ghost", "spaceport", "engaged"), ("Shade", "employer", "dormant")])
    assert drawing.chips == [] and drawing.partner_count == 0


# --- The page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_map_page_draws_every_partner_and_the_same_in_a_table(world, client_for):
    from partners import services

    lead = world.users["lead"]
    for i, (kind, _label) in enumerate(KINDS * 6):
        services.partner_create(
            actor=lead,
            grantee=world.grantee,
            data={"name": f"Partner {i:02d}", "kind": kind, "stage": STAGES[i % 5][0]},
        )
    response = client_for("state").get(f"/g/{world.grantee.slug}/partners/map/")
    body = response.content.decode()
    assert response.status_code == 200
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="map-title map-desc"' in svg
    assert '<title id="map-title">' in svg and '<desc id="map-desc">37 partners' in svg
    assert "style=" not in svg and "<script" not in svg.lower()
    table = body[body.index('class="usa-table') :]
    for i in range(36):
        assert f">Partner {i:02d}</a>" in table
    assert svg.count("<title>") == 37  # a chip per partner (no cell over the cap here)


def test_names_in_a_cell_sort_as_people_count():
    partners = [(f"Urgent Care, site {i}", "employer", "identified") for i in (10, 2, 1)]
    assert [c.text for c in draw(partners).chips] == [
        "Urgent Care, site 1",
        "Urgent Care, site 2",
        "Urgent Care, site 10",
    ]

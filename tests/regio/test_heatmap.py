"""The heat map's SVG (scan.regio.heatmap): colour steps, numbers in the reader's format, escaping."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import force_locale

from scan.regio import heatmap
from scan.regio.disclosure.suppression import Suppressed
from scan.regio.overview import CountRow, LeefgebiedTable, MunicipalityBlock, SectionLabel


def _table() -> LeefgebiedTable:
    columns = (SectionLabel("GC", "Generiek", "generiek", 0),
               SectionLabel("LG01", "Geld & <schulden>", "x", 1))
    rows = [
        CountRow("municipality", 1, "Kleiweerd", "", 40, (1200, 0), 1200),
        CountRow("municipality", 2, 'Oost "<script>"', "", 12, (Suppressed(5), 300), Suppressed(5)),
    ]
    region = CountRow("region", None, "", "", 52, (Suppressed(5), Suppressed(5)), 1500)
    return LeefgebiedTable("goal", 5, columns, tuple(MunicipalityBlock(r, ()) for r in rows), region)


def test_steps_follow_the_share_of_the_highest_value() -> None:
    assert [heatmap.step(v, 1200) for v in (0, 1, 300, 301, 600, 900, 1200)] == [0, 1, 1, 2, 2, 3, 4]
    assert heatmap.step(Suppressed(5), 1200) == 0 and heatmap.step(3, 0) == 0


def test_every_cell_has_its_number_colour_and_escaped_labels(app: Any) -> None:
    with app.test_request_context("/"), force_locale("nl"):
        svg = str(heatmap.svg("heatmap-goal", _table()))
    values = re.findall(r'class="app-heatmap__value"[^>]*data-value="([^"]*)">([^<]*)<', svg)
    assert values == [("1200", "1.200"), ("0", "0"), ("&lt;5", "&lt;5"), ("300", "300")]
    assert 'fill="#08519c"' in svg and 'fill="#ffffff"' in svg  # the highest and zero
    assert 'fill="url(#heatmap-goal-hatch)"' in svg  # the hidden cell is hatched
    assert "<script>" not in svg and "Oost &#34;&lt;script&gt;&#34;" in svg
    assert "Geld &amp; &lt;schulden&gt;" in svg
    assert 'aria-labelledby="heatmap-goal-caption"' in svg and 'role="img"' in svg


def test_table_cells_carry_counts_totals_and_the_people(app: Any) -> None:
    table = _table()
    with app.test_request_context("/"), force_locale("en"):
        first = str(heatmap.cells(table.blocks[0].row, table.columns, "municipality"))
        second = str(heatmap.cells(table.blocks[1].row, table.columns, "municipality"))
    td = r'<td class="([^"]*)" data-kind="municipality"(?: data-section="([^"]*)")?>([^<]*)</td>'
    cells = re.findall(td, first)
    shown = [(section, text) for _c, section, text in cells]
    assert shown == [("GC", "1,200"), ("LG01", "0"), ("total", "1,200"), ("", "40")]
    assert "app-people" in cells[-1][0] and "app-count--total" in cells[2][0]
    hidden = re.findall(r'class="([^"]*app-count--hidden[^"]*)"[^>]*>([^<]*)<', second)
    assert [text for _c, text in hidden] == ["&lt;5", "&lt;5"]  # the GC cell and the total


def test_each_band_has_one_class_and_one_colour_and_hidden_cells_none(app: Any) -> None:
    with app.test_request_context("/"):
        svg = str(heatmap.svg("heatmap-goal", _table()))
    rects = re.findall(r'<rect class="app-band app-band--(\w+)"[^>]* fill="([^"]+)"', svg)
    assert len(rects) == 4
    by_band: dict[str, set[str]] = {}
    for band, fill in rects:
        by_band.setdefault(band, set()).add(fill)
    assert by_band == {"4": {"#08519c"}, "0": {"#ffffff"}, "hidden": {"url(#heatmap-goal-hatch)"},
                       "1": {"#deebf7"}}
    # Light to dark of one hue: the fills grow darker with the band, no red anywhere.
    lightness = [sum(int(f[i:i + 2], 16) for i in (1, 3, 5)) for f in heatmap.FILLS]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(lightness)
    assert all(int(f[1:3], 16) <= int(f[5:7], 16) for f in heatmap.FILLS)  # never more red than blue


def test_a_page_scale_colours_both_maps_alike(app: Any) -> None:
    """The same number gets the same band whichever map of the page it is in: the page's scale."""
    with app.test_request_context("/"):
        own = str(heatmap.svg("heatmap-goal", _table()))
        page = str(heatmap.svg("heatmap-goal", _table(), highest=2400))
    band_of_1200 = re.compile(r'app-band--(\w+)"[^<]*<text class="app-heatmap__value"[^>]*data-value="1200"')
    assert band_of_1200.search(own).group(1) == "4"  # type: ignore[union-attr]
    assert band_of_1200.search(page).group(1) == "2"  # type: ignore[union-attr]

"""The heat map municipality × leefgebied as SVG markup, drawn on the server.

Drawn in Python rather than in a Jinja macro: a region of 50 municipalities has some 1,500 cells per map,
and a macro call with a dozen interpolations per cell made the page's time grow with the region (most of
the time of a stored overview went into that loop). The output is the same markup the macro wrote; every
text is escaped here. Colour never carries meaning alone: every cell has its number written in it.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from scan.i18n import whole_number_formatter
from scan.regio.disclosure.suppression import Cell
from scan.regio.overview import CountRow, LeefgebiedTable, SectionLabel

# Four blue steps plus white for 0; text colours with a contrast of at least 4.5:1 on each (see the macro).
FILLS = ("#ffffff", "#deebf7", "#9ecae1", "#4292c6", "#08519c")
TEXT = ("#001a40", "#001a40", "#001a40", "#001a40", "#ffffff")
HIDDEN_FILL = "#eeeeee"
LABEL_W, CELL_W, CELL_H, TOP = 230, 74, 40, 36


def step(value: Cell, highest: int) -> int:
    """0 for zero (or hidden), else 1..4 by the value's share of the highest visible municipality value."""
    if not isinstance(value, int) or value <= 0 or highest <= 0:
        return 0
    return min(max((value * 4 + highest - 1) // highest, 1), 4)


def _num(x: float) -> str:
    return f"{x:g}"


def svg(id_: str, table: LeefgebiedTable, highest: int | None = None) -> Markup:
    """The <svg> element of one map, labelled by the figure's caption (`{id_}-caption`).

    `highest` is the page's scale (both maps of a page share it, so one colour is one band of numbers on
    the whole page; default: this map's own). The map is an image (role="img"): nothing in it is a link,
    the names link to their teams in the table.
    Every cell's rectangle has the class of its band (`app-band--0`..`4`, `app-band--hidden`), the same
    class as the legend's swatch of that band."""
    n = len(table.columns)
    width = LABEL_W + n * CELL_W + 4
    height = TOP + len(table.blocks) * CELL_H + 4
    highest = table.highest if highest is None else highest
    number = whole_number_formatter()
    e = escape
    out: list[str] = [
        f'<svg class="app-heatmap__svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{e(id_)}-caption" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="sans-serif" font-size="15">',
        f'<defs><pattern id="{e(id_)}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{HIDDEN_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#b8bec8" stroke-width="3"/></pattern></defs>',
        '<g class="app-heatmap__columns">',
    ]
    for j, column in enumerate(table.columns):
        out.append(
            f'<g data-section="{e(column.code)}"><title>{e(column.code)} · {e(column.title)}</title>'
            f'<text x="{_num(LABEL_W + j * CELL_W + CELL_W / 2)}" y="{TOP - 12}" fill="#001a40" '
            f'text-anchor="middle" font-weight="bold">{e(column.code)}</text></g>'
        )
    out.append("</g>")
    for i, block in enumerate(table.blocks):
        y = TOP + i * CELL_H
        name = e(block.row.municipality_name)
        label = f'<text x="4" y="{_num(y + CELL_H / 2 + 5)}" fill="#001a40">{name}</text>'
        out.append(
            f'<g class="app-heatmap__row" data-municipality="{e(block.row.municipality_id)}">{label}'
        )
        for j, value in enumerate(block.row.cells):
            column = table.columns[j]
            x = LABEL_W + j * CELL_W
            shown = e(number(value) if isinstance(value, int) else str(value))
            out.append(
                f'<g class="app-heatmap__cell" data-section="{e(column.code)}">'
                f"<title>{name} · {e(column.code)} {e(column.title)}: {shown}</title>"
            )
            text_at = f'x="{_num(x + CELL_W / 2)}" y="{_num(y + CELL_H / 2 + 5)}"'
            if isinstance(value, int):
                s = step(value, highest)
                out.append(
                    f'<rect class="app-band app-band--{s}" x="{x}" y="{y}" width="{CELL_W}" '
                    f'height="{CELL_H}" fill="{FILLS[s]}" '
                    f'stroke="#5c6b80" stroke-width="1"/>'
                    f'<text class="app-heatmap__value" {text_at} fill="{TEXT[s]}" text-anchor="middle" '
                    f'data-value="{value}">{shown}</text>'
                )
            else:
                out.append(
                    f'<rect class="app-band app-band--hidden" x="{x}" y="{y}" width="{CELL_W}" '
                    f'height="{CELL_H}" fill="url(#{e(id_)}-hatch)" '
                    f'stroke="#5c6b80" stroke-width="1"/>'
                    f'<rect x="{_num(x + CELL_W / 2 - 18)}" y="{_num(y + CELL_H / 2 - 11)}" width="36" '
                    f'height="22" fill="#ffffff"/>'
                    f'<text class="app-heatmap__value" {text_at} fill="#001a40" text-anchor="middle" '
                    f'data-value="{e(value)}">{e(value)}</text>'
                )
            out.append("</g>")
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


_TD = "utrecht-table__cell utrecht-table__cell--numeric"


def cells(row: CountRow, columns: tuple[SectionLabel, ...], kind: str) -> Markup:
    """The <td> cells of one row of the heat map's table: a count per leefgebied, the row total and the
    number of professionals the row rests on; a hidden count as "<k" with its own class."""
    number = whole_number_formatter()
    e = escape
    out = []
    for column, value in (*zip(columns, row.cells, strict=True), (None, row.total)):
        classes = f"{_TD} app-count" + (" app-count--total" if column is None else "")
        if not isinstance(value, int):
            classes += " app-count--hidden"
        shown = number(value) if isinstance(value, int) else str(value)
        section = "total" if column is None else column.code
        out.append(f'<td class="{classes}" data-kind="{e(kind)}" data-section="{e(section)}">{e(shown)}</td>')
    out.append(f'<td class="{_TD} app-people" data-kind="{e(kind)}">{e(number(row.people))}</td>')
    return Markup("".join(out))

"""The regional overview and scholingsplan as a PDF: what the regional pages show, on paper.

Pure: plain data in, bytes out; no database, no request. Every number comes from the suppressed tables of
`scan.regio.overview` and the plan of `scan.regio.plan` (as `services.scholingsplan` returns them); this
module only formats them and never counts or totals anything itself (a total computed here could undo
the complementary suppression). A hidden cell prints as `str(cell)`, i.e. "<k", on a grey hatched fill.
No names: only municipalities, team codes and Kenniskaart items.

Labels go through flask_babel inside `force_locale(lang)`, so call `render_scholingsplan` inside an
application context; `lang` is written into the PDF as its language. Landscape A4: the leefgebied
tables have a column per leefgebied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import force_locale, format_currency, format_decimal, ngettext
from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from scan.core.pdf import (
    FONT,
    FONT_BOLD,
    INK,
    RULE,
    Styles,
    build_document,
    data_table,
    label_table,
    printable,
    register_fonts,
)
from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, LEVEL_SPECIALISTISCH
from scan.regio.disclosure.suppression import Cell, Suppressed
from scan.regio.overview import GAP, GOAL, CountRow, LeefgebiedTable, Overview
from scan.regio.plan import PlanLine, PlanScope, Scholingsplan
from scan.regio.services import Selection

PAGESIZE = landscape(A4)
FRAME_WIDTH = PAGESIZE[0] - 4 * cm  # build_document's margins are 2 cm

# The heat map's scale: from nearly white to dark blue; 0 is white, a hidden cell grey and hatched.
LIGHT = colors.HexColor("#eef3fb")
DARK = colors.HexColor("#0b3a75")
ZERO_FILL = colors.white
HIDDEN_FILL = colors.HexColor("#d4d4d4")
HATCH = colors.HexColor("#8c8c8c")
WHITE = colors.white
BLACK = colors.black
MUNICIPALITY_FILL = colors.HexColor("#f3f5f8")

HEAT_LABEL_WIDTH = 4.6 * cm
HEAT_ROW = 0.72 * cm
HEAT_HEADER = 0.7 * cm
HEAT_MAX_ROWS = 16  # rows per drawing: a drawing does not split over pages


@dataclass(frozen=True)
class PlanPdfData:
    region_name: str
    region_code: str
    selection: Selection
    municipality_name: str  # the selected municipality, "" for the whole region
    valid: bool  # False: the filter was not valid and the default selection is shown
    overview: Overview
    plan: Scholingsplan
    # Which publication: the period, its dates, the day it was published; and its short name for the
    # footer. No download date: the file is kept and served again (scan.regio.exports.files).
    publication: str = ""
    publication_name: str = ""


# --- formatting ---------------------------------------------------------------------------------------------


def cell_text(cell: Cell) -> str:
    """A count as printed: a hidden one as "<k", a shown one as a number."""
    return format_decimal(cell) if isinstance(cell, int) else str(cell)


def _euros(cents: int | None) -> str:
    if cents is None:
        return "–"
    return format_currency((Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "EUR")


def _hours(value: Decimal | None) -> str:
    return "–" if value is None else format_decimal(value, "#,##0.#")


def _p(text: str, style: Any) -> Paragraph:
    return Paragraph(escape(printable(text)), style)


def _head(texts: Sequence[str], s: Styles) -> list[Paragraph]:
    """A table's header row: bold, a little smaller than the cells, wrapping between words."""
    style = ParagraphStyle("head", parent=s.cell_bold, fontSize=8, leading=10)
    return [_p(text, style) for text in texts]


def _level_label(level: str | None) -> str:
    labels = {
        LEVEL_GENERIC: _("Generic competencies"),
        LEVEL_ALGEMEEN: _("General (algemeen)"),
        LEVEL_SPECIALISTISCH: _("Specialist (specialistisch)"),
    }
    return labels.get(level or "", _("All levels"))


def _row_label(row: CountRow, region_name: str) -> str:
    if row.kind == "region":
        return region_name or _("Region")
    if row.kind == "team":
        return _("Other teams") if row.is_other else row.team_code
    return row.municipality_name


def _short(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis so it fits `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _table(rows: list[list[Any]], widths: Sequence[float], numeric_from: int | None = None,
           extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """The reports' data table, a little smaller and tighter: the landscape tables have many columns."""
    tight = [("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    return data_table(rows, widths, numeric_from=numeric_from, font_size=8.5, padding=2.5,
                      extra=[*tight, *extra])


# --- the heat map -----------------------------------------------------------------------------------------


def _mix(ratio: float) -> colors.Color:
    ratio = min(max(ratio, 0.0), 1.0)
    return colors.Color(
        LIGHT.red + (DARK.red - LIGHT.red) * ratio,
        LIGHT.green + (DARK.green - LIGHT.green) * ratio,
        LIGHT.blue + (DARK.blue - LIGHT.blue) * ratio,
    )


def _luminance(colour: colors.Color) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red) + 0.7152 * channel(colour.green) + 0.0722 * channel(colour.blue)


def text_colour(fill: colors.Color) -> colors.Color:
    """Black or white text, whichever contrasts more with the fill (WCAG contrast ratio). Pure black, not
    INK: only black and white together keep every fill of the scale at 4.5:1 or more."""
    lum = _luminance(fill)
    on_dark = 1.05 / (lum + 0.05)
    on_light = (lum + 0.05) / 0.05
    return WHITE if on_dark > on_light else BLACK


def fill_colour(cell: Cell, highest: int) -> colors.Color:
    if not isinstance(cell, int):
        return HIDDEN_FILL
    if cell == 0 or highest <= 0:
        return ZERO_FILL
    return _mix(cell / highest)


def _hatch(drawing: Drawing, x: float, y: float, w: float, h: float, step: float = 4.0) -> None:
    """Diagonal lines inside the rectangle (so a hidden cell differs from a low one in grey print too)."""
    d = step
    while d < w + h:
        x1, y1 = x + max(0.0, d - h), y + min(d, h)
        x2, y2 = x + min(d, w), y + max(0.0, d - w)
        drawing.add(Line(x1, y1, x2, y2, strokeColor=HATCH, strokeWidth=0.5))
        d += step


def _cell(drawing: Drawing, x: float, y: float, w: float, h: float, cell: Cell, highest: int) -> None:
    fill = fill_colour(cell, highest)
    drawing.add(Rect(x, y, w, h, fillColor=fill, strokeColor=WHITE, strokeWidth=1))
    text = cell_text(cell)
    if not isinstance(cell, int):
        _hatch(drawing, x, y, w, h)
        tw = stringWidth(text, FONT_BOLD, 8)
        drawing.add(Rect(x + (w - tw) / 2 - 2, y + h / 2 - 5, tw + 4, 11, fillColor=HIDDEN_FILL,
                         strokeColor=None, strokeWidth=0))
        drawing.add(String(x + w / 2, y + h / 2 - 3, text, fontName=FONT_BOLD, fontSize=8, fillColor=INK,
                           textAnchor="middle"))
        return
    if cell == 0:
        drawing.add(Rect(x + 0.5, y + 0.5, w - 1, h - 1, fillColor=None, strokeColor=RULE, strokeWidth=0.3))
    drawing.add(String(x + w / 2, y + h / 2 - 3, text, fontName=FONT, fontSize=8,
                       fillColor=text_colour(fill), textAnchor="middle"))


def heat_map(table: LeefgebiedTable, width: float = FRAME_WIDTH) -> list[Drawing]:
    """Municipalities × leefgebieden, coloured by value / table.highest, every number printed in its cell.
    One drawing per HEAT_MAX_ROWS municipalities (a drawing does not split over pages)."""
    n = max(1, len(table.columns))
    col_width = min(2.2 * cm, (width - HEAT_LABEL_WIDTH) / n)
    rows = [b.row for b in table.blocks]
    chunks = [rows[i:i + HEAT_MAX_ROWS] for i in range(0, len(rows), HEAT_MAX_ROWS)] or [[]]
    drawings = []
    for chunk in chunks:
        height = HEAT_HEADER + len(chunk) * HEAT_ROW + 4
        drawing = Drawing(HEAT_LABEL_WIDTH + n * col_width, height)
        top = height - HEAT_HEADER
        for j, column in enumerate(table.columns):
            drawing.add(String(HEAT_LABEL_WIDTH + (j + 0.5) * col_width, top + 6, printable(column.code),
                               fontName=FONT_BOLD, fontSize=8, fillColor=INK, textAnchor="middle"))
        for i, row in enumerate(chunk):
            y = top - (i + 1) * HEAT_ROW
            label = _short(printable(row.municipality_name), FONT, 8.5, HEAT_LABEL_WIDTH - 8)
            drawing.add(String(0, y + HEAT_ROW / 2 - 3, label, fontName=FONT, fontSize=8.5, fillColor=INK))
            for j, cell in enumerate(row.cells):
                _cell(drawing, HEAT_LABEL_WIDTH + j * col_width, y, col_width, HEAT_ROW, cell, table.highest)
        drawings.append(drawing)
    return drawings


def heat_legend(table: LeefgebiedTable, width: float = FRAME_WIDTH) -> Drawing:
    """The scale from 0 to the highest municipality value, and the hidden-cell swatch with its meaning."""
    k = table.k
    height = 1.1 * cm
    drawing = Drawing(width, height)
    y, h = 0.35 * cm, 0.45 * cm
    x = 0.0
    drawing.add(String(x, y + h + 4, _("Colour scale"), fontName=FONT_BOLD, fontSize=7.5, fillColor=INK))
    _cell(drawing, x, y, 0.9 * cm, h, 0, table.highest)
    x += 0.9 * cm + 4
    steps = 8
    for n in range(steps):
        drawing.add(Rect(x + n * 0.45 * cm, y, 0.45 * cm, h, fillColor=_mix((n + 1) / steps),
                         strokeColor=None, strokeWidth=0))
    x += steps * 0.45 * cm + 4
    highest = _("highest: %(num)s", num=format_decimal(table.highest))
    drawing.add(String(x, y + h / 2 - 3, highest, fontName=FONT, fontSize=8, fillColor=INK))
    x += stringWidth(highest, FONT, 8) + 0.8 * cm
    _cell(drawing, x, y, 0.9 * cm, h, Suppressed(k), table.highest)
    x += 0.9 * cm + 4
    drawing.add(String(x, y + h / 2 - 3, legend_text(k), fontName=FONT, fontSize=8, fillColor=INK))
    return drawing


def legend_text(k: int) -> str:
    """The pages' legend of a hidden cell, word for word."""
    hidden = str(Suppressed(k))
    return _("%(hidden)s: fewer than %(k)d, or hidden to protect a small number", hidden=hidden, k=k)


# --- sections ---------------------------------------------------------------------------------------------


def _meta(data: PlanPdfData, s: Styles) -> Table:
    selection = data.selection
    overview = data.overview
    people = ngettext("%(num)d professional", "%(num)d professionals", overview.people)
    groups = ngettext("%(num)d team or group of teams", "%(num)d teams or groups of teams", overview.groups)
    rows = [
        (_("Region"), data.region_name),
        (_("Publication"), data.publication),
        (_("Municipality"), data.municipality_name or _("All municipalities")),
        (_("Level"), _level_label(selection.level_kind)),
        (_("Professionals behind the numbers (whole region)"), f"{people}, {groups}"),
        (_("Smallest number shown (k)"), str(overview.k)),
    ]
    return label_table([(label, escape(printable(value))) for label, value in rows], s, (7 * cm, 14 * cm))


def _measure_texts(measure: str) -> tuple[str, str]:
    """(heading, heading of the table with the teams), as on the needs page."""
    if measure == GOAL:
        return (
            _("Professionals with a POP goal, per leefgebied"),
            _("Professionals with a POP goal, per municipality and team"),
        )
    return (
        _("Professionals with a gap but no POP goal, per leefgebied"),
        _("Professionals with a gap but no POP goal, per municipality and team"),
    )


def _columns_key(table: LeefgebiedTable, s: Styles) -> Paragraph:
    parts = [f"<b>{escape(printable(c.code))}</b> {escape(printable(c.title))}" for c in table.columns]
    return Paragraph(" · ".join(parts), s.small)


def _leefgebied_table(table: LeefgebiedTable, region_name: str, s: Styles) -> Table:
    n = len(table.columns)
    first, total, people = 4.2 * cm, 1.5 * cm, 2.7 * cm
    col = min(2 * cm, (FRAME_WIDTH - first - total - people) / max(1, n))
    header = [_("Municipality and team"), *(c.code for c in table.columns), _("Total"), _("Professionals")]
    rows: list[list[Any]] = [_head(header, s)]
    extra: list[tuple[Any, ...]] = []

    def line(row: CountRow, indent: bool) -> list[Any]:
        label = _row_label(row, region_name)
        return [("    " if indent else "") + label, *(cell_text(c) for c in row.cells), cell_text(row.total),
                format_decimal(row.people)]

    for block in table.blocks:
        at = len(rows)
        rows.append(line(block.row, False))
        extra += [("FONT", (0, at), (-1, at), FONT_BOLD, 8.5),
                  ("BACKGROUND", (0, at), (-1, at), MUNICIPALITY_FILL)]
        for team in block.teams:
            rows.append(line(team, True))
    at = len(rows)
    rows.append(line(table.region, False))
    extra += [("FONT", (0, at), (-1, at), FONT_BOLD, 8.5), ("LINEABOVE", (0, at), (-1, at), 0.8, INK)]
    for r, row in enumerate(rows[1:], start=1):
        for c, value in enumerate(row[1:-1], start=1):
            if isinstance(value, str) and value.startswith("<"):
                extra.append(("BACKGROUND", (c, r), (c, r), HIDDEN_FILL))
    return _table(rows, [first, *([col] * n), total, people], numeric_from=1, extra=extra)


def _measure(table: LeefgebiedTable, region_name: str, s: Styles) -> list[Any]:
    heading, table_heading = _measure_texts(table.measure)
    intro: list[Any] = [_p(heading, s.h2)]
    parts: list[Any] = []
    if not table.blocks:
        no_rows = _("No submitted scans or POPs in this selection yet.")
        parts.append(KeepTogether([*intro, _p(no_rows, s.body)]))
    else:
        drawings = heat_map(table)
        # The heading stays with the heat map, its legend and its key (a drawing does not split).
        parts.append(KeepTogether([*intro, _p(_("Heat map: %(title)s", title=heading), s.h3), drawings[0],
                                   Spacer(1, 4), heat_legend(table), Spacer(1, 4), _columns_key(table, s)]))
        for drawing in drawings[1:]:
            parts += [Spacer(1, 6), drawing]
    parts += [
        _p(table_heading, s.h3),
        _p(_("A row total counts a professional once per leefgebied: someone with a need in two leefgebieden "
             "counts twice. The last column says how many professionals a row rests on."), s.small),
        _leefgebied_table(table, region_name, s),
    ]
    return parts


def _item(line: PlanLine) -> str:
    return f"{line.item.code} {line.item.title}"


def _training(line: PlanLine) -> str:
    chosen = line.chosen
    if chosen is None:
        return _("No training in the catalogue")
    text = f"{chosen.offer.code} {chosen.offer.title}"
    if chosen.offer.provider:
        text += f" ({chosen.offer.provider})"
    others = len(line.options) - 1
    if others:
        text += " · " + ngettext("%(num)d alternative", "%(num)d alternatives", others)
    return text


def _plan_lines(scope: PlanScope, s: Styles) -> Table:
    header = [_("Item"), _("Participants (POP goal)"), _("Potential (gap, no goal)"), _("Chosen training"),
              _("Groups"), _("Group size"), _("Total hours"), _("Total cost")]
    rows: list[list[Any]] = [_head(header, s)]
    for line in scope.lines:
        chosen = line.chosen
        groups = "–" if chosen is None or chosen.groups is None else format_decimal(chosen.groups)
        below = ""
        if chosen is not None and chosen.below_minimum:
            below = _("Below minimum: fewer than %(num)d per group", num=chosen.offer.min_group or 0)
        rows.append([
            _p(_item(line), s.cell),
            cell_text(line.participants),
            cell_text(line.potential),
            _p(_training(line), s.cell),
            groups,
            _p(below, s.cell_bold) if below else "",
            _hours(chosen.total_hours if chosen else None),
            _euros(chosen.total_cost_cents if chosen else None),
        ])
    widths = [5.9 * cm, 2.4 * cm, 2.4 * cm, 6.2 * cm, 1.9 * cm, 2.6 * cm, 1.9 * cm, 2.4 * cm]
    extra = [("ALIGN", (3, 1), (3, -1), "LEFT"), ("ALIGN", (5, 1), (5, -1), "LEFT")]
    return _table(rows, widths, numeric_from=1, extra=extra)


def hidden_note(hidden: int, k: int) -> str:
    """The plan page's note, word for word."""
    return ngettext(
        "%(num)d need rests on fewer than %(k)d professionals: not in the totals.",
        "%(num)d needs rest on fewer than %(k)d professionals: not in the totals.",
        hidden,
        k=k,
    )


def _region_totals(scope: PlanScope, k: int, s: Styles) -> list[Any]:
    rows = [
        _head((_("Participants"), _("Groups"), _("Total hours"), _("Total cost")), s),
        [format_decimal(scope.participants), format_decimal(scope.groups), _hours(scope.hours),
         _euros(scope.cost_cents)],
    ]
    parts: list[Any] = [_table(rows, [3.5 * cm, 3 * cm, 3 * cm, 4 * cm], numeric_from=0)]
    if scope.hidden_needs:
        parts.append(_p(hidden_note(scope.hidden_needs, k), s.small))
    return parts


def _municipality_totals(plan: Scholingsplan, s: Styles) -> Table:
    header = [_("Municipality"), _("Participants"), _("Groups"), _("Total hours"), _("Total cost"),
              _("Needs shown as %(hidden)s (not in the totals)", hidden=str(Suppressed(plan.k)))]
    rows: list[list[Any]] = [_head(header, s)]
    for scope in plan.municipalities:
        rows.append([_p(scope.name, s.cell), format_decimal(scope.participants), format_decimal(scope.groups),
                     _hours(scope.hours), _euros(scope.cost_cents), format_decimal(scope.hidden_needs)])
    return _table(rows, [5.5 * cm, 2.8 * cm, 2.2 * cm, 2.6 * cm, 3.2 * cm, 5 * cm], numeric_from=1)


def _unmatched(plan: Scholingsplan, s: Styles) -> list[Any]:
    if not plan.unmatched:
        return [_p(_("Every need has at least one training in the catalogue."), s.body)]
    header = (_("Item"), _("Participants (POP goal)"), _("Potential (gap, no goal)"))
    rows: list[list[Any]] = [_head(header, s)]
    for line in plan.unmatched:
        rows.append([_p(_item(line), s.cell), cell_text(line.participants), cell_text(line.potential)])
    return [_table(rows, [12 * cm, 3 * cm, 3 * cm], numeric_from=1)]


def _regional_offers(plan: Scholingsplan, s: Styles) -> list[Any]:
    if not plan.regional_offers:
        return [_p(_("No need is shared widely enough for a regional group yet."), s.body)]
    header = (_("Item"), _("Participants (POP goal)"), _("Municipalities with a goal on it"),
              _("Chosen training"))
    rows: list[list[Any]] = [_head(header, s)]
    for line in plan.regional_offers:
        rows.append([_p(_item(line), s.cell), cell_text(line.participants), format_decimal(line.teams),
                     _p(_training(line), s.cell)])
    return [_table(rows, [8.5 * cm, 3 * cm, 3 * cm, 9 * cm], numeric_from=1,
                   extra=[("ALIGN", (3, 1), (3, -1), "LEFT")])]


def title_text(region_name: str) -> str:
    return _("Regional scholingsplan %(region)s", region=region_name)


def render_scholingsplan(data: PlanPdfData, lang: str) -> bytes:
    """The overview and plan as PDF bytes, in `lang` ("nl" or "en"). Needs an application context."""
    register_fonts()
    with force_locale(lang):
        s = Styles()
        title = title_text(data.region_name)
        footer_left = " · ".join(p for p in (data.region_name, data.publication_name) if p)
        k = data.overview.k
        story: list[Any] = [_p(title, s.title), _meta(data, s), Spacer(1, 6)]
        if not data.valid:
            story.append(_p(_("The filter was not valid, so the default selection was exported."), s.body))
        story += [
            _p(legend_text(k), s.body),
            _p(_("The region sees numbers only, never names. Teams with fewer than %(k)d professionals are "
                 "merged into “Other teams”; a municipality with fewer than %(k)d professionals in all is "
                 "left out. Numbers below %(k)d are hidden, and so are a few others where they would give a "
                 "small number away by subtraction.", k=k), s.small),
        ]
        for measure in (GOAL, GAP):
            story += _measure(data.overview.leefgebied[measure], data.region_name, s)

        plan = data.plan
        story += [
            _p(_("Needs and trainings in the region"), s.h2),
            _p(_("The training need matched to the active catalogue: per Kenniskaart item the professionals "
                 "with a POP goal on it take part; those with a gap but no goal are shown as potential. Per "
                 "need the plan counts one training: the best match by level, group size and cost."),
               s.small),
            _p(_("–: not calculated (the number of participants is hidden or zero)."), s.small),
        ]
        if plan.region.lines:
            story.append(_plan_lines(plan.region, s))
        else:
            story.append(_p(_("No need in this selection."), s.body))
        # A heading never ends a page without its table.
        totals = _region_totals(plan.region, plan.k, s)
        story.append(KeepTogether([_p(_("The region in total"), s.h3), *totals]))
        story += [_p(_("Per municipality"), s.h3), _municipality_totals(plan, s)]
        story += [
            _p(_("Needs without a training in the catalogue (a purchasing question)"), s.h2),
            *_unmatched(plan, s),
            _p(_("Proposed regional group offers"), s.h2),
            _p(_("Needs shared by professionals of two or more municipalities: one group for the region may "
                 "be cheaper and easier to fill than one per municipality."), s.small),
            *_regional_offers(plan, s),
        ]
        return build_document(story, title=title, subject=_("Regional overview and scholingsplan"), lang=lang,
                              footer_left=footer_left, pagesize=PAGESIZE)

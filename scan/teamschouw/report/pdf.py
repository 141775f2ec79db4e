"""The team report of a teamschouw as a PDF: what the screens show, on paper.

Pure: plain data in, bytes out; no database, no request. Labels go through flask_babel inside
`force_locale(lang)`, so call `render_team_report` inside an application context; the same `lang`
picks the Dutch or English titles of the Kenniskaart and is written into the PDF as its language.

Fonts, the page-number canvas and the document metadata are shared with the POP in `scan.core.pdf`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from scan.core.pdf import FONT, Styles, build_document, data_table, label_table, pick, user_text
from scan.core.pdf import register_fonts as _register_fonts
from scan.i18n import format_day
from scan.teamschouw.coverage.build import STATUS_NONE, STATUS_OK, STATUS_SINGLE, STATUS_THIN, status_labels
from scan.teamschouw.reasons import reason_sentence

# Printed before the status word, so the status reads the same in black and white. The coverage page
# shows ✕ ! ▽ ✓; Vera has none of ✕ ▽ ✓, so these are its nearest glyphs (× and √; < for "fewer
# specialists than the norm"), and "!" means "rests on one person" on paper as on the screen.
STATUS_SYMBOLS = {STATUS_NONE: "×", STATUS_SINGLE: "!", STATUS_THIN: "<", STATUS_OK: "√"}

KIND_VRAAGBAAK = "vraagbaak"
KIND_GROW = "grow"
KIND_OTHER = "other"

# High-contrast series colours (dark blue, orange, grey-blue); the legend, the value at the end of each
# bar and the table below carry the same numbers, so colour is never the only carrier.
SERIES_COLOURS = (colors.HexColor("#1f3d7a"), colors.HexColor("#c25400"), colors.HexColor("#5b7f95"))


@dataclass(frozen=True)
class CoverageRow:
    code: str
    title_nl: str
    title_en: str
    specialists: int
    general: int
    growing: int
    norm: int
    status: str  # STATUS_NONE / _SINGLE / _THIN / _OK


@dataclass(frozen=True)
class PriorityRow:
    position: int
    code: str  # of the item or the leefgebied
    title_nl: str
    title_en: str
    is_section: bool
    reason: str  # as typed (or an old row's sentence)
    reason_facts: dict[str, Any] | None = None  # a suggestion taken over: worded in the document's language


@dataclass(frozen=True)
class AgreementRow:
    kind: str  # KIND_VRAAGBAAK (accepted ones only), KIND_GROW or KIND_OTHER
    member: str  # the member's name, "" when the agreement is about nobody in particular
    code: str  # item or leefgebied code, "" when none
    title_nl: str
    title_en: str
    text: str


@dataclass(frozen=True)
class SessionRecord:
    held_on: date
    attendees: tuple[str, ...]
    notes: str
    decisions: str


@dataclass(frozen=True)
class TeamReportData:
    team_name: str
    team_code: str
    municipality: str
    round_title: str
    opens_on: date
    closes_on: date
    kenniskaart_title_nl: str
    kenniskaart_title_en: str
    kenniskaart_label: str  # the file's own version label, e.g. "2026.1"
    kenniskaart_number: int
    generated_on: date
    members: int
    submitted: int
    coverage: tuple[CoverageRow, ...] = ()
    priorities: tuple[PriorityRow, ...] = ()
    agreements: tuple[AgreementRow, ...] = ()
    session: SessionRecord | None = None


_pick = pick
_text = user_text


def status_label(status: str) -> str:
    """The words of the coverage page, so paper and screen say the same."""
    return status_labels().get(status, status)




def _meta(data: TeamReportData, lang: str, s: Styles) -> Table:
    kenniskaart = _("%(title)s, version %(label)s", title=_pick(lang, data.kenniskaart_title_nl,
                                                                data.kenniskaart_title_en),
                    label=data.kenniskaart_label)
    period = _("%(start)s to %(end)s", start=format_day(data.opens_on),
               end=format_day(data.closes_on))
    rows = [
        (_("Team"), f"{data.team_name} ({data.team_code})"),
        (_("Municipality"), data.municipality),
        (_("Round"), data.round_title),
        (_("Period"), period),
        (_("Kenniskaart"), kenniskaart),
        (_("Submitted scans"), ngettext("%(submitted)d of %(num)d member", "%(submitted)d of %(num)d members",
                                        data.members, submitted=data.submitted)),
        (_("Report date"), format_day(data.generated_on)),
    ]
    return label_table([(label, escape(value)) for label, value in rows], s)


def _coverage_table(data: TeamReportData, lang: str, s: Styles) -> Table:
    header = [_("Leefgebied"), _("Specialists"), _("General level"), _("Want to grow"), _("Norm"),
              _("Status")]
    rows: list[list[Any]] = [[Paragraph(escape(h), s.cell_bold) for h in header]]
    for row in data.coverage:
        status = f"{STATUS_SYMBOLS.get(row.status, '')} {status_label(row.status)}".strip()
        rows.append([
            Paragraph(escape(f"{row.code} {_pick(lang, row.title_nl, row.title_en)}"), s.cell),
            str(row.specialists),
            str(row.general),
            str(row.growing),
            str(row.norm),
            Paragraph(escape(status), s.cell_bold if row.status != STATUS_OK else s.cell),
        ])
    return data_table(rows, [4.6 * cm, 2.7 * cm, 2.3 * cm, 2.3 * cm, 1.4 * cm, 3.7 * cm], numeric_from=1)


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def coverage_chart(data: TeamReportData, lang: str, width: float = 17 * cm) -> Drawing:
    """Horizontal bars per leefgebied: specialists, general level, want to grow; the value at each bar."""
    rows = data.coverage
    series = (_("Specialists"), _("General level"), _("Want to grow"))
    bar_group = 3 * 7 + 8  # three bars of 7 pt and a gap, per leefgebied
    label_width = 6 * cm
    plot_height = max(1, len(rows)) * bar_group
    height = plot_height + 60
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 40
    chart.width, chart.height = width - label_width - 20, plot_height
    # A horizontal chart draws categories and the bars within one bottom-up: reverse both, so the
    # chart reads top-down in the table's order and in the legend's order.
    chart.data = [
        [r.growing for r in reversed(rows)] or [0],
        [r.general for r in reversed(rows)] or [0],
        [r.specialists for r in reversed(rows)] or [0],
    ]
    chart.categoryAxis.categoryNames = [
        _short(f"{r.code} {_pick(lang, r.title_nl, r.title_en)}") for r in reversed(rows)
    ] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    top = max([r.specialists for r in rows] + [r.general for r in rows] + [r.growing for r in rows] + [1])
    chart.valueAxis.valueMax = top + 1
    chart.valueAxis.valueStep = max(1, (top + 1) // 8)
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d"
    chart.barWidth = 7
    chart.groupSpacing = 8
    chart.barSpacing = 0
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    for n, colour in enumerate(reversed(SERIES_COLOURS)):
        chart.bars[n].fillColor = colour
        chart.bars[n].strokeColor = colour
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = label_width, 14
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.fontName = FONT
    legend.fontSize = 8
    legend.colorNamePairs = list(zip(SERIES_COLOURS, series, strict=True))
    drawing.add(legend)
    return drawing


def _priorities(data: TeamReportData, lang: str, s: Styles) -> list[Any]:
    if not data.priorities:
        return [Paragraph(escape(_("No priorities chosen yet.")), s.body)]
    rows: list[list[Any]] = [[Paragraph(escape(h), s.cell_bold)
                              for h in ("#", _("Item or leefgebied"), _("Reason"))]]
    for n, p in enumerate(sorted(data.priorities, key=lambda p: p.position), start=1):
        title = _pick(lang, p.title_nl, p.title_en)
        what = _("%(code)s %(title)s (whole leefgebied)", code=p.code, title=title) if p.is_section \
            else f"{p.code} {title}"
        reason = _text(reason_sentence(p.reason, p.reason_facts)) or "–"
        rows.append([str(n), Paragraph(escape(what), s.cell), Paragraph(reason, s.cell)])
    return [data_table(rows, [0.9 * cm, 7.3 * cm, 8.8 * cm])]


def _agreement_subject(a: AgreementRow, lang: str) -> str:
    if not a.code:
        return ""
    return f"{a.code} {_pick(lang, a.title_nl, a.title_en)}"


def _agreements(data: TeamReportData, lang: str, s: Styles) -> list[Any]:
    parts: list[Any] = []
    groups: tuple[tuple[str, str, str, Callable[[AgreementRow], list[str]]], ...] = (
        (KIND_VRAAGBAAK, _("Go-to colleagues (vraagbaak)"), _("Theme"),
         lambda a: [a.member, _agreement_subject(a, lang) or a.text, a.text if a.code else ""]),
        (KIND_GROW, _("Growing into a specialism"), _("Specialism"),
         lambda a: [a.member, _agreement_subject(a, lang), a.text]),
        (KIND_OTHER, _("Other agreements"), _("About"),
         lambda a: [a.member, _agreement_subject(a, lang), a.text]),
    )
    for kind, heading, subject, cells in groups:
        rows = [a for a in data.agreements if a.kind == kind]
        block: list[Any] = [Paragraph(escape(heading), s.h3)]
        if kind == KIND_VRAAGBAAK:
            block.append(Paragraph(escape(_("Only colleagues who agreed in the app are listed.")), s.small))
        if not rows:
            block.append(Paragraph(escape(_("None recorded.")), s.body))
        else:
            table_rows: list[list[Any]] = [[Paragraph(escape(h), s.cell_bold)
                                            for h in (_("Member"), subject, _("Agreement"))]]
            for a in rows:
                member, what, text = cells(a)
                table_rows.append([Paragraph(escape(member) or "–", s.cell),
                                   Paragraph(escape(what) or "–", s.cell),
                                   Paragraph(_text(text) or "–", s.cell)])
            block.append(data_table(table_rows, [4.5 * cm, 6 * cm, 6.5 * cm]))
        parts.append(KeepTogether(block[:3]))
        parts.extend(block[3:])
    return parts


def _session(data: TeamReportData, s: Styles) -> list[Any]:
    session = data.session
    if session is None:
        return [Paragraph(escape(_("No session recorded yet.")), s.body)]
    attendees = ", ".join(session.attendees) if session.attendees else _("nobody recorded")
    # Labels are translated outside the f-strings: the message extractor does not look inside them.
    date_label = _("Date")
    attendee_label = ngettext("%(num)d attendee", "%(num)d attendees", len(session.attendees))
    held_on = format_day(session.held_on)
    parts: list[Any] = [
        Paragraph(f"<b>{escape(date_label)}:</b> {escape(held_on)}", s.body),
        Paragraph(f"<b>{escape(attendee_label)}:</b> {escape(attendees)}", s.body),
        Paragraph(escape(_("Notes")), s.h3),
        Paragraph(_text(session.notes) or escape(_("None recorded.")), s.body),
        Paragraph(escape(_("Decisions")), s.h3),
        Paragraph(_text(session.decisions) or escape(_("None recorded.")), s.body),
    ]
    return parts


def render_team_report(data: TeamReportData, lang: str) -> bytes:
    """The team report as PDF bytes, in `lang` ("nl" or "en"). Needs an application context."""
    _register_fonts()
    with force_locale(lang):
        s = Styles()
        title = _("Team report %(team)s – %(round)s", team=data.team_name, round=data.round_title)
        footer_left = f"{data.team_name} · {data.round_title}"
        story: list[Any] = [
            Paragraph(_text(title), s.title),
            _meta(data, lang, s),
            Paragraph(escape(_("Coverage per leefgebied")), s.h2),
            Paragraph(escape(_(
                "Per leefgebied: how many members are at specialist level, how many at general level and "
                "how many want to grow there, against the team's norm for specialists. Only submitted "
                "scans count."
            )), s.small),
        ]
        if data.coverage:
            # A drawing does not split: when it does not fit below the table it moves to the next page.
            chart_caption = Paragraph(escape(_("Chart: the numbers of the table above.")), s.small)
            story += [_coverage_table(data, lang, s), Spacer(1, 10),
                      KeepTogether([chart_caption, coverage_chart(data, lang)])]
        else:
            no_sections = _("There are no leefgebieden in this Kenniskaart version.")
            story.append(Paragraph(escape(no_sections), s.body))
        story += [Paragraph(escape(_("Team priorities")), s.h2), *_priorities(data, lang, s)]
        story += [Paragraph(escape(_("Agreements")), s.h2), *_agreements(data, lang, s)]
        story += [Paragraph(escape(_("The session")), s.h2), *_session(data, s)]

        return build_document(story, title=title, subject=_("Teamschouw"), lang=lang,
                              footer_left=footer_left)

"""Mijn resultaat as a PDF: the same numbers as the page (per part, agreed levels, strengths, development
points, the changes since the previous round), for the professional to keep or bring to a conversation.

No database: it prints what `results.routes._result_of` loaded. Labels go through flask_babel inside
`force_locale(lang)`; `lang` also picks the Dutch or English titles and is written into the PDF.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph

from scan.assessment.results.scores import ItemChange, ScanResult
from scan.core.clock import AMSTERDAM
from scan.core.downloads import attachment_name_part
from scan.core.pdf import Styles, build_document, data_table, label_table, pick, register_fonts, user_text
from scan.i18n import format_day


def result_filename(username: str, opens_on: date) -> str:
    """`resultaat-<username>-<round opening date>.pdf`."""
    return f"resultaat-{attachment_name_part(username, 'scan')}-{opens_on.isoformat()}.pdf"


class _Format:
    def __init__(self, lang: str) -> None:
        self.locale = "en_GB" if lang == "en" else "nl_NL"

    def date(self, value: date) -> str:
        return format_day(value, locale=self.locale)

    def one(self, value: Decimal | None, signed: bool = False) -> str:
        if value is None:
            return "–"
        if signed and value != 0:
            return format_decimal(value, "+0.0;-0.0", locale=self.locale)
        return format_decimal(value, "0.0", locale=self.locale)


def _level(level: int | None, not_applicable: bool, names: dict[int, str]) -> str:
    if not_applicable:
        return _("not applicable")
    if level is None:
        return "–"
    return f"{level} · {names.get(level, '')}"


def _parts(result: ScanResult, has_previous: bool, lang: str, s: Styles, f: _Format) -> Any:
    header = [_("Part"), _("Scored"), _("Level"), _("Ambition"), _("Gap")]
    widths = [6.4 * cm, 2.4 * cm, 2 * cm, 2.2 * cm, 1.8 * cm]
    if has_previous:
        header.append(_("Level, previous round"))
        widths = [5.2 * cm, 2.2 * cm, 1.8 * cm, 2 * cm, 1.6 * cm, 2.2 * cm]
    rows: list[list[Any]] = [[Paragraph(escape(h), s.cell_bold) for h in header]]
    for section in result.sections:
        row: list[Any] = [
            Paragraph(user_text(pick(lang, section.title_nl, section.title_en)), s.cell),
            _("%(done)d of %(total)d", done=section.scored, total=section.total),
            f.one(section.average_level),
            f.one(section.average_ambition),
            f.one(section.gap, signed=True),
        ]
        if has_previous:
            row.append(f.one(section.previous.average_level if section.previous else None))
        rows.append(row)
    return data_table(rows, widths, numeric_from=1)


def _changes(changes: list[ItemChange], names: dict[int, str], lang: str, s: Styles) -> Any:
    rows: list[list[Any]] = [
        [Paragraph(escape(h), s.cell_bold) for h in (_("Code"), _("Item"), _("Previous round"), _("Now"))]
    ]
    for change in changes:
        rows.append([
            change.code,
            Paragraph(user_text(pick(lang, change.title_nl, change.title_en)), s.cell),
            Paragraph(escape(_level(change.previous_level, change.previous_not_applicable, names)), s.cell),
            Paragraph(escape(_level(change.level, change.not_applicable, names)), s.cell),
        ])
    return data_table(rows, [2 * cm, 7 * cm, 4 * cm, 4 * cm])


def _item_list(lines: list[str], s: Styles) -> list[Any]:
    return [Paragraph(user_text(line), s.body) for line in lines]


def render_result(data: dict[str, Any], name: str, lang: str) -> bytes:
    """The result of one submitted scan as PDF bytes, in `lang` ("nl" or "en")."""
    register_fonts()
    with force_locale(lang):
        s = Styles()
        f = _Format(lang)
        result: ScanResult = data["result"]
        scan_round = data["scan_round"]
        names: dict[int, str] = data["level_names"]
        previous_round = data["previous_round"]
        title = _("Result of %(name)s – %(round)s", name=name, round=scan_round.title)
        submitted = data["scan"].submitted_at.astimezone(AMSTERDAM).date()
        compared = (
            _("%(round)s, submitted on %(date)s", round=previous_round.title,
              date=f.date(data["previous_scan"].submitted_at.astimezone(AMSTERDAM).date()))
            if previous_round is not None
            else _("This is your first submitted scan: there is no earlier result to compare with.")
        )
        story: list[Any] = [
            Paragraph(user_text(title), s.title),
            label_table(
                [
                    (_("Name"), user_text(name)),
                    (_("Team"), user_text(scan_round.team.name)),
                    (_("Round"), user_text(scan_round.title)),
                    (_("Submitted on"), escape(f.date(submitted))),
                    (_("Compared with"), user_text(compared)),
                ],
                s,
            ),
            Paragraph(escape(_(
                "This result is for your own development, not for appraisal. Your team leader can see your "
                "submitted scan; use it for your development conversation.")), s.body),
            Paragraph(escape(_("Your profile per part")), s.h2),
            Paragraph(escape(_("Per part: your average level, your average ambition and the gap between them "
                               "(ambition minus level), on a scale of 1 to %(max)d.", max=data["max_level"])),
                      s.body),
            _parts(result, previous_round is not None, lang, s, f),
        ]
        if previous_round is not None:
            since = _("What changed since %(round)s", round=previous_round.title)
            story.append(Paragraph(user_text(since), s.h2))
            if data["changes"]:
                story.append(_changes(data["changes"], names, lang, s))
            else:
                story.append(Paragraph(escape(_("No item has a different level than in the previous round.")),
                                       s.body))
        if data["agreed_items"]:
            story.append(Paragraph(escape(_("Levels agreed with your team leader")), s.h2))
            story.extend(_item_list([
                f"{i.code} {pick(lang, i.title_nl, i.title_en)}: "
                + _("your level %(own)s, agreed level %(agreed)s",
                    own=_level(i.level, i.not_applicable, names), agreed=_level(i.agreed_level, False, names))
                for i in data["agreed_items"]
            ], s))
        story.append(Paragraph(escape(_("Your strengths")), s.h2))
        story.extend(_item_list([
            f"{i.code} {pick(lang, i.title_nl, i.title_en)}: "
            + _("Level %(level)d: %(name)s", level=i.level, name=names.get(i.level, ""))
            for i in result.strengths
        ], s) or [Paragraph(escape(_("You did not score any item at level %(level)d or higher this time.",
                                        level=data["strength_level"])), s.body)])
        story.append(Paragraph(escape(_("Your development points")), s.h2))
        story.extend(_item_list([
            f"{p.item.code} {pick(lang, p.item.title_nl, p.item.title_en)}: "
            + (_("From level %(level)d to %(ambition)d.", level=p.item.level, ambition=p.item.ambition)
               if p.wants_to_grow else _("Now at level %(level)d.", level=p.item.level))
            + (" " + _("Below the norm of level %(norm)d for everyone.", norm=p.item.norm)
               if p.below_norm else "")
            for p in result.development
        ], s) or [Paragraph(escape(_("No development points: you want to stay at your current level "
                                     "everywhere, and you meet the norm.")), s.body)])
        story.append(Paragraph(escape(ngettext("The averages count %(num)d scored item.",
                                               "The averages count %(num)d scored items.", result.scored)),
                               s.small))
        return build_document(story, title=title, subject=_("My result"), lang=lang,
                              footer_left=f"{name} · {scan_round.title}")

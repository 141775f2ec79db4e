"""Shared pieces of the app's ReportLab PDFs: the embedded font, colours, user text as markup, the
"page n of N" canvas and the document with its title and language in the metadata.

The text uses DejaVu Sans (shipped in scan/core/fonts with its licence; see scan/static/NOTICE.md), embedded
as a subset, so the text stays selectable and extractable. It covers every European script: Latin with all
its extensions (ĳ, Ærø, Œuvre, ŉ, Turkish, Polish, Vietnamese), Greek and Cyrillic, and the dashes, quotes,
arrows, euro sign and many symbols (✓ ☺). Forms accept any Unicode text, so a character the font lacks
(Chinese, Japanese, Korean) or that ReportLab cannot write back as text (emoji, beyond U+FFFF) prints as the
replacement character "�", visibly, never as a look-alike or a silent "?"; the HTML page of every PDF
shows such text as typed.

Longer reports get bookmarks (the PDF outline): every h2 heading, with its h3 headings below it.
PDFs from ReportLab are not tagged; every PDF has an HTML page too.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_DIR = Path(__file__).parent / "fonts"
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#8a8a8a")
HEADER_FILL = colors.HexColor("#e8ecf2")


class Styles:
    """The paragraph styles every report uses, so all PDFs of the app look alike."""

    def __init__(self) -> None:
        base = ParagraphStyle(
            "body", fontName=FONT, fontSize=10, leading=13.5, textColor=INK, alignment=TA_LEFT, spaceAfter=4
        )
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=FONT_BOLD)
        self.title = ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=10
        )
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=13.5, leading=17, spaceBefore=14, spaceAfter=6
        )
        self.h3 = ParagraphStyle(
            "h3", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4
        )


def register_fonts() -> None:
    # ReportLab's font registry is per process; registering the same shipped font in every worker is safe.
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def pick(lang: str, nl: str, en: str) -> str:
    """The Dutch or English title, falling back on the Dutch one."""
    return en if lang == "en" and en else nl


def user_text(value: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept, characters the font lacks replaced."""
    return "<br/>".join(escape(printable(line)) for line in value.strip().splitlines())


# Printed for a character neither font has: visibly not the character typed (a font would draw an empty
# box, which a text extractor loses; "?" would read as part of the text).
MISSING = "\ufffd"


@cache
def _covered() -> frozenset[int]:
    """The characters both the regular and the bold font have, up to U+FFFF: ReportLab writes no character
    beyond it back to text (an emoji the font draws would be read as another character)."""
    register_fonts()
    both = frozenset(getFont(FONT).face.charToGlyph) & frozenset(getFont(FONT_BOLD).face.charToGlyph)
    return frozenset(c for c in both if c <= 0xFFFF)


def _glyph(ch: str, covered: frozenset[int]) -> str:
    if ord(ch) in covered or ch.isspace():
        return ch
    # Invisible formatting (zero-width joiner, emoji variation selectors) has nothing to draw.
    return "" if unicodedata.category(ch) in ("Cf", "Mn") else MISSING


def printable(text: str) -> str:
    """The text as the fonts print it: composed (NFC: "e" and a combining accent become "é"), and every
    character the fonts lack replaced by MISSING."""
    text = unicodedata.normalize("NFC", text)
    covered = _covered()
    if all(ord(ch) in covered or ch.isspace() for ch in text):
        return text
    return "".join(_glyph(ch, covered) for ch in text)


def label_table(rows: Sequence[tuple[str, str]], s: Styles,
                widths: Sequence[float] = (4.2 * cm, 12.8 * cm)) -> Table:
    """Labels (plain text, in bold) beside their values (Paragraph markup), a thin rule below each row: the
    facts at the top of a report."""
    table = Table([[Paragraph(escape(printable(label)), s.cell_bold), Paragraph(value, s.cell)]
                   for label, value in rows], colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def data_table(rows: list[list[Any]], widths: Sequence[float], *, numeric_from: int | None = None,
               font_size: float = 9, padding: float = 3, extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A table whose first row is its header, repeated on every page: a filled header with a rule below it,
    thin rules between the rows; the columns from `numeric_from` on right-aligned; `extra` style commands
    last."""
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, font_size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    if numeric_from is not None:
        style.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
    style.extend(extra)
    table.setStyle(TableStyle(style))
    return table


def page_of(page: int, total: int) -> str:
    """The footer's "page n of N", in the current locale (build_document runs inside force_locale)."""
    return _("Page %(page)d of %(total)d", page=page, total=total)


def numbered_canvas(
    footer: Callable[[int, int], str], pagesize: tuple[float, float] = A4
) -> type[pdfcanvas.Canvas]:
    """A canvas that holds its pages until the end, so each can say "page n of total"."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._marks: list[tuple[str, dict[str, Any]]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def bookmarkPage(self, key: str, **place: Any) -> Any:  # type: ignore[override]
            # The held pages are numbered in save(): a bookmark made now would point at the first page.
            self._marks.append((key, place))

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                for key, place in self._marks:
                    pdfcanvas.Canvas.bookmarkPage(self, key, **place)
                self.setFont(FONT, 8)
                self.setFillColor(INK)
                self.drawRightString(pagesize[0] - 2 * cm, 1.2 * cm, footer(self._pageNumber, total))
                super().showPage()
            super().save()

    return NumberedCanvas


class _OutlinedDocument(SimpleDocTemplate):
    """A document whose h2 and h3 headings are its bookmarks (the PDF outline), h3 below the h2 before it."""

    LEVELS: dict[str, int] = {"h2": 0, "h3": 1}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outline_level = -1
        self._bookmarks = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        level = self.LEVELS.get(flowable.style.name) if isinstance(flowable, Paragraph) else None
        if level is None:
            return
        # An outline level may only go one deeper than the one before it (an h3 with no h2 above it).
        level = min(level, self._outline_level + 1)
        self._outline_level = level
        key = f"section-{self._bookmarks}"
        self._bookmarks += 1
        top = self.frame._y + flowable.height + flowable.style.spaceAfter + flowable.style.spaceBefore
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
        self.canv.showOutline()


def build_document(
    story: list[Any],
    *,
    title: str,
    subject: str,
    lang: str,
    footer_left: str,
    footer: Callable[[int, int], str] = page_of,
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """An A4 document (or `pagesize`, e.g. `landscape(A4)` for wide tables) with `title` and `lang` in its
    metadata; `footer_left` and "page n of N" on each page."""

    footer_left = printable(footer_left)

    def on_page(canv: pdfcanvas.Canvas, doc: Any) -> None:
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(INK)
        canv.drawString(2 * cm, 1.2 * cm, footer_left)
        canv.restoreState()

    buffer = io.BytesIO()
    doc = _OutlinedDocument(
        buffer,
        pagesize=pagesize,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        subject=subject,
        author="Ontwikkelscan",
        creator="Ontwikkelscan",
        lang=lang,
        displayDocTitle=True,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=numbered_canvas(footer, pagesize))
    return buffer.getvalue()


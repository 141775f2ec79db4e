"""Shared pieces of the app's ReportLab PDFs: the embedded font, colours, user text as markup, the
"page n of N" canvas and the document with its title and language in the metadata.

The text uses Bitstream Vera, which ships with ReportLab and is embedded as a subset: it covers Dutch
diacritics (Financiën, coördinator), curly quotes and names such as Ayşe Yılmaz, and keeps the text
selectable and extractable. PDFs from ReportLab are not tagged; every PDF has an HTML page too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import SimpleDocTemplate

FONT = "Vera"
FONT_BOLD = "VeraBd"
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
        # Found on ReportLab's own font path: nothing to ship or install.
        pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def pick(lang: str, nl: str, en: str) -> str:
    """The Dutch or English title, falling back on the Dutch one."""
    return en if lang == "en" and en else nl


def user_text(value: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept, characters the font lacks replaced."""
    return "<br/>".join(escape(printable(line)) for line in value.strip().splitlines())


# Vera has no arrows or comparison signs; Kenniskaart titles use some ("Wmo→Wlz"). Without this they would
# print as an empty box and be lost to a text extractor.
FALLBACKS = {"→": "->", "←": "<-", "↔": "<->", "≥": ">=", "≤": "<=", "≠": "!=", "✓": "v", "✔": "v", "✕": "x"}


def printable(text: str) -> str:
    """The text with every character the embedded font lacks replaced (by a look-alike, else "?")."""
    register_fonts()
    glyphs = getFont(FONT).face.charToGlyph
    if all(ord(ch) in glyphs or ch.isspace() for ch in text):
        return text
    return "".join(ch if ord(ch) in glyphs or ch.isspace() else FALLBACKS.get(ch, "?") for ch in text)


def numbered_canvas(
    footer: Callable[[int, int], str], pagesize: tuple[float, float] = A4
) -> type[pdfcanvas.Canvas]:
    """A canvas that holds its pages until the end, so each can say "page n of total"."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillColor(INK)
                self.drawRightString(pagesize[0] - 2 * cm, 1.2 * cm, footer(self._pageNumber, total))
                super().showPage()
            super().save()

    return NumberedCanvas


def build_document(
    story: list[Any],
    *,
    title: str,
    subject: str,
    lang: str,
    footer_left: str,
    footer: Callable[[int, int], str],
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """An A4 document (or `pagesize`, e.g. `landscape(A4)` for wide tables) with `title` and `lang` in its
    metadata; `footer_left` and "page n of N" on each page."""

    def on_page(canv: pdfcanvas.Canvas, doc: Any) -> None:
        canv.saveState()
        canv.setFont(FONT, 8)
        canv.setFillColor(INK)
        canv.drawString(2 * cm, 1.2 * cm, footer_left)
        canv.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
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


def attachment_name_part(value: str, fallback: str) -> str:
    """A value as it may appear in a header's quoted file name (letters, digits, - and _)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in value) or fallback

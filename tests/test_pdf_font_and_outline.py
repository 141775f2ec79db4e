"""What the PDFs print of text the app accepts, read back with pdftotext as a user's viewer would, and the
bookmarks (outline) of the longer reports."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from scan.core.pdf import FONT_DIR, MISSING, printable
from scan.pop.pdf.render import render_pop
from scan.teamschouw.report.pdf import render_team_report
from tests.pop.test_pdf import _plain as pop_data
from tests.teamschouw.test_report import _plain_data as team_data

# Forms and uploads accept any Unicode text but NUL. What a Dutch social team writes: names and places from
# all over Europe and beyond, with the typography a word processor puts in.
ACCEPTED = [
    "ĳverige Ĳsbrand",  # the Dutch ij ligature letters
    "Ærø Œuvre œil ŉ ß",
    "Ayşe Yılmaz, İstanbul, Ğ ğ Ş",  # Turkish
    "Łódź, Źdźbło, Gęś, Ąę, Ńń, Żółć",  # Polish
    "Dvořák, Ştefan, Țară, Nguyễn",  # Czech, Romanian, Vietnamese
    "Ελένη, Жанна",  # Greek, Cyrillic
    "a — b – c … “quoted” ‘single’ „Dutch” € 12,50 ½ °C",
    "Wmo→Wlz, ≥ 3, ≤ 2, ≠ 1, ✓ ✕ ☺",
]


def _pdftotext(body: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    path = tmp_path / "file.pdf"
    path.write_bytes(body)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], check=True,
                         capture_output=True, timeout=60)
    return " ".join(out.stdout.decode("utf-8").split())


def test_the_font_and_its_licence_ship_with_the_package() -> None:
    assert (FONT_DIR / "DejaVuSans.ttf").is_file() and (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream Vera" in (FONT_DIR / "LICENSE").read_text(encoding="utf-8")
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"core/fonts/*.ttf", "core/fonts/LICENSE"' in pyproject


def test_every_accepted_european_character_comes_back_from_a_pop_pdf(app_ctx: Any, tmp_path: Path) -> None:
    goal = pop_data().goals[0]
    data = pop_data(
        professional="Ĳsbrand ĳverige",
        goals=(replace(goal, description=" | ".join(ACCEPTED)),),
    )
    text = _pdftotext(render_pop(data, "nl"), tmp_path)
    assert "?" not in text
    assert "Persoonlijk ontwikkelplan Ĳsbrand ĳverige" in text  # the title
    assert "Ĳsbrand ĳverige · Ontwikkelscan voorjaar 2027" in text  # the footer
    for line in ACCEPTED:
        assert line in text, line


def test_a_character_no_font_has_prints_visibly_as_a_replacement(app_ctx: Any, tmp_path: Path) -> None:
    # Chinese, Japanese and emoji are accepted by the forms, but no shipped font draws them so that a reader
    # gets them back (ReportLab maps no character beyond U+FFFF back to text); the HTML page shows them.
    assert printable("Team 日本 ok 😀") == f"Team {MISSING}{MISSING} ok {MISSING}"
    assert printable("e\u0301") == "é"  # composed, so the font's é is used
    data = team_data(team_name="Wijkteam 日本 😀")
    text = _pdftotext(render_team_report(data, "nl"), tmp_path)
    assert f"Wijkteam {MISSING}{MISSING} {MISSING}" in text and "?" not in text


def _outline(body: bytes) -> list[Any]:
    """The outline as (title, page number, children) triples."""
    reader = PdfReader(io.BytesIO(body))

    def walk(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out[-1] = (*out[-1][:2], walk(item))
            else:
                out.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return out

    return walk(reader.outline)


def test_the_pop_pdf_has_a_bookmark_per_section(app_ctx: Any) -> None:
    goals = pop_data().goals
    outline = _outline(render_pop(pop_data(goals=goals * 6), "nl"))
    assert [title for title, _page, _children in outline] == ["Doelen en acties", "Totalen", "Handtekeningen"]
    goals_entry = outline[0]
    assert [t for t, _p, _c in goals_entry[2]][:2] == [
        "Doel 1: LG01-S1 Stabiliseren", "Doel 2: GC08 Reflecteren"
    ]
    assert len(goals_entry[2]) == 12
    # Each bookmark opens the page its section starts on (the plan runs over pages).
    pages = [page for _t, page, _c in outline]
    assert pages[0] == 1 and pages[-1] > 1 and pages == sorted(pages)


def test_the_team_report_has_a_bookmark_per_section(app_ctx: Any) -> None:
    outline = _outline(render_team_report(team_data(), "en"))
    assert [title for title, _page, _children in outline] == [
        "Coverage per life domain", "Team priorities", "Agreements", "The session"
    ]
    assert [t for t, _p, _c in outline[-1][2]] == ["Notes", "Decisions"]

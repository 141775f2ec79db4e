"""The README's tour is current: it names every page of tests/tour.py's TOUR for each role, and every
picture it shows is in docs/tour (`make tour` takes them anew and writes the section)."""

from __future__ import annotations

import re

from tests.tour import END, README, ROOT, START, TOUR, WIDTHS, image_name, readme_section


def test_the_readme_tour_is_the_one_tour_py_writes() -> None:
    text = README.read_text(encoding="utf-8")
    section = re.search(re.escape(START) + ".*?" + re.escape(END), text, re.S)
    assert section is not None, "README.md has no tour section; run `make tour`"
    assert section.group(0) == readme_section(), "the README's tour is out of date; run `make tour`"


def test_every_picture_of_the_tour_is_there() -> None:
    missing = [image_name(stop, width) for stop in TOUR for width in WIDTHS
               if not (ROOT / "docs" / "tour" / image_name(stop, width)).is_file()]
    assert missing == [], f"run `make tour`: {missing}"
